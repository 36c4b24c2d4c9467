/**
 * Random interleavings of cancel, abort, time-out and completion across Queue, Semaphore, Lock,
 * Event, waitFor, shield, gather and taskGroup, in both task forms, on the virtual clock.
 *
 * The testkit's seed is fixed, so a normal run is repeatable. TASKIO_PROPERTY_SEED=random picks a
 * new one (printed in the test's name and in fast-check's failure message), a number replays that
 * one; TASKIO_PROPERTY_RUNS multiplies the number of scenarios (100).
 */
import { propertyParams, propertySeed } from "@taskio/testkit";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Event,
  type ExceptionContext,
  ExceptionGroup,
  type Future,
  gather,
  Lock,
  Queue,
  Semaphore,
  setExceptionHandler,
  shield,
  sleep,
  type TaskGroup,
  TimeoutError,
  taskGroup,
  timeout,
  waitFor,
} from "../src/index.js";

type Form = "generator" | "async function";
type Kind = "put" | "get" | "acquire" | "lock" | "wait";
type Wrap = "plain" | "signal" | "waitFor" | "timeout" | "run" | "shield" | "gather";

interface Actor {
  kind: Kind;
  form: Form;
  wrap: Wrap;
  /** ms before the operation starts */
  start: number;
  /** waitFor's limit */
  ms: number;
  /** how long a permit or lock is held */
  hold: number;
  /** runs inside the scenario's taskGroup */
  grouped: boolean;
  /** throws once its operation is done (a group member's failure) */
  fails: boolean;
  /** is cancelled right after it started its operation, before that takes its first step */
  cancelledSoon: boolean;
}

interface Chaos {
  at: number;
  action: "cancel" | "cancelFuture" | "abort" | "set" | "clear";
  target: number;
}

interface Scenario {
  maxsize: number;
  permits: number;
  actors: Actor[];
  chaos: Chaos[];
}

const actor: fc.Arbitrary<Actor> = fc.record({
  kind: fc.constantFrom<Kind>("put", "get", "acquire", "lock", "wait"),
  form: fc.constantFrom<Form>("generator", "async function"),
  wrap: fc.constantFrom<Wrap>("plain", "signal", "waitFor", "timeout", "run", "shield", "gather"),
  start: fc.integer({ min: 0, max: 20 }),
  ms: fc.integer({ min: 0, max: 30 }),
  hold: fc.integer({ min: 0, max: 15 }),
  grouped: fc.boolean(),
  fails: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  cancelledSoon: fc.boolean(),
});

const scenario: fc.Arbitrary<Scenario> = fc.record({
  maxsize: fc.integer({ min: 0, max: 3 }),
  permits: fc.integer({ min: 1, max: 3 }),
  actors: fc.array(actor, { minLength: 1, maxLength: 12 }),
  chaos: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 60 }),
      action: fc.constantFrom<Chaos["action"]>("cancel", "cancel", "cancelFuture", "abort", "set", "clear"),
      target: fc.nat(),
    }),
    { maxLength: 8 },
  ),
});

class ActorFailed extends Error {}
class ChaosAbort extends Error {}

/** Everything a scenario did, to check against what the primitives hold at the end. */
class World {
  readonly queue: Queue<number>;
  readonly sem: Semaphore;
  readonly lock = new Lock();
  readonly event = new Event();
  readonly controller = new AbortController();
  /** Every task a scenario created (actors, the inner tasks of shield and gather, the group). */
  readonly tasks: Future<unknown>[] = [];
  /** Every Future a raw operation returned. */
  readonly futures: Future<unknown>[] = [];
  nextItem = 0;
  /** Items whose put completed. */
  readonly stored = new Set<number>();
  /** Items a getter's Future was handed. */
  readonly handed: number[] = [];
  /** Items the code that asked for them received. */
  readonly received: number[] = [];
  semHolders = 0;
  lockHolders = 0;
  semPeak = 0;
  lockPeak = 0;

  constructor(readonly plan: Scenario) {
    this.queue = new Queue<number>({ maxsize: plan.maxsize });
    this.sem = new Semaphore(plan.permits);
  }

  track<F extends Future<unknown>>(task: F): F {
    this.tasks.push(task);
    return task;
  }

  /** The raw operation, recording what its Future was given. */
  operation(kind: Kind, signal: AbortSignal | undefined): Future<unknown> {
    const future = this.start(kind, signal);
    this.futures.push(future);
    return future;
  }

  start(kind: Kind, signal: AbortSignal | undefined): Future<unknown> {
    const options = signal === undefined ? undefined : { signal };
    switch (kind) {
      case "put": {
        const item = this.nextItem++;
        const put = this.queue.put(item, options);
        put.addDoneCallback((f) => {
          if (succeeded(f)) this.stored.add(item);
        });
        return put;
      }
      case "get": {
        const get = this.queue.get(options);
        get.addDoneCallback((f) => {
          if (succeeded(f)) this.handed.push(f.result());
        });
        return get;
      }
      case "acquire":
        return this.sem.acquire(options);
      case "lock":
        return this.lock.acquire(options);
      case "wait":
        return this.event.wait(options);
    }
  }

  /** A run() body: counts itself a holder of the semaphore's or the lock's permit while it sleeps. */
  holding(kind: "acquire" | "lock", ms: number): Coroutine<void> {
    const world = this;
    return (function* () {
      if (kind === "acquire") world.semPeak = Math.max(world.semPeak, ++world.semHolders);
      else world.lockPeak = Math.max(world.lockPeak, ++world.lockHolders);
      try {
        yield* sleep(ms);
      } finally {
        if (kind === "acquire") world.semHolders--;
        else world.lockHolders--;
      }
    })();
  }

  /** What the caller does with what it received; returns how to give back a permit, if any. */
  use(kind: Kind, value: unknown): (() => void) | undefined {
    if (kind === "get") this.received.push(value as number);
    if (kind === "acquire") {
      this.semPeak = Math.max(this.semPeak, ++this.semHolders);
      return () => {
        this.semHolders--;
        this.sem.release();
      };
    }
    if (kind === "lock") {
      this.lockPeak = Math.max(this.lockPeak, ++this.lockHolders);
      return () => {
        this.lockHolders--;
        this.lock.release();
      };
    }
    return undefined;
  }
}

function succeeded(future: Future<unknown>): boolean {
  return !future.cancelled() && future.exception() === undefined;
}

/** The actor's body in its task form: wait, operate (wrapped), use and give back what it got. */
function body(world: World, a: Actor): Coroutine<unknown> | (() => Promise<unknown>) {
  const operate = (): Future<unknown> => {
    switch (a.wrap) {
      case "plain":
        return world.operation(a.kind, undefined);
      case "signal":
        return world.operation(a.kind, world.controller.signal);
      case "waitFor":
        return waitFor(world.operation(a.kind, undefined), a.ms);
      case "timeout":
        return timeout(a.ms, () => world.operation(a.kind, undefined));
      case "run":
        // A permit's run() holds it around its own body; the other kinds just operate.
        if (a.kind === "acquire") return world.track(world.sem.run(() => world.holding("acquire", a.hold)));
        if (a.kind === "lock") return world.track(world.lock.run(() => world.holding("lock", a.hold)));
        return world.operation(a.kind, undefined);
      case "shield":
        return shield(
          world.track(createTask(body(world, { ...a, wrap: "plain", start: 0, cancelledSoon: false }) as never)),
        );
      case "gather": {
        const inner = { ...a, wrap: "plain" as const, start: 0, cancelledSoon: false };
        return gather([
          world.track(createTask(body(world, inner) as never)),
          world.track(createTask(body(world, inner) as never)),
        ]);
      }
    }
  };
  // The canceller is created first, so its step runs once this task is suspended and before
  // the steps of any task the operation creates (waitFor's, gather's children, shield's inner).
  const start = (): Future<unknown> => {
    if (a.cancelledSoon) {
      const me = currentTask()!;
      world.track(
        createTask(function* () {
          me.cancel("soon");
        }),
      );
    }
    return operate();
  };
  // Shield and gather: the inner actors receive and give back; the outer only waits.
  const direct =
    a.wrap !== "shield" && a.wrap !== "gather" && !(a.wrap === "run" && (a.kind === "acquire" || a.kind === "lock"));
  if (a.form === "generator") {
    return (function* () {
      yield* sleep(a.start);
      const value = yield* start();
      const giveBack = direct ? world.use(a.kind, value) : undefined;
      try {
        yield* sleep(a.hold);
        if (a.fails) throw new ActorFailed("planned failure");
      } finally {
        giveBack?.();
      }
    })();
  }
  return async () => {
    await sleep(a.start);
    const value = await start();
    const giveBack = direct ? world.use(a.kind, value) : undefined;
    try {
      await sleep(a.hold);
      if (a.fails) throw new ActorFailed("planned failure");
    } finally {
      giveBack?.();
    }
  };
}

function* chaos(world: World, events: Chaos[]): Coroutine<void> {
  let t = 0;
  for (const event of [...events].sort((x, y) => x.at - y.at)) {
    yield* sleep(event.at - t);
    t = event.at;
    if (event.action === "cancel" && world.tasks.length > 0) {
      world.tasks[event.target % world.tasks.length]!.cancel("chaos");
    } else if (event.action === "cancelFuture" && world.futures.length > 0) {
      world.futures[event.target % world.futures.length]!.cancel("chaos");
    } else if (event.action === "abort") world.controller.abort(new ChaosAbort("chaos abort"));
    else if (event.action === "set") world.event.set();
    else if (event.action === "clear") world.event.clear();
  }
}

/** The errors a scenario may end with; anything else is a bug. */
function expected(error: unknown): boolean {
  if (error instanceof ExceptionGroup) return error.exceptions.every(expected);
  return (
    error instanceof CancelledError ||
    error instanceof TimeoutError ||
    error instanceof ChaosAbort ||
    error instanceof ActorFailed
  );
}

async function play(plan: Scenario): Promise<void> {
  const reports: ExceptionContext[] = [];
  setExceptionHandler((ctx) => reports.push(ctx));
  const world = new World(plan);
  const grouped = plan.actors.filter((a) => a.grouped);
  for (const a of plan.actors) if (!a.grouped) world.track(createTask(body(world, a) as never));
  if (grouped.length > 0) {
    world.track(
      taskGroup((tg: TaskGroup) => {
        for (const a of grouped) world.track(tg.createTask(body(world, a) as never));
      }),
    );
  }
  const chaosTask = createTask(chaos(world, plan.chaos));
  await chaosTask;
  await sleep(100);

  // Wind down: wake the event's waiters, then cancel whatever still waits (an empty queue's
  // getters, a full queue's putters). Every task must then finish within bounded virtual time.
  world.event.set();
  for (const task of world.tasks) task.cancel("wind down");
  await sleep(1000);
  const stuck = world.tasks.filter((task) => !task.done());
  expect(stuck.map((task) => task.toString())).toEqual([]);
  expect(world.futures.filter((future) => !future.done()).map((future) => future.toString())).toEqual([]);

  for (const task of world.tasks) {
    const error = task.cancelled() ? undefined : task.exception();
    if (error !== undefined && !expected(error)) throw error;
  }

  // Every item delivered exactly once, or still queued; none handed to a getter and dropped.
  const left: number[] = [];
  while (!world.queue.empty()) left.push(world.queue.getNowait());
  expect([...world.received, ...left].sort((x, y) => x - y)).toEqual([...world.stored].sort((x, y) => x - y));
  expect([...world.handed].sort((x, y) => x - y)).toEqual([...world.received].sort((x, y) => x - y));
  // No getter or putter left behind: an item put now is the one taken now.
  world.queue.putNowait(-1);
  expect(world.queue.getNowait()).toBe(-1);

  // Every permit returned, the limits held, nobody left waiting.
  expect(world.semPeak).toBeLessThanOrEqual(plan.permits);
  expect(world.lockPeak).toBeLessThanOrEqual(1);
  expect(world.sem.value).toBe(plan.permits);
  expect(world.sem.locked()).toBe(false);
  expect(world.lock.locked()).toBe(false);

  // Nothing was reported: every task's outcome was retrieved above.
  expect(reports).toEqual([]);
}

describe(`random interleavings lose no item, leak no permit and leave nothing pending (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  afterEach(() => setExceptionHandler((ctx) => console.error(ctx.message, ctx.error)));

  it("Queue, Semaphore, Lock and Event under waitFor, shield, gather and taskGroup, both task forms", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (plan) => play(plan)),
      propertyParams(100),
    );
  }, 120_000);
});
