import { CancelledError, describeValue } from "./errors.js";
import { CANCELLED, EXCEPTION, Future, isFuture, PENDING, RESULT } from "./future.js";
import { isCoroutine, isPromiseLike, spawn } from "./tasks.js";
import type { Awaitable } from "./types.js";

/**
 * A Future for `aw`: a Future (or Task) as it is; a generator or function wrapped in a new Task;
 * a PromiseLike followed by a new Future (a promise cannot be cancelled: cancelling that Future
 * does not stop the promise's work). asyncio: `ensure_future`.
 * @throws {TypeError} for anything else.
 */
export function ensureFuture<T>(aw: Awaitable<T>): Future<T> {
  if (isFuture(aw)) return aw as Future<T>;
  if (typeof aw === "function" || isCoroutine(aw)) return spawn<T>(aw, undefined);
  if (isPromiseLike(aw)) {
    const future = new Future<T>();
    followPromise(future, aw);
    return future;
  }
  throw new TypeError(
    `expected an awaitable (a Future or Task, a generator object, a function, or a promise), got ${describeValue(aw)}`,
  );
}

/**
 * Completes `future` with the outcome of `promise` once it settles, unless the Future is done by
 * then: its value, or its rejection exactly as given (a CancelledError cancels the Future with
 * that very error). `onSettle(future)` runs first, when given: for a Future with something to
 * undo once the promise decides it (waitFor's deadline timer).
 */
export function followPromise<F extends Future<any>>(
  future: F,
  promise: PromiseLike<unknown>,
  onSettle?: (future: F) => void,
): void {
  promise.then(
    (value) => {
      if (future._state !== PENDING) return;
      onSettle?.(future);
      future._complete(RESULT, value);
    },
    (error) => {
      if (future._state !== PENDING) return;
      onSettle?.(future);
      future._complete(error instanceof CancelledError ? CANCELLED : EXCEPTION, error);
    },
  );
}
