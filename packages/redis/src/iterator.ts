import type { Future } from "@taskio/core";
import { GetIterator } from "@taskio/core/internal";
import { RemoteQueueShutDown } from "./errors.js";

function isShutDown(error: unknown): boolean {
  return error instanceof RemoteQueueShutDown;
}

/**
 * What `for await (const item of queue)` runs on (asyncio 3.13: a loop on `get()` until
 * `QueueShutDown`): each `next()` is one `queue.get()` (so, inside a task, it is cancelled with the
 * task); the loop ends when the queue is shut down and nothing is left to claim. It never calls
 * `taskDone()`. `break` ends it at once.
 * @example
 * for await (const job of q) {
 *   await handle(job);
 *   await q.taskDone();
 * }
 */
export class RemoteQueueIterator<T> implements AsyncIterator<T, undefined> {
  // Delegates rather than extends: the published types must not lean on core's unstable entry.
  /** @internal */ readonly _loop: GetIterator<T>;

  constructor(queue: { get(): Future<T> }) {
    this._loop = new GetIterator(queue, isShutDown);
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return this._loop.next();
  }

  /** `break` out of the loop: later `next()` calls end at once. Nothing is waiting, so nothing to undo. */
  return(): Promise<IteratorResult<T, undefined>> {
    return this._loop.return();
  }
}
