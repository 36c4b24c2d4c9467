import { Future } from "./future.js";

/**
 * A Future already done with `value`: what an operation that need not wait returns, so `yield*`
 * does not suspend and `await` takes one turn.
 * @example
 * if (this._store.size > 0) return resolvedFuture(this._take());
 */
export function resolvedFuture<T>(value: T): Future<T> {
  const future = new Future<T>();
  future.setResult(value);
  return future;
}

/**
 * A Future already failed with `error`, exactly that value (a signal's reason may be anything, a
 * CancelledError included: it stays an exception, as the signal's reason, not a cancellation).
 * @example
 * if (signal?.aborted) return rejectedFuture(signal.reason);
 */
export function rejectedFuture<T>(error: unknown): Future<T> {
  const future = new Future<T>();
  future.setException(error);
  return future;
}
