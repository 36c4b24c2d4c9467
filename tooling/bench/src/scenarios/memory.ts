import { meter } from "../job.js";
import { BIG_ROUNDS, type Family, type Impl, type Scenario } from "../scenario.js";
import {
  bareSleepers,
  effectionSleepers,
  effectSleepers,
  type StartSleepers,
  taskioAsyncSleepers,
  taskioAsyncSleepersWait,
  taskioGeneratorSleepers,
} from "./sleepers.js";

/** Tasks held pending at once. */
const PENDING = 100_000;
/** Tasks cancelled at once. */
const CANCELLED = 10_000;

interface Sleeping {
  name: string;
  role: Impl["role"];
  context?: Impl["context"];
  start: StartSleepers;
  maxOps?: number;
}

const sleeping: Sleeping[] = [
  { name: "async fn awaiting a timer promise + AbortController", role: "baseline", start: bareSleepers },
  { name: "taskio createTask(gen()) in yield* sleep(1e9)", role: "taskio", start: taskioGeneratorSleepers },
  {
    name: "taskio createTask(async fn) in await sleep(1e9)",
    role: "taskio",
    context: "async-context",
    start: taskioAsyncSleepers,
  },
  // ~10 kB a task: 100,000 of them would take a GiB and most of the run's time; the cancel
  // scenario stays at its 10,000.
  {
    name: "effection spawn(op) in sleep(1e9), halt the scope [10k tasks]",
    role: "peer",
    start: effectionSleepers,
    maxOps: 10_000,
  },
  { name: "effect runFork(Effect.sleep(1e9)), Fiber.interruptAll", role: "peer", start: effectSleepers },
];

/** Heap held per pending task: started, measured after a full GC, then cancelled (scenario 6). */
const pending: Scenario = {
  id: "pending-100k",
  op: `one of ${PENDING.toLocaleString("en")} tasks pending at once in a long sleep (created, held, cancelled)`,
  ops: PENDING,
  smokeOps: 200,
  calls: 1,
  reportsBytes: true,
  expect: (ops) => ops,
  impls: sleeping.map(
    ({ name, role, context, start, maxOps }): Impl => ({
      name,
      role,
      context,
      maxOps,
      async make(ops) {
        return async () => {
          const before = await meter.heap();
          const sleepers = await start(ops);
          meter.bytes(before, await meter.heap(), ops);
          return sleepers.cancel();
        };
      },
    }),
  ),
};

/** Time from cancelling every sleeping task to the last one ending (scenario 7). */
const cancel: Scenario = {
  id: "cancel-10k",
  op: `cancel one of ${CANCELLED.toLocaleString("en")} tasks blocked in a sleep, until all have ended (only that is timed)`,
  ops: CANCELLED,
  smokeOps: 100,
  calls: 2,
  selfTimed: true,
  expect: (ops) => ops,
  impls: [
    ...sleeping,
    // asyncio's way to wait for what it cancelled, beside the Promise.allSettled every row uses.
    {
      name: "taskio createTask(async fn) in await sleep(1e9), awaited with wait(tasks)",
      role: "taskio",
      context: "async-context",
      start: taskioAsyncSleepersWait,
    } satisfies Sleeping,
  ].map(
    ({ name, role, context, start }): Impl => ({
      name,
      role,
      context,
      target: role === "taskio" ? { peers: true } : undefined,
      async make(ops) {
        return async () => {
          const sleepers = await start(ops);
          meter.start();
          const cancelled = await sleepers.cancel();
          meter.stop();
          return cancelled;
        };
      },
    }),
  ),
};

/**
 * Memory held by pending tasks (scenario 6 of the issue): one round, since heap bytes per task
 * hardly vary, and no peak-RSS processes (the heap figure is the measure).
 */
export const memoryFamily: Family = { name: "memory", scenarios: [pending], maxRounds: 1, rss: false };

/** The cost of cancelling many sleeping tasks (scenario 7 of the issue); only that phase is timed. */
export const cancelFamily: Family = { name: "cancel", scenarios: [cancel], maxRounds: BIG_ROUNDS, rss: false };
