import { describeValue } from "@taskio/core/internal";

/**
 * Checks a delay in milliseconds and returns it, or null for "no limit" (null or Infinity).
 * Negative delays are allowed: like asyncio's `timeout(-11)`, they mean a deadline already passed.
 * @throws {TypeError} for a non-number. @throws {RangeError} for NaN or -Infinity.
 */
export function checkDelay(ms: unknown, where: string): number | null {
  if (ms === null || ms === Infinity) return null;
  if (typeof ms !== "number") {
    throw new TypeError(
      `${where}: ms must be a number of milliseconds, or null for no limit; got ${describeValue(ms)}`,
    );
  }
  if (Number.isNaN(ms) || ms === -Infinity) {
    throw new RangeError(`${where}: ms must be a finite number of milliseconds, Infinity or null; got ${ms}`);
  }
  return ms;
}

/** Deadlines above this look like `Date.now()` (epoch ms: 31 years of uptime on the monotonic clock). */
const EPOCH_LIKE = 1e12;
let warnedEpoch = false;

/**
 * Checks a deadline on the `now()` clock and returns it, or null for "no limit" (null or
 * Infinity). Warns once per process if it looks like epoch milliseconds.
 * @throws {TypeError} for a non-number. @throws {RangeError} for NaN or -Infinity.
 */
export function checkDeadline(when: unknown, where: string): number | null {
  if (when === null || when === Infinity) return null;
  if (typeof when !== "number") {
    throw new TypeError(
      `${where}: when must be a deadline in milliseconds on the now() clock, or null for no limit; got ${describeValue(when)}`,
    );
  }
  if (Number.isNaN(when) || when === -Infinity) {
    throw new RangeError(`${where}: when must be a finite deadline on the now() clock, Infinity or null; got ${when}`);
  }
  if (when > EPOCH_LIKE && !warnedEpoch) {
    warnedEpoch = true;
    console.warn(
      `taskio: ${where} got when=${when}, which looks like epoch milliseconds (Date.now()). Deadlines are on ` +
        "the monotonic now() clock from @taskio/core: use now() + ms.",
    );
  }
  return when;
}
