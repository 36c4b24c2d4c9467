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
    aw.then(
      (value) => {
        if (future._state === PENDING) future._complete(RESULT, value);
      },
      (error) => {
        if (future._state === PENDING) future._complete(error instanceof CancelledError ? CANCELLED : EXCEPTION, error);
      },
    );
    return future;
  }
  throw new TypeError(
    `expected an awaitable (a Future or Task, a generator object, a function, or a promise), got ${describeValue(aw)}`,
  );
}

/**
 * Protects `aw` from cancellation: cancelling the returned Future (or the task awaiting it)
 * cancels only that outer Future; the inner work runs on. While the outer Future waits, the
 * inner outcome is copied to it and counts as retrieved. Once the outer is cancelled nobody
 * follows the inner any more: if it is a task that later fails and nothing else reads it, the
 * failure is reported as never retrieved (as asyncio does), so abandoned work never fails
 * silently. Keep the inner task and await it to handle that failure yourself.
 * An already-done Future is returned as it is. A promise cannot be protected or cancelled: pass a
 * function to get a task. asyncio: `shield`.
 */
export function shield<T>(aw: Awaitable<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner._state !== PENDING) return inner;
  const outer = new Future<T>();
  const copy = () => {
    inner._markRetrieved();
    if (outer._state !== PENDING) return;
    if (inner._state === CANCELLED) outer.cancel();
    else outer._complete(inner._state, inner._error());
  };
  inner._addCallback(copy, undefined);
  outer._addCallback(() => {
    if (outer._state === CANCELLED) inner.removeDoneCallback(copy);
  }, undefined);
  return outer;
}
