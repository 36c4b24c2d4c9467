import {
  type Coroutine,
  createTask,
  currentTask,
  ensureFuture,
  Future,
  InvalidStateError,
  isCancelledError,
  now,
  type Task,
} from "@taskio/core";
import {
  awaitRunning,
  cancelledError,
  describeValue,
  followTask,
  isCoroutine,
  isPromiseLike,
  timeoutError,
} from "@taskio/core/internal";
import { checkDelay } from "./arguments.js";
import { AWAIT, CALL_WITH_SIGNAL, spawnScopeTask } from "./body-task.js";
import { PromiseDeadline } from "./promise-deadline.js";
import { enclosingScope, Timeout } from "./timeout.js";

/**
 * Waits for `aw` for at most `ms` milliseconds and returns a Task with its result. On time-out
 * `aw` is cancelled, waited for until it has really finished (its cleanup may await), and the
 * task rejects with a `TimeoutError` whose `cause` is the CancelledError. asyncio: `wait_for`.
 *
 * - `aw` a Future or Task: awaited by the returned task. A generator object or a function (called
 *   with the task's signal, like `createTask`) runs as the returned task's body, so
 *   `currentTask()` inside it is that task.
 * - If `aw` catches the cancellation and returns a value, that value is returned; if it
 *   throws another error, that error is thrown instead of TimeoutError.
 * - Cancelling the returned task (or a task awaiting it) cancels `aw`, waits for it, and ends in
 *   a CancelledError, never a TimeoutError; if `aw` ignores the cancellation and returns, the
 *   value is returned.
 * - `ms` `null` or `Infinity`: no limit. `ms <= 0` (negative included): a done Future gives its
 *   result, a generator or function is never started (TimeoutError), and a pending Future or
 *   Task is cancelled and waited for.
 * - A Future's completed value is never dropped: if the returned task is cancelled before its
 *   first step and `aw` has already completed (a queue getter handed an item), the task ends
 *   with that value; a still-pending Future is cancelled at once.
 * - Wrap `aw` in `shield()` to keep it running past the time-out.
 * - A PromiseLike is followed, but a promise cannot be cancelled: on time-out its work goes on
 *   unobserved. Pass a function (`() => work()`) to get a task that can be.
 *
 * @throws {TypeError} if `aw` is not awaitable or `ms` is not a number or null.
 * @throws {RangeError} if `ms` is NaN or -Infinity.
 * @throws {InvalidStateError} if `aw` is the task calling waitFor (it would wait on itself).
 * @example
 * // Unlike Promise.race, no getter is left behind to swallow a later item.
 * const item = await waitFor(queue.get(), 100);
 */
export function waitFor<T>(aw: Future<T>, ms: number | null): Task<T>;
export function waitFor<T>(aw: Coroutine<T>, ms: number | null): Task<T>;
export function waitFor<T>(aw: (signal: AbortSignal) => Coroutine<T>, ms: number | null): Task<T>;
export function waitFor<T>(aw: (signal: AbortSignal) => T | PromiseLike<T>, ms: number | null): Task<Awaited<T>>;
export function waitFor<T>(aw: PromiseLike<T>, ms: number | null): Task<T>;
export function waitFor(aw: unknown, ms: number | null): Task<unknown> {
  const delay = checkDelay(ms, "waitFor(aw, ms)");
  const expired = delay !== null && delay <= 0;
  if (typeof aw === "function" || isCoroutine(aw)) {
    // With no time left a coroutine is never started.
    if (expired) return createTask(neverStarted(delay));
    return spawnScopeTask(
      new Timeout(delay === null ? null : now() + delay, "waitFor()", delay),
      aw,
      typeof aw === "function" ? CALL_WITH_SIGNAL : AWAIT,
    );
  }
  if (!(aw instanceof Future) && !isPromiseLike(aw)) {
    throw new TypeError(
      `waitFor(aw, ms): aw must be a Future or Task, a generator object, a function or a promise; got ${describeValue(aw)}` +
        (typeof aw === "object" && aw !== null && Symbol.asyncIterator in aw
          ? " (an async generator is not a taskio coroutine: use a generator with `yield*`, or an async function)"
          : ""),
    );
  }
  if (!(aw instanceof Future) && !expired && enclosingScope() === undefined) {
    // Nothing to cancel at the deadline: the promise's own Future settles itself then (a scope
    // around the call keeps the Timeout, so that scopes due together convert only once).
    const deadline = new PromiseDeadline(aw as PromiseLike<unknown>, delay);
    const task = followTask(deadline);
    deadline._task = task;
    return task;
  }
  const future = ensureFuture(aw as Future<unknown> | PromiseLike<unknown>);
  if (future === currentTask()) {
    throw new InvalidStateError("waitFor(aw, ms): aw is the task calling waitFor, which would wait on itself");
  }
  if (future.done()) {
    const task = createTask(adopt(future));
    awaitRunning(task, future);
    return task;
  }
  if (expired) {
    // asyncio's _cancel_and_wait, started now so that the caller cancelling the returned task
    // before its first step cannot leave `aw` running.
    future.cancel();
    return createTask(awaitCancelled(future, delay));
  }
  return spawnScopeTask(new Timeout(delay === null ? null : now() + delay, "waitFor()", delay), future, AWAIT);
}

function* neverStarted(delay: number): Coroutine<never> {
  const task = currentTask();
  throw timeoutError(
    `waitFor() timed out: ms was ${delay}, so the coroutine was never started`,
    cancelledError(undefined, task),
    task,
  );
}

function* adopt<T>(future: Future<T>): Coroutine<T> {
  return yield* future;
}

function* awaitCancelled<T>(future: Future<T>, delay: number): Coroutine<T> {
  const task = currentTask()!;
  const baseline = task.cancelling();
  try {
    return yield* future;
  } catch (error) {
    // Our own cancel becomes TimeoutError; if the returned task was cancelled meanwhile, it stays.
    if (isCancelledError(error) && task.cancelling() <= baseline) {
      throw timeoutError(`waitFor() timed out: ms was ${delay}`, error, task);
    }
    throw error;
  }
}
