import { QueueShutDown } from "./errors.js";
import type { Queue } from "./queue.js";

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

function toResult<T>(value: T): IteratorYieldResult<T> {
  return { done: false, value };
}

function endOnShutDown(error: unknown): IteratorReturnResult<undefined> {
  if (error instanceof QueueShutDown) return END;
  throw error;
}

/**
 * `for await (const item of queue)`: each `next()` is one `queue.get()` (so, inside a task, it is
 * cancelled with the task and a woken-then-cancelled consumer still gets its item); the loop ends
 * when the queue is shut down and drained. It never calls `taskDone()`.
 */
export class QueueIterator<T> implements AsyncIterator<T, undefined> {
  /** @internal */ readonly _queue: Queue<T>;
  /** @internal set by `return()`: later `next()` calls end at once */ _finished = false;

  constructor(queue: Queue<T>) {
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
