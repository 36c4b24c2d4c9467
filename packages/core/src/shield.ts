import { ensureFuture } from "./ensure-future.js";
import { CANCELLED, Future, PENDING } from "./future.js";
import type { Awaitable } from "./types.js";

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
