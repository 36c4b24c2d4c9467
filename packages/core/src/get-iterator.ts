import type { Future } from "./future.js";

/** What {@link GetIterator} reads from: a queue, in process or remote. */
export interface Gettable<T> {
  get(): Future<T>;
}

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

function toResult<T>(value: T): IteratorYieldResult<T> {
  return { done: false, value };
}

/**
 * `for await (const item of queue)` for a taskio queue (asyncio 3.13: a loop on `get()` until
 * `QueueShutDown`): each `next()` is one `queue.get()` (so, inside a task, it is cancelled with the
 * task, and a woken-then-cancelled consumer still gets its item); the loop ends when `get()`
 * rejects with an error `isEnd` accepts (the queue is shut down and drained). It never calls
 * `taskDone()`. `break` ends it at once: nothing is waiting then, so nothing is undone.
 * @example
 * [Symbol.asyncIterator]() { return new GetIterator(this, isShutDown); }
 */
export class GetIterator<T> implements AsyncIterator<T, undefined> {
  /** @internal */ _finished = false;
  /** @internal */ readonly _queue: Gettable<T>;
  /** @internal made once, so a `next()` allocates no closure */ readonly _endOn: (
    error: unknown,
  ) => IteratorReturnResult<undefined>;

  constructor(queue: Gettable<T>, isEnd: (error: unknown) => boolean) {
    this._queue = queue;
    this._endOn = (error) => {
      if (isEnd(error)) return END;
      throw error;
    };
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this._finished) return Promise.resolve(END);
    return this._queue.get().then(toResult, this._endOn);
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this._finished = true;
    return Promise.resolve(END);
  }
}
