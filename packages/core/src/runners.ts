import { describeValue, InvalidStateError } from "./errors.js";
import { CANCELLED } from "./future.js";
import { interceptSignals, nodeProcess } from "./interrupts.js";
import { reportException, runtime } from "./runtime.js";
import { watchStuck } from "./stuck.js";
import { pendingTasks, type RunScope, runningTask, spawn, type Task, type TaskOptions } from "./tasks.js";
import type { Coroutine, NoBareYield } from "./types.js";

function whenDone(task: Task<unknown>): Promise<void> {
  return new Promise((resolve) => task._addCallback(resolve, undefined));
}

/** Cancels and awaits every task of the run still pending, again for any created meanwhile. */
async function cancelRemaining(scope: RunScope): Promise<void> {
  for (let round = 0; round < 100 && scope.pending > 0; round++) {
    const tasks = pendingTasks(scope);
    for (const task of tasks) task.cancel();
    await Promise.all(tasks.map(whenDone));
  }
}

function reportUnretrieved(scope: RunScope, main: Task<unknown>): void {
  for (const ref of [...runtime.unretrieved]) {
    const task = ref.deref();
    if (task === undefined || task === main || task._run !== scope) continue;
    const error = task._error();
    task._markRetrieved();
    reportException({ message: "Task exception was never retrieved", error, task });
  }
}

/** Options for run(): a task's, plus whether it handles Ctrl-C. */
export interface RunOptions extends TaskOptions {
  /**
   * Default true: the first run() going turns SIGINT and SIGTERM into a cancellation of main. Pass
   * false to keep Node's own handling (the process dies at once, no finally block runs).
   */
  handleSignals?: boolean;
}

function readHandleSignals(options: RunOptions | undefined): boolean {
  const value = typeof options === "object" && options !== null ? options.handleSignals : undefined;
  if (value === undefined) return true;
  if (typeof value !== "boolean") {
    throw new TypeError(`run(): options.handleSignals must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * asyncio.run: runs `main` as a root task, then cancels and awaits every task created (directly
 * or indirectly) from within it that is still pending — their `finally` blocks run — and resolves
 * with main's result or rejects with its error. Unretrieved task failures of this run are
 * reported before it returns.
 *
 * Ctrl-C: the first run() going in a Node process handles SIGINT and SIGTERM (when it ends, the
 * next one still going takes over). The first signal cancels main (its finally blocks and awaits
 * run), the run rejects with CancelledError and the process exits with 130 (143 for SIGTERM); a
 * second signal exits at once, and so does a first one that comes once main is done, while the run
 * cancels the tasks main left (unless another run's main still runs: that one is cancelled). A handler the application installed is left alone and wins;
 * `{ handleSignals: false }` opts out.
 *
 * If the process runs out of work while the run is unfinished (a task waits on a promise nobody
 * will settle), the run's tasks are cancelled and, if that does not finish it, the run rejects
 * with an InvalidStateError naming each task and what it waits on.
 * @throws {InvalidStateError} when called from inside a task.
 * @throws {TypeError} for bad options.
 * @example
 * await run(async () => { await sleep(10); return "done"; });
 */
export function run<T>(main: Coroutine<T>, options?: RunOptions): Promise<T>;
export function run<T>(main: (signal: AbortSignal) => Coroutine<T>, options?: RunOptions): Promise<T>;
export function run<F extends (signal: AbortSignal) => unknown>(
  main: F,
  ...options: NoBareYield<ReturnType<F>, [options?: RunOptions]>
): Promise<Awaited<ReturnType<F>>>;
export async function run(main: unknown, options?: RunOptions): Promise<unknown> {
  if (runningTask() !== undefined) {
    throw new InvalidStateError("run() cannot be called from inside a task: await the work, or createTask() it");
  }
  const handleSignals = readHandleSignals(options);
  const scope: RunScope = { pending: 0 };
  const task = spawn<unknown>(main, options, scope);
  const proc = nodeProcess();
  const watch = watchStuck(proc, scope, task);
  const interrupts = handleSignals ? interceptSignals(proc, task) : undefined;
  runtime.openRuns++;
  try {
    await Promise.race([whenDone(task).then(() => cancelRemaining(scope)), watch.stuck]);
  } finally {
    runtime.openRuns--;
    watch.dispose();
    interrupts?.dispose(task._state === CANCELLED && interrupts.received !== undefined);
  }
  reportUnretrieved(scope, task);
  if (watch.report !== undefined) throw watch.report;
  return task.result();
}
