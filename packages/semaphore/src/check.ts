import { describeValue } from "@taskio/core/internal";
/**
 * Options every waiting operation takes (`acquire`, `wait`). asyncio has no equivalent: there you
 * cancel the task; here you may also abort a signal you already have.
 * @example
 * const controller = new AbortController();
 * const permit = lock.acquire({ signal: controller.signal });
 * controller.abort(new Error("gave up")); // permit rejects with that error, the lock is untouched
 */
export interface WaitOptions {
  /** Aborting it withdraws the wait, which then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A count of permits: a non-negative integer, or Infinity when `infinite` is allowed. */
export function checkCount(value: unknown, what: string, min: number, infinite: boolean): number {
  if (typeof value !== "number") throw new TypeError(`${what} must be a number, got ${describeValue(value)}`);
  if (!(Number.isInteger(value) || (infinite && value === Infinity)) || value < min) {
    const expected = `an integer >= ${min}${infinite ? " (or Infinity)" : ""}`;
    throw new RangeError(`${what} must be ${expected}, got ${value}`);
  }
  return value;
}

// limit.ts still imports checkBody from here; its one home is @taskio/core/internal.
export { checkBody } from "@taskio/core/internal";

/** A waiter's priority: any number but NaN (higher is served first). */
export function checkPriority(priority: unknown, where: string): number {
  if (typeof priority !== "number") {
    throw new TypeError(`${where}: priority must be a number (higher is served first), got ${describeValue(priority)}`);
  }
  if (Number.isNaN(priority)) throw new RangeError(`${where}: priority must be a number, not NaN`);
  return priority;
}
