import { describeValue } from "@taskio/core/internal";

/**
 * Options of `new Queue()` and `new LifoQueue()` (asyncio: the `maxsize` argument).
 * @example
 * const q = new Queue<Job>({ maxsize: 100 });
 */
export interface QueueOptions {
  /** The most items the queue holds before `put()` waits; 0, `Infinity` or absent: unbounded. */
  maxsize?: number;
}

/**
 * Options of `new PriorityQueue()`: `maxsize`, and `compare` for items without a default order.
 * @example
 * const q = new PriorityQueue<Job>({ maxsize: 100, compare: (a, b) => a.deadline - b.deadline });
 */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders items: negative if `a` comes out first, positive if `b` does, 0 for equal keys (which
   * come out first in, first out). Must be consistent and must not touch the queue. Without it,
   * numbers, bigints, strings and arrays of those are ordered as Python orders them.
   */
  compare?: (a: T, b: T) => number;
}

/** Validates a constructor's options object and returns `maxsize`. */
export function readMaxsize(options: QueueOptions | undefined, cls: string): number {
  if (options === undefined) return 0;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `new ${cls}(options): options must be an object like { maxsize: 10 }, got ${describeValue(options)}`,
    );
  }
  const maxsize = options.maxsize;
  if (maxsize === undefined) return 0;
  if (typeof maxsize !== "number") {
    throw new TypeError(`new ${cls}(options): options.maxsize must be a number, got ${describeValue(maxsize)}`);
  }
  if (!(maxsize >= 0) || (maxsize !== Number.POSITIVE_INFINITY && !Number.isInteger(maxsize))) {
    throw new RangeError(
      `new ${cls}(options): options.maxsize must be a whole number >= 0 (0 or Infinity: unbounded), got ${maxsize}`,
    );
  }
  return maxsize;
}

/** Validates `shutdown()`'s argument: a boolean, `{ immediate }`, or nothing. */
export function readImmediate(arg: boolean | { immediate?: boolean } | undefined): boolean {
  if (arg === undefined || typeof arg === "boolean") return arg === true;
  if (typeof arg === "object" && arg !== null) {
    const immediate = arg.immediate;
    if (immediate === undefined || typeof immediate === "boolean") return immediate === true;
    throw new TypeError(`shutdown(options): options.immediate must be a boolean, got ${describeValue(immediate)}`);
  }
  throw new TypeError(`shutdown(immediate): expected a boolean or { immediate: boolean }, got ${describeValue(arg)}`);
}
