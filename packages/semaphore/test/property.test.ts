/**
 * Property tests: whatever the interleaving of acquires, runs, releases, cancellations and
 * aborts, every permit comes back, no waiter is left behind, and the limit is never exceeded.
 * The testkit's fixed seed: TASKIO_PROPERTY_SEED=<n> replays another run (fast-check prints the
 * seed and the counterexample); TASKIO_PROPERTY_RUNS=<factor> runs more cases.
 */
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  isCancelledError,
  sleep,
  type Task,
} from "@taskio/core";
import { outcome, propertyParams, propertySeed, type SeededRandom, seededRandom, settle } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, type LimitFunction, Lock, limit, type Permit, Semaphore } from "../src/index.js";

/**
 * Waits for every task to end. If the program gets stuck (tasks waiting forever), the virtual
 * clock jumps to the watchdog's far timer: the tasks are then cancelled and the run fails.
 */
async function finish(tasks: Future<unknown>[], state: () => string) {
  const watchdog = sleep(10_000_000, "stuck" as const);
  const ends = Promise.all(tasks.map((t) => outcome(t)));
  const first = await Promise.race([ends, watchdog]);
  watchdog.cancel();
  if (first === "stuck") {
    const stuck = tasks.filter((t) => !t.done()).length;
    for (const task of tasks) task.cancel();
    await ends;
    throw new Error(`stuck: ${stuck} task(s) never finished; ${state()}`);
  }
  await settle();
  return first;
}

describe(`property tests (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  // ---------------------------------------------------------------------------------------------
  // 1. Seeded churn: many generator and async-function tasks acquiring (plain, weighted,
  //    abortable) and running bodies, while a chaos task cancels workers and bodies and aborts.
  // ---------------------------------------------------------------------------------------------

  type Op = "raw" | "run" | "abortable";
  interface Step {
    op: Op;
    weight: number;
    hold: number;
    generatorBody: boolean;
  }
  interface Chaos {
    after: number;
    action: "cancel worker" | "cancel body" | "abort" | "abort as cancel";
    target: number;
  }
  interface Churn {
    sem: Semaphore;
    limit: number;
    inUse: number;
    most: number;
    violations: string[];
    bodies: Future<unknown>[];
    controllers: AbortController[];
  }

  const enter = (c: Churn, weight: number) => {
    c.inUse += weight;
    c.most = Math.max(c.most, c.inUse);
    if (c.inUse > c.limit) c.violations.push(`${c.inUse} permits in use with a limit of ${c.limit}`);
  };

  /** A CancelledError that is not this task's own cancellation (an aborted wait, a cancelled body) is survivable. */
  const ownCancellation = (e: unknown) => isCancelledError(e) && currentTask()!.cancelling() > 0;

  function plan(rng: SeededRandom, limit: number, weighted: boolean): Step[] {
    return Array.from({ length: 1 + rng.int(4) }, () => ({
      op: rng.pick<Op>(["raw", "run", "abortable"]),
      weight: weighted ? 1 + rng.int(limit) : 1,
      hold: rng.pick([0, 0, 1, 3, 10]),
      generatorBody: rng.chance(0.5),
    }));
  }

  function body(c: Churn, step: Step): () => unknown {
    if (step.generatorBody) {
      return function* (): Coroutine<void> {
        enter(c, step.weight);
        try {
          yield* sleep(step.hold);
        } finally {
          c.inUse -= step.weight;
        }
      };
    }
    return async () => {
      enter(c, step.weight);
      try {
        await sleep(step.hold);
      } finally {
        c.inUse -= step.weight;
      }
    };
  }

  function* generatorWorker(c: Churn, steps: Step[]): Coroutine<void> {
    for (const step of steps) {
      try {
        if (step.op === "run") {
          const task = c.sem.run(body(c, step), { weight: step.weight });
          c.bodies.push(task);
          yield* task;
        } else {
          const controller = step.op === "abortable" ? new AbortController() : undefined;
          if (controller) c.controllers.push(controller);
          yield* c.sem.acquire({ weight: step.weight, signal: controller?.signal });
          enter(c, step.weight);
          try {
            yield* sleep(step.hold);
          } finally {
            c.inUse -= step.weight;
            c.sem.release(step.weight);
          }
        }
      } catch (e) {
        if (ownCancellation(e)) throw e;
        if (!isCancelledError(e) && !(e instanceof Error && e.message === "aborted")) throw e;
      }
    }
  }

  async function asyncWorker(c: Churn, steps: Step[]): Promise<void> {
    for (const step of steps) {
      try {
        if (step.op === "run") {
          const task = c.sem.run(body(c, step), { weight: step.weight });
          c.bodies.push(task);
          await task;
        } else {
          const controller = step.op === "abortable" ? new AbortController() : undefined;
          if (controller) c.controllers.push(controller);
          await c.sem.acquire({ weight: step.weight, signal: controller?.signal });
          enter(c, step.weight);
          try {
            await sleep(step.hold);
          } finally {
            c.inUse -= step.weight;
            c.sem.release(step.weight);
          }
        }
      } catch (e) {
        if (ownCancellation(e)) throw e;
        if (!isCancelledError(e) && !(e instanceof Error && e.message === "aborted")) throw e;
      }
    }
  }

  it("churn: the limit holds, and every permit comes back with no waiter left", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          limit: fc.integer({ min: 1, max: 4 }),
          workers: fc.integer({ min: 2, max: 14 }),
          weighted: fc.boolean(),
          bounded: fc.boolean(),
        }),
        async ({ seed, limit, workers, weighted, bounded }) => {
          const rng = seededRandom(seed);
          const c: Churn = {
            sem: bounded ? new BoundedSemaphore(limit) : new Semaphore(limit),
            limit,
            inUse: 0,
            most: 0,
            violations: [],
            bodies: [],
            controllers: [],
          };
          const tasks = Array.from({ length: workers }, () => {
            const steps = plan(rng, limit, weighted);
            return rng.chance(0.5) ? createTask(generatorWorker(c, steps)) : createTask(() => asyncWorker(c, steps));
          });
          const chaos: Chaos[] = Array.from({ length: rng.int(workers + 1) }, () => ({
            after: rng.pick([0, 0, 1, 2, 5]),
            action: rng.pick<Chaos["action"]>(["cancel worker", "cancel body", "abort", "abort as cancel"]),
            target: rng.int(1000),
          }));
          const monkey = createTask(function* () {
            for (const { after, action, target } of chaos) {
              yield* sleep(after);
              if (action === "cancel worker") tasks[target % tasks.length]!.cancel("chaos");
              else if (action === "cancel body" && c.bodies.length) c.bodies[target % c.bodies.length]!.cancel("chaos");
              else if (c.controllers.length) {
                const reason = action === "abort" ? new Error("aborted") : new CancelledError("aborted");
                c.controllers[target % c.controllers.length]!.abort(reason);
              }
            }
          });
          const ends = await finish([...tasks, monkey], () => String(c.sem));
          const failures = ends.filter((e) => e.status === "rejected");
          expect(failures).toEqual([]);
          expect(c.violations).toEqual([]);
          expect(c.inUse).toBe(0);
          expect(c.sem.value).toBe(limit);
          expect(c.sem.locked()).toBe(false);
          expect(String(c.sem)).not.toMatch(/waiters/);
        },
      ),
      propertyParams(60),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // 2. fc.scheduler: fast-check decides when each body's foreign work finishes and when each
  //    cancellation or abort lands, exploring the orders a real program can produce.
  // ---------------------------------------------------------------------------------------------

  it("scheduled: any order of body completions, cancels and aborts leaks nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom("run", "acquire", "abortable"),
            generator: fc.boolean(),
            interrupt: fc.constantFrom("none", "cancel", "abort"),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (s, limit, ops) => {
          const sem = new Semaphore(limit);
          let inUse = 0;
          const violations: string[] = [];
          const enterOne = () => {
            if (++inUse > limit) violations.push(`${inUse} > ${limit}`);
          };
          const controllers: (AbortController | undefined)[] = [];
          const tasks = ops.map(({ kind, generator }, i) => {
            const gate = () => s.schedule(Promise.resolve(i), `work ${i} finishes`);
            if (kind === "run") {
              controllers.push(undefined);
              return generator
                ? sem.run(function* () {
                    enterOne();
                    try {
                      yield* sleep(0);
                    } finally {
                      inUse--;
                    }
                  })
                : sem.run(async () => {
                    enterOne();
                    try {
                      await gate();
                    } finally {
                      inUse--;
                    }
                  });
            }
            const controller = kind === "abortable" ? new AbortController() : undefined;
            controllers.push(controller);
            return createTask(async () => {
              await sem.acquire({ signal: controller?.signal });
              enterOne();
              try {
                await gate();
              } finally {
                inUse--;
                sem.release();
              }
            });
          });
          ops.forEach(({ interrupt }, i) => {
            if (interrupt === "none") return;
            // The scheduler decides when this lands, relative to every body's progress.
            void s.schedule(Promise.resolve(), `${interrupt} ${i}`).then(() => {
              if (interrupt === "abort" && controllers[i]) controllers[i]!.abort(new Error("aborted"));
              else tasks[i]!.cancel(`interrupt ${i}`);
            });
          });
          for (let turns = 0; !tasks.every((t) => t.done()); turns++) {
            await settle();
            if (s.count() > 0) await s.waitOne();
            else if (!tasks.every((t) => t.done())) {
              throw new Error(`stuck: ${tasks.filter((t) => !t.done()).length} task(s) never finished; ${sem}`);
            }
            if (turns > 1000) throw new Error("no progress");
          }
          await s.waitAll();
          const ends = await Promise.all(tasks.map((t) => outcome(t)));
          for (const end of ends) {
            if (end.status === "rejected") expect(String(end.error)).toMatch(/aborted/);
          }
          expect(violations).toEqual([]);
          expect(inUse).toBe(0);
          expect(sem.value).toBe(limit);
          expect(String(sem)).toBe(`<Semaphore [unlocked, value:${limit}]>`);
        },
      ),
      propertyParams(150),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // 3. Model check: after each command and once everything has settled, the semaphore matches a
  //    simple FIFO model: who holds a permit, in what order, how many are free, who still waits.
  // ---------------------------------------------------------------------------------------------

  interface Queued {
    id: number;
    priority: number;
  }
  interface Model {
    value: number;
    /** waiters by priority, FIFO within one */
    queue: Queued[];
    granted: number[];
    /** holds granted and not released yet, by id */
    permits: number[];
    /** waitForUnlock() Futures not resolved yet */
    watchers: number;
  }
  interface Real {
    sem: Semaphore;
    order: number[];
    waiters: Map<number, { task: Task<unknown>; controller: AbortController }>;
    permits: Map<number, Permit>;
    watchers: Future<true>[];
    nextId: number;
  }
  type Command = fc.AsyncCommand<Model, Real>;

  /** Hands free permits to the head of the queue, then resolves the watchers if nobody waits. */
  const serve = (m: Model) => {
    while (m.value > 0 && m.queue.length > 0) {
      m.value--;
      m.granted.push(m.queue.shift()!.id);
    }
    if (m.queue.length === 0 && m.value > 0) m.watchers = 0;
  };

  const enqueue = (m: Model, entry: Queued) => {
    let at = m.queue.length;
    while (at > 0 && m.queue[at - 1]!.priority < entry.priority) at--;
    m.queue.splice(at, 0, entry);
  };

  const settled = async (m: Model, r: Real) => {
    await settle();
    expect(r.order).toEqual(m.granted);
    expect(r.sem.value).toBe(m.value);
    expect(r.sem.waiting).toBe(m.queue.length);
    expect(r.sem.locked()).toBe(m.value === 0 || m.queue.length > 0);
    expect(r.watchers.filter((w) => !w.done()).length).toBe(m.watchers);
    const held = m.permits.filter((id) => m.granted.includes(id));
    expect([...r.permits.keys()].sort((a, b) => a - b)).toEqual(held.sort((a, b) => a - b));
  };

  /** A task takes a permit (acquire(), or hold() keeping the Permit), with a priority. */
  class Acquire implements Command {
    constructor(
      readonly generator: boolean,
      readonly priority: number,
      readonly hold: boolean,
    ) {}
    check = () => true;
    async run(m: Model, r: Real) {
      const id = r.nextId++;
      const controller = new AbortController();
      const { sem, order, permits } = r;
      const options = { signal: controller.signal, priority: this.priority };
      const hold = this.hold;
      const task = this.generator
        ? createTask(function* () {
            if (hold) permits.set(id, yield* sem.hold(options));
            else yield* sem.acquire(options);
            order.push(id);
          })
        : createTask(async () => {
            if (hold) permits.set(id, await sem.hold(options));
            else await sem.acquire(options);
            order.push(id);
          });
      r.waiters.set(id, { task, controller });
      if (m.value > 0 && m.queue.length === 0) {
        m.value--;
        m.granted.push(id);
        if (this.hold) m.permits.push(id);
      } else {
        enqueue(m, { id, priority: this.priority });
        if (this.hold) m.permits.push(id);
      }
      await settled(m, r);
    }
    toString = () =>
      `${this.hold ? "hold" : "acquire"}({ priority: ${this.priority} }, ${this.generator ? "generator" : "async"})`;
  }

  class Release implements Command {
    check = () => true;
    async run(m: Model, r: Real) {
      r.sem.release();
      m.value++;
      serve(m);
      await settled(m, r);
    }
    toString = () => "release()";
  }

  /** A held Permit released, twice: the second release gives nothing back. */
  class ReleasePermit implements Command {
    constructor(readonly index: number) {}
    check = (m: Readonly<Model>) => m.permits.some((id) => m.granted.includes(id));
    async run(m: Model, r: Real) {
      const held = m.permits.filter((id) => m.granted.includes(id));
      const id = held[this.index % held.length]!;
      const permit = r.permits.get(id)!;
      permit.release();
      permit.release();
      r.permits.delete(id);
      m.permits.splice(m.permits.indexOf(id), 1);
      m.value++;
      serve(m);
      await settled(m, r);
    }
    toString = () => `permit[${this.index}].release() twice`;
  }

  class Interrupt implements Command {
    constructor(
      readonly index: number,
      readonly abort: boolean,
    ) {}
    check = (m: Readonly<Model>) => m.queue.length > 0;
    async run(m: Model, r: Real) {
      const { id } = m.queue.splice(this.index % m.queue.length, 1)[0]!;
      const held = m.permits.indexOf(id);
      if (held >= 0) m.permits.splice(held, 1);
      const { task, controller } = r.waiters.get(id)!;
      if (this.abort) controller.abort(new Error("aborted"));
      else task.cancel();
      serve(m);
      await settled(m, r);
    }
    toString = () => `${this.abort ? "abort" : "cancel"}(queue[${this.index}])`;
  }

  /** Every queued waiter rejected at once: none takes a permit; holders keep theirs. */
  class CancelWaiters implements Command {
    constructor(readonly withReason: boolean) {}
    check = () => true;
    async run(m: Model, r: Real) {
      r.sem.cancelWaiters(this.withReason ? new Error("aborted") : undefined);
      for (const { id } of m.queue) {
        const held = m.permits.indexOf(id);
        if (held >= 0) m.permits.splice(held, 1);
      }
      m.queue = [];
      serve(m);
      await settled(m, r);
    }
    toString = () => `cancelWaiters(${this.withReason ? "reason" : ""})`;
  }

  /** A watcher that takes nothing: resolves once nobody waits and a permit is free. */
  class WaitForUnlock implements Command {
    check = () => true;
    async run(m: Model, r: Real) {
      r.watchers.push(r.sem.waitForUnlock());
      if (m.value === 0 || m.queue.length > 0) m.watchers++;
      await settled(m, r);
    }
    toString = () => "waitForUnlock()";
  }

  it("model: grants by priority then FIFO, interrupted and rejected waiters take nothing, permits release once", async () => {
    const commands = fc.commands(
      [
        fc
          .tuple(fc.boolean(), fc.constantFrom(0, 0, 0, 1, -1, 2), fc.boolean())
          .map(([g, p, h]) => new Acquire(g, p, h)),
        fc.constant(new Release()),
        fc.nat(10).map((i) => new ReleasePermit(i)),
        fc.tuple(fc.nat(10), fc.boolean()).map(([i, a]) => new Interrupt(i, a)),
        fc.boolean().map((reason) => new CancelWaiters(reason)),
        fc.constant(new WaitForUnlock()),
      ],
      { maxCommands: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), commands, async (initial, cmds) => {
        const real: Real = {
          sem: new Semaphore(initial),
          order: [],
          waiters: new Map(),
          permits: new Map(),
          watchers: [],
          nextId: 0,
        };
        const model: Model = { value: initial, queue: [], granted: [], permits: [], watchers: 0 };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        for (const { task } of real.waiters.values()) task.cancel();
        await Promise.all([...real.waiters.values()].map(({ task }) => outcome(task)));
        // Withdrawn waiters took nothing, and each Permit still held gives back exactly one.
        await settle();
        expect(real.sem.value).toBe(model.value);
        for (const permit of real.permits.values()) {
          permit.release();
          permit.release();
        }
        expect(real.sem.value).toBe(model.value + real.permits.size);
        for (const watcher of real.watchers) watcher.cancel();
      }),
      propertyParams(80),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // 3b. Model check of limit(n): calls start in order while fewer than `concurrency` run, whatever
  //     the changes of `concurrency`, the cleared queues and the cancelled calls.
  // ---------------------------------------------------------------------------------------------

  interface LimitModel {
    concurrency: number;
    running: number[];
    queue: number[];
    started: number[];
  }
  interface LimitReal {
    limited: LimitFunction;
    gates: Map<number, Future<void>>;
    calls: Map<number, Future<unknown>>;
    /** How each call settled for plain code that awaited it (the test body runs outside any task). */
    awaited: Map<number, Promise<PromiseSettledResult<unknown>>>;
    started: number[];
    nextId: number;
  }
  type LimitCommand = fc.AsyncCommand<LimitModel, LimitReal>;

  const fill = (m: LimitModel) => {
    while (m.running.length < m.concurrency && m.queue.length > 0) {
      const id = m.queue.shift()!;
      m.running.push(id);
      m.started.push(id);
    }
  };
  const limitSettled = async (m: LimitModel, r: LimitReal) => {
    await settle();
    expect(r.started).toEqual(m.started);
    expect(r.limited.activeCount).toBe(m.running.length);
    expect(r.limited.pendingCount).toBe(m.queue.length);
  };

  class Call implements LimitCommand {
    check = () => true;
    async run(m: LimitModel, r: LimitReal) {
      const id = r.nextId++;
      const gate = new Future<void>();
      r.gates.set(id, gate);
      // Every other body is an async function, so its call is followed through a native promise.
      const call = r.limited(() => {
        r.started.push(id);
        return id % 2 === 0 ? gate : (async () => await gate)();
      });
      r.calls.set(id, call);
      r.awaited.set(
        id,
        Promise.allSettled([call]).then(([settled]) => settled!),
      );
      m.queue.push(id);
      fill(m);
      await limitSettled(m, r);
    }
    toString = () => "limited(fn)";
  }

  class Finish implements LimitCommand {
    constructor(readonly index: number) {}
    check = (m: Readonly<LimitModel>) => m.running.length > 0;
    async run(m: LimitModel, r: LimitReal) {
      const id = m.running.splice(this.index % m.running.length, 1)[0]!;
      r.gates.get(id)!.setResult();
      fill(m);
      await limitSettled(m, r);
    }
    toString = () => `finish(running[${this.index}])`;
  }

  class SetConcurrency implements LimitCommand {
    constructor(readonly concurrency: number) {}
    check = () => true;
    async run(m: LimitModel, r: LimitReal) {
      r.limited.concurrency = this.concurrency;
      m.concurrency = this.concurrency;
      fill(m);
      await limitSettled(m, r);
    }
    toString = () => `concurrency = ${this.concurrency}`;
  }

  class ClearOrCancel implements LimitCommand {
    constructor(readonly index: number | undefined) {}
    check = (m: Readonly<LimitModel>) => m.queue.length > 0;
    async run(m: LimitModel, r: LimitReal) {
      if (this.index === undefined) {
        r.limited.clearQueue();
        m.queue = [];
      } else {
        const id = m.queue.splice(this.index % m.queue.length, 1)[0]!;
        r.calls.get(id)!.cancel();
      }
      await limitSettled(m, r);
    }
    toString = () => (this.index === undefined ? "clearQueue()" : `cancel(queue[${this.index}])`);
  }

  it("limit model: calls start in order while fewer than concurrency run, however it changes", async () => {
    const commands = fc.commands(
      [
        fc.constant(new Call()),
        fc.nat(10).map((i) => new Finish(i)),
        fc.constantFrom(1, 2, 3, Infinity).map((n) => new SetConcurrency(n)),
        fc.option(fc.nat(10), { nil: undefined }).map((i) => new ClearOrCancel(i)),
      ],
      { maxCommands: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(1, 2, 3, Infinity), commands, async (concurrency, cmds) => {
        const real: LimitReal = {
          limited: limit(concurrency),
          gates: new Map(),
          calls: new Map(),
          awaited: new Map(),
          started: [],
          nextId: 0,
        };
        const model: LimitModel = { concurrency, running: [], queue: [], started: [] };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        real.limited.clearQueue();
        for (const gate of real.gates.values()) if (!gate.done()) gate.setResult();
        await Promise.all([...real.calls.values()].map((call) => outcome(call)));
        expect([real.limited.activeCount, real.limited.pendingCount]).toEqual([0, 0]);
        // Awaiting a call gave its own outcome, whether it ran, waited, or was withdrawn.
        for (const [id, call] of real.calls) {
          const awaited = await real.awaited.get(id)!;
          if (call.cancelled()) expect(awaited.status === "rejected" && isCancelledError(awaited.reason)).toBe(true);
          else expect(awaited).toEqual({ status: "fulfilled", value: call.result() });
        }
        // Every slot came back: as many calls as the limit start at once again.
        real.limited.concurrency = 2;
        const gate = new Future<void>();
        const probes = [0, 1, 2].map(() => real.limited(() => gate));
        expect([real.limited.activeCount, real.limited.pendingCount]).toEqual([2, 1]);
        gate.setResult();
        await Promise.all(probes);
      }),
      propertyParams(80),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // 4. Lock churn: mutual exclusion holds under cancellation, and the lock ends unlocked.
  // ---------------------------------------------------------------------------------------------

  it("lock churn: one body at a time, and it ends unlocked with no waiter", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const rng = seededRandom(seed);
        const lock = new Lock();
        let inside = 0;
        let overlaps = 0;
        const bodies = Array.from({ length: 2 + rng.int(10) }, () => {
          const hold = rng.pick([0, 1, 5]);
          if (rng.chance(0.5)) {
            return lock.run(async () => {
              if (++inside > 1) overlaps++;
              try {
                await sleep(hold);
              } finally {
                inside--;
              }
            });
          }
          return createTask(function* () {
            yield* lock.acquire();
            if (++inside > 1) overlaps++;
            try {
              yield* sleep(hold);
            } finally {
              inside--;
              lock.release();
            }
          });
        });
        const monkey = createTask(function* () {
          for (let i = rng.int(bodies.length); i > 0; i--) {
            yield* sleep(rng.pick([0, 1, 3]));
            bodies[rng.int(bodies.length)]!.cancel();
          }
        });
        const ends = await finish([...bodies, monkey], () => String(lock));
        expect(ends.filter((e) => e.status === "rejected")).toEqual([]);
        expect(overlaps).toBe(0);
        expect(String(lock)).toBe("<Lock [unlocked]>");
      }),
      propertyParams(60),
    );
  });
});
