import type { Future } from "@taskio/core";
import { RemoteQueueShutDown } from "./errors.js";

/** What the iterator needs of its queue. */
interface Gettable<T> {
  get(): Future<T>;
}

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

function toResult<T>(value: T): IteratorYieldResult<T> {
  return { done: false, value };
}

function endOnShutDown(error: unknown): IteratorReturnResult<undefined> {
  if (error instanceof RemoteQueueShutDown) return END;
  throw error;
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
  /** @internal */ readonly _queue: Gettable<T>;
  /** @internal set by `return()`: later `next()` calls end at once */ _finished = false;

  constructor(queue: Gettable<T>) {
    this._queue = queue;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this._finished) return Promise.resolve(END);
    return this._queue.get().then(toResult, endOnShutDown);
  }

  /** `break` out of the loop: later `next()` calls end at once. Nothing is waiting, so nothing to undo. */
  return(): Promise<IteratorResult<T, undefined>> {
    this._finished = true;
    return Promise.resolve(END);
  }
}
