/**
 * N tasks blocked in a long sleep, per library: what the memory and cancellation scenarios start,
 * measure, then cancel. `cancel()` cancels every one, waits until all have ended, and returns how
 * many ended cancelled (the checksum).
 */
import type { Task } from "@taskio/core";
import type { Fiber as FiberT } from "effect";
import { turn } from "../job.js";

/** Far longer than any run: nothing wakes on its own. */
export const FOREVER_MS = 1e9;

export interface Sleepers {
  cancel(): Promise<number>;
}

export type StartSleepers = (n: number) => Promise<Sleepers>;

/** Counts the settled results that were rejections (the cancelled ones). */
function rejected(results: readonly PromiseSettledResult<unknown>[]): number {
  let count = 0;
  for (const result of results) if (result.status === "rejected") count++;
  return count;
}

/** Async functions awaiting a timer promise, cancelled through an AbortSignal each. */
export const bareSleepers: StartSleepers = async (n) => {
  const controllers: AbortController[] = [];
  const sleeping: Promise<void>[] = [];
  const sleeper = async (signal: AbortSignal) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, FOREVER_MS);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  };
  for (let i = 0; i < n; i++) {
    const controller = new AbortController();
    controllers.push(controller);
    sleeping.push(sleeper(controller.signal));
  }
  await turn();
  return {
    async cancel() {
      for (const controller of controllers) controller.abort();
      return rejected(await Promise.allSettled(sleeping));
    },
  };
};

/** taskio generator tasks, each blocked in `yield* sleep(FOREVER_MS)`. */
export const taskioGeneratorSleepers: StartSleepers = async (n) => {
  const { createTask, sleep } = await import("@taskio/core");
  function* sleeper() {
    yield* sleep(FOREVER_MS);
  }
  const tasks: Task<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(sleeper()));
  // Let every task take its first step and block in the sleep.
  await turn();
  await turn();
  return {
    async cancel() {
      for (const task of tasks) task.cancel();
      return rejected(await Promise.allSettled(tasks));
    },
  };
};

/** taskio function-form tasks (AsyncLocalStorage on), each blocked in `await sleep(FOREVER_MS)`. */
export const taskioAsyncSleepers: StartSleepers = async (n) => {
  const tasks = await startAsyncSleepers(n);
  return {
    async cancel() {
      for (const task of tasks) task.cancel();
      return rejected(await Promise.allSettled(tasks));
    },
  };
};

/**
 * The same tasks, waited for as asyncio code waits for the tasks it cancelled: taskio's own
 * `wait(tasks)`, which builds no result object per task as `Promise.allSettled` does.
 */
export const taskioAsyncSleepersWait: StartSleepers = async (n) => {
  const { wait } = await import("@taskio/combinators");
  const tasks = await startAsyncSleepers(n);
  return {
    async cancel() {
      for (const task of tasks) task.cancel();
      const [done] = await wait(tasks);
      let count = 0;
      for (const task of done) if (task.cancelled()) count++;
      return count;
    },
  };
};

async function startAsyncSleepers(n: number): Promise<Task<void>[]> {
  const { createTask, sleep } = await import("@taskio/core");
  const sleeper = async () => {
    await sleep(FOREVER_MS);
  };
  const tasks: Task<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(sleeper));
  await turn();
  await turn();
  return tasks;
}

/** Effection: N spawned operations in one scope, blocked in `sleep`; cancelled by halting the scope. */
export const effectionSleepers: StartSleepers = async (n) => {
  const { run, sleep, spawn, suspend } = await import("effection");
  let started = 0;
  let halted = 0;
  const task = run(function* () {
    for (let i = 0; i < n; i++) {
      yield* spawn(function* () {
        started++;
        try {
          yield* sleep(FOREVER_MS);
        } finally {
          halted++;
        }
      });
    }
    yield* suspend();
  });
  await turn();
  await turn();
  if (started !== n) throw new Error(`effection: ${started} of ${n} sleepers started`);
  return {
    async cancel() {
      await task.halt();
      return halted;
    },
  };
};

/** Effect: N fibers forked from the top (runFork), blocked in `Effect.sleep`; interrupted together. */
export const effectSleepers: StartSleepers = async (n) => {
  const { Effect, Exit, Fiber } = await import("effect");
  const sleeper = Effect.sleep(FOREVER_MS);
  const fibers: FiberT.Fiber<void>[] = [];
  for (let i = 0; i < n; i++) fibers.push(Effect.runFork(sleeper));
  await turn();
  return {
    async cancel() {
      await Effect.runPromise(Fiber.interruptAll(fibers));
      let interrupted = 0;
      for (const fiber of fibers) {
        const exit = await Effect.runPromise(Fiber.await(fiber));
        if (Exit.isFailure(exit)) interrupted++;
      }
      return interrupted;
    },
  };
};
