import type { Future, SignalOptions } from "@taskio/core";
import { describeValue } from "@taskio/core/internal";
import { Heap } from "./heap.js";
import type { PriorityQueueOptions } from "./options.js";
import { admit, defaultCompare, type Shape } from "./order.js";
import { Queue } from "./queue.js";

/** Wraps a user's compare so a result that is not a number is a TypeError, not a silently wrong order. */
function checkedCompare<T>(compare: (a: T, b: T) => number): (a: T, b: T) => number {
  return (a, b) => {
    const result = compare(a, b);
    if (typeof result !== "number" || Number.isNaN(result)) {
      throw new TypeError(
        `PriorityQueue: compare(a, b) must return a number (negative, 0 or positive), got ${describeValue(result)}`,
      );
    }
    return result;
  };
}

/**
 * A queue that returns the lowest item first (a binary heap); items with equal keys come out in
 * the order they were put. asyncio: `asyncio.PriorityQueue`.
 *
 * Without `compare`, items must be numbers, bigints, strings, or arrays of those, compared like
 * Python compares them (arrays lexicographically, so `[priority, name]` works), and like with like:
 * an item that cannot be ordered, or cannot be compared with the items queued, is a TypeError at
 * `put`/`putNowait`. With `compare`, any item goes; a `compare` that throws makes that put or get
 * fail and leaves the queue unchanged. Everything else is {@link Queue}'s.
 * @throws {TypeError} if `compare` is given and is not a function, or `options`/`maxsize` is malformed.
 * @throws {RangeError} for a negative, NaN or fractional `maxsize`.
 * @example
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, "write docs"]);
 * q.putNowait([1, "fix bug"]);
 * q.getNowait(); // [1, "fix bug"]
 *
 * const jobs = new PriorityQueue<Job>({ compare: (a, b) => a.deadline - b.deadline });
 */
export class PriorityQueue<T> extends Queue<T> {
  /** @internal the kinds of the items put since the heap was last empty (default order only) */
  _shape: Shape | undefined = undefined;
  /** @internal */ readonly _defaultOrder: boolean;

  constructor(options?: PriorityQueueOptions<T>) {
    super(options);
    const compare = options?.compare;
    if (compare !== undefined && typeof compare !== "function") {
      throw new TypeError(
        `new PriorityQueue(options): options.compare must be a function (a, b) => number, got ${describeValue(compare)}`,
      );
    }
    this._defaultOrder = compare === undefined;
    this._store = new Heap<T>(compare === undefined ? defaultCompare : checkedCompare(compare));
  }

  /**
   * As {@link Queue.put}.
   * @throws {TypeError} synchronously if, without `compare`, the item cannot be ordered against the queued items.
   * @example
   * yield* q.put([priority, taskName]);
   */
  override put(item: T, options?: SignalOptions): Future<void> {
    if (this._defaultOrder) this._admit(item);
    return super.put(item, options);
  }

  /**
   * As {@link Queue.putNowait}.
   * @throws {TypeError} if, without `compare`, the item cannot be ordered against the queued items.
   * @example
   * q.putNowait([0, "urgent"]);
   */
  override putNowait(item: T): void {
    if (this._defaultOrder) this._admit(item);
    super.putNowait(item);
  }

  /** @internal checks the item against every item it may meet in the heap: those queued and those waiting to be */
  _admit(item: T): void {
    this._shape = admit(item, this._store.size === 0 ? undefined : this._shape);
  }
}
