import { InvalidStateError } from "./errors.js";
import { PENDING } from "./future.js";
import { reportException, runtime } from "./runtime.js";
import { type RunScope, runningTask, spawn, type Task, type TaskOptions } from "./tasks.js";
import type { Coroutine, NoBareYield } from "./types.js";

function whenDone(task: Task<unknown>): Promise<void> {
  return new Promise((resolve) => task._addCallback(resolve, undefined));
}

/** Cancels and awaits every task of the run still pending, again for any created meanwhile. */
async function cancelRemaining(scope: RunScope): Promise<void> {
  for (let round = 0; round < 100 && scope.tasks.size > 0; round++) {
    const tasks = [...scope.tasks];
    for (const task of tasks) task.cancel();
    await Promise.all(tasks.map(whenDone));
  }
}

function reportUnretrieved(scope: RunScope, main: Task<unknown>): void {
  for (const ref of [...runtime.unretrieved]) {
    const task = ref.deref() as Task<unknown> | undefined;
    if (task === undefined || task === main || task._run !== scope) continue;
    const error = task._error();
    task._markRetrieved();
    reportException({ message: "Task exception was never retrieved", error, task });
  }
}

function describePending(scope: RunScope, main: Task<unknown>): string {
  const lines = [main, ...[...scope.tasks].filter((t) => t !== main)].map(
    (task) => `  ${task.toString()}: ${task._waitingOn()}`,
  );
  return lines.join("\n");
}

/**
 * asyncio.run: runs `main` as a root task, then cancels and awaits every task created (directly
 * or indirectly) from within it that is still pending — their `finally` blocks run — and resolves
 * with main's result or rejects with its error. Unretrieved task failures of this run are
 * reported before it returns. If the process would exit while main is still pending (nothing
 * left that can wake it), rejects with an InvalidStateError naming each task and what it waits on.
 * @throws {InvalidStateError} when called from inside a task.
 * @example
 * await run(async () => { await sleep(10); return "done"; });
 */
export function run<T>(main: Coroutine<T>, options?: TaskOptions): Promise<T>;
export function run<T>(main: (signal: AbortSignal) => Coroutine<T>, options?: TaskOptions): Promise<T>;
export function run<F extends (signal: AbortSignal) => unknown>(
  main: F,
  ...options: NoBareYield<ReturnType<F>, [options?: TaskOptions]>
): Promise<Awaited<ReturnType<F>>>;
export async function run(main: unknown, options?: TaskOptions): Promise<unknown> {
  if (runningTask() !== undefined) {
    throw new InvalidStateError("run() cannot be called from inside a task: await the work, or createTask() it");
  }
  const scope: RunScope = { tasks: new Set() };
  const task = spawn<unknown>(main, options, scope);
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  let stuck: InvalidStateError | undefined;
  const onBeforeExit = () => {
    if (task._state !== PENDING) return;
    stuck = new InvalidStateError(
      `run(): the process is about to exit but the main task never finished; nothing can wake these tasks:\n${describePending(scope, task)}`,
    );
    for (const t of scope.tasks) t.cancel("run(): the event loop ran out of work");
  };
  proc?.on?.("beforeExit", onBeforeExit);
  try {
    await whenDone(task);
    await cancelRemaining(scope);
  } finally {
    proc?.off?.("beforeExit", onBeforeExit);
  }
  reportUnretrieved(scope, task);
  if (stuck !== undefined) throw stuck;
  return task.result();
}
