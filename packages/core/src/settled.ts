import { Future, futureThen } from "./future.js";
import { runtime } from "./runtime.js";

/**
 * A Future already done with `value`: what an operation that need not wait returns, so `yield*`
 * does not suspend and `await` takes one turn.
 * @example
 * if (this._store.size > 0) return resolvedFuture(this._take());
 */
export function resolvedFuture<T>(value: T): Future<T> {
  const future = fulfilled(value);
  // Most are awaited at once (see futureThen).
  future.then = futureThen;
  return future;
}

function fulfilled<T>(value: T): Future<T> {
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

/**
 * A native promise fulfilled with `value` that is also a done Future: Future's fields and methods
 * as its own properties, its prototype still Promise.prototype. V8 awaits a promise whose
 * prototype is Promise.prototype without looking anything up or calling its then(); with any
 * other prototype it reads `constructor` on every await (about 220 instructions on Node 24).
 * `then` and `constructor` stay Promise's: an own one on a promise would slow every promise in
 * the process (V8 guards their fast paths with flags that such a property clears), and on a done
 * Future a promise's then() calls back as Future's would.
 */
function promiseFuture<T>(value: T): Future<T> {
  const future = Object.assign(Promise.resolve(value), fulfilled(value));
  for (const key of Reflect.ownKeys(Future.prototype)) {
    if (key !== "constructor" && key !== "then") {
      Object.defineProperty(future, key, Object.getOwnPropertyDescriptor(Future.prototype, key)!);
    }
  }
  return future as unknown as Future<T>;
}

/**
 * The same done Future for every call of an operation that need not wait (a free permit, room in
 * a queue), made once. While the scheduler's burst allows, it is also a native promise, which
 * `await` settles in one turn without calling then() or allocating; past the burst it is a plain
 * Future, whose await waits for the ready queue, so a loop of such calls still lets timers run.
 * A generator step gets the plain one without spending the burst: its `yield*` of a done Future
 * does not suspend, so charging it would only cut short the burst of everything else.
 * @example
 * const done = constantFuture(true);
 * acquire() { if (free) return done(); … }
 */
export function constantFuture<T>(value: T): () => Future<T> {
  const fast = promiseFuture(value);
  const slow = resolvedFuture(value);
  return () => (runtime.current?._coro === undefined && runtime.spendBurst() ? fast : slow);
}
