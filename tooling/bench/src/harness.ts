import { Bench } from "tinybench";
import { jobs, meter } from "./job.js";
import type { Impl, Run, Scenario } from "./scenario.js";

/** How long each implementation is measured in one round. */
export interface Settings {
  /** tinybench time budget per implementation per round, in ms. */
  time: number;
  /** tinybench warmup budget per implementation per round, in ms. */
  warmup: number;
  /** `--smoke`: scenarios run at their `smokeOps` size. */
  smoke: boolean;
}

/** Operations per call of one implementation of a scenario under these settings. */
export function opsOf(scenario: Scenario, impl: Impl, settings: Settings): number {
  const ops = settings.smoke ? (scenario.smokeOps ?? scenario.ops) : scenario.ops;
  return Math.min(ops, impl.maxOps ?? ops);
}

export interface Prepared {
  impl: Impl;
  run: Run;
}

/**
 * Builds every implementation and calls it once, checking that it did the scenario's work (the
 * checksum, and the scenario's own check such as "never more than 4 jobs at once").
 */
export async function prepare(scenario: Scenario, impls: readonly Impl[], settings: Settings): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  for (const impl of impls) {
    if (impl.make === undefined) continue;
    const ops = opsOf(scenario, impl, settings);
    const run = await impl.make(ops);
    jobs.reset();
    meter.reset();
    const got = await run();
    const expected = scenario.expect(ops);
    if (got !== expected) {
      throw new Error(`${scenario.id} / ${impl.name}: returned ${got}, expected ${expected}`);
    }
    scenario.check?.(impl);
    prepared.push({ impl, run });
  }
  return prepared;
}

/** ops/s of one implementation in one round, by two clocks. */
export interface RoundResult {
  /** Operations over the process's CPU time (user + system) while tinybench ran it. */
  cpu: number;
  /** Operations over the elapsed time while tinybench ran it. */
  wall: number;
  /** Heap bytes per operation, for scenarios that report them. */
  bytes?: number;
}

/**
 * One round: measures each implementation given (a process has one) once with tinybench. Per
 * implementation it returns the operations done over the time taken by the whole measured phase,
 * so garbage collection and slow outliers count, as they do for a user. The CPU clock
 * (process.cpuUsage, 1 µs resolution) is read once around the phase, not per sample, so it adds
 * nothing to short samples; it is what the table reports, because on a shared machine elapsed
 * time also counts other processes' turns.
 * No collection is forced before a turn: each implementation has a process of its own, so the
 * garbage a turn pays for is its own, as in a program that keeps doing the same work. A forced
 * full collection while nothing of a library is alive lets V8 drop the maps its optimized code
 * depends on, so the turn would start by re-optimizing: that is not amortized even over a
 * 10,000-task fan-out (taskio's gather of 10,000 generators: 2.0 µs per task after a forced
 * collection, 0.9 µs without; Effect's all: 1.1 and 0.4 µs).
 */
export async function measureRound(
  scenario: Scenario,
  prepared: readonly Prepared[],
  settings: Settings,
): Promise<Map<string, RoundResult>> {
  // A big-N scenario: exactly `calls` calls, no warmup (the verification call warmed it up).
  const bench =
    scenario.calls === undefined
      ? new Bench({
          time: settings.time,
          warmupTime: settings.warmup,
          iterations: 5,
          warmupIterations: 2,
          throws: true,
        })
      : new Bench({ time: 0, iterations: scenario.calls, warmup: false, throws: true });
  const spans = new Map<string, { cpuMs: number; wallMs: number; bytes: number }>();
  const opsByName = new Map(prepared.map(({ impl }) => [impl.name, opsOf(scenario, impl, settings)]));
  for (const { impl, run } of prepared) {
    let cpu: NodeJS.CpuUsage | undefined;
    let wall = 0;
    bench.add(impl.name, run, {
      async: true,
      beforeAll(mode) {
        if (mode !== "run") return;
        meter.reset();
        wall = performance.now();
        cpu = process.cpuUsage();
      },
      afterAll(mode) {
        if (mode !== "run") return;
        const used = process.cpuUsage(cpu);
        const whole = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
        const measured = scenario.selfTimed ? { cpuMs: meter.cpuMs, wallMs: meter.wallMs } : whole;
        spans.set(impl.name, { ...measured, bytes: meter.bytesPerOp });
      },
    });
  }
  await bench.run();
  const results = new Map<string, RoundResult>();
  for (const task of bench.tasks) {
    const result = task.result;
    const span = spans.get(task.name);
    if (result.state !== "completed" || span === undefined) {
      throw new Error(`${scenario.id} / ${task.name}: tinybench ended in state ${result.state}`);
    }
    const ops = opsByName.get(task.name)! * result.latency.samplesCount * 1000;
    const measured: RoundResult = { cpu: ops / span.cpuMs, wall: ops / span.wallMs };
    if (scenario.reportsBytes) measured.bytes = span.bytes;
    results.set(task.name, measured);
  }
  return results;
}
