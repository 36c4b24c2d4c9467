import type { QueueOptions } from "./options.js";
import { Queue } from "./queue.js";
import { Stack } from "./store.js";

/**
 * A last in, first out queue: `get()` returns the most recently put item. Everything else —
 * waiting, cancellation, `taskDone`/`join`, `shutdown` — is {@link Queue}'s. asyncio: `asyncio.LifoQueue`.
 * @throws {TypeError} if `options` or `maxsize` is malformed.
 * @throws {RangeError} for a negative, NaN or fractional `maxsize`.
 * @example
 * const q = new LifoQueue<number>();
 * q.putNowait(1);
 * q.putNowait(2);
 * q.getNowait(); // 2
 */
export class LifoQueue<T> extends Queue<T> {
  constructor(options?: QueueOptions) {
    super(options);
    this._store = new Stack<T>();
  }
}
