import { describeValue } from "@taskio/core/internal";

/**
 * Reads a `timeout` option in milliseconds: `null`, `undefined` and `Infinity` mean no limit (null);
 * a negative delay means "now" (0), as asyncio's `call_later` treats it.
 * @throws {TypeError} for a non-number. @throws {RangeError} for NaN.
 */
export function readTimeout(timeout: unknown, where: string): number | null {
  if (timeout === undefined || timeout === null || timeout === Infinity) return null;
  if (typeof timeout !== "number") {
    throw new TypeError(`${where}: timeout must be a number of milliseconds or null, got ${describeValue(timeout)}`);
  }
  if (Number.isNaN(timeout)) throw new RangeError(`${where}: timeout must be a number of milliseconds, got NaN`);
  return Math.max(0, timeout);
}
