import { describeValue } from "@taskio/core/internal";

/** A count of permits: a non-negative integer, or Infinity when `infinite` is allowed. */
export function checkCount(value: unknown, what: string, min: number, infinite: boolean): number {
  if (isCount(value, min, infinite)) return value;
  if (typeof value !== "number") throw new TypeError(`${what} must be a number, got ${describeValue(value)}`);
  const expected = `an integer >= ${min}${infinite ? " (or Infinity)" : ""}`;
  throw new RangeError(`${what} must be ${expected}, got ${value}`);
}

/** True for what checkCount accepts: an integer >= `min`, or Infinity if `infinite`. */
export function isCount(value: unknown, min: number, infinite: boolean): value is number {
  return typeof value === "number" && (Number.isInteger(value) || (infinite && value === Infinity)) && value >= min;
}

/** A waiter's priority: any number but NaN (higher is served first). */
export function checkPriority(priority: unknown, where: string): number {
  if (typeof priority !== "number") {
    throw new TypeError(`${where}: priority must be a number (higher is served first), got ${describeValue(priority)}`);
  }
  if (Number.isNaN(priority)) throw new RangeError(`${where}: priority must be a number, not NaN`);
  return priority;
}
