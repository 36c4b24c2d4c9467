/**
 * The trivial work every scenario runs. Sharing one definition keeps the measured operation
 * identical across implementations; only the machinery around it differs.
 */

/** A task body that returns at once. */
export function one(): number {
  return 1;
}

/** The same as a generator (taskio's coroutine form, Effection's operation form). */
export function* oneGen(): Generator<never, number, unknown> {
  return 1;
}

/** The same as an async function. */
export async function oneAsync(): Promise<number> {
  return 1;
}

/**
 * A job run under a limit: it takes one microtask turn while holding its slot, so jobs really
 * overlap, and it records how many ran at once so a run can prove the limit held.
 */
export const jobs = {
  active: 0,
  peak: 0,
  reset(): void {
    jobs.active = 0;
    jobs.peak = 0;
  },
};

export async function job(): Promise<number> {
  if (++jobs.active > jobs.peak) jobs.peak = jobs.active;
  await undefined;
  jobs.active--;
  return 1;
}

/** `n` references to the same function, the input of a fan-out. */
export function repeat<F>(fn: F, n: number): F[] {
  return Array.from({ length: n }, () => fn);
}

/** Sums a result array (every implementation returns its results as a checksum). */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * What a self-timed or memory-reporting run tells the harness: the CPU and elapsed time of the
 * phase it measured (summed over the calls of one round), and heap bytes per operation.
 */
export const meter = {
  cpuMs: 0,
  wallMs: 0,
  bytesPerOp: Number.NaN,
  cpuStart: undefined as NodeJS.CpuUsage | undefined,
  wallStart: 0,
  reset(): void {
    meter.cpuMs = 0;
    meter.wallMs = 0;
    meter.bytesPerOp = Number.NaN;
  },
  start(): void {
    meter.wallStart = performance.now();
    meter.cpuStart = process.cpuUsage();
  },
  stop(): void {
    const used = process.cpuUsage(meter.cpuStart);
    meter.cpuMs += (used.user + used.system) / 1000;
    meter.wallMs += performance.now() - meter.wallStart;
  },
  /**
   * Heap in use after full collections (children run with --expose-gc), taken after a macrotask
   * turn so the garbage of what ran before (and objects a WeakRef kept for the current job) is gone.
   */
  async heap(): Promise<number> {
    if (gc === undefined) throw new Error("heap measurements need node --expose-gc");
    gc();
    await turn();
    gc();
    await turn();
    gc();
    return process.memoryUsage().heapUsed;
  },
  /** Records heap bytes per operation: (after − before) / ops. */
  bytes(before: number, after: number, ops: number): void {
    meter.bytesPerOp = (after - before) / ops;
  },
};

/** Resolves after the event loop's check phase: every microtask and taskio step queued before ran. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
