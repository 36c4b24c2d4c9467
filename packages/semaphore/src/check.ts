import { describeValue } from "@taskio/core/internal";

/** A count of permits: a non-negative integer, or Infinity when `infinite` is allowed. */
export function checkCount(value: unknown, what: string, min: number, infinite: boolean): number {
  if (typeof value !== "number") throw new TypeError(`${what} must be a number, got ${describeValue(value)}`);
  if (!(Number.isInteger(value) || (infinite && value === Infinity)) || value < min) {
    const expected = `an integer >= ${min}${infinite ? " (or Infinity)" : ""}`;
    throw new RangeError(`${what} must be ${expected}, got ${value}`);
  }
  return value;
}

/** Throws unless `fn` is something a task can run as a body. */
// Compared by identity: cheaper than a toString tag on every call.
const AsyncGeneratorFunction = async function* () {}.constructor;

export function checkBody(fn: unknown, where: string): void {
  if (typeof fn !== "function") {
    throw new TypeError(
      `${where}: fn must be a function (an async function, a generator function or a plain function), got ${describeValue(fn)}`,
    );
  }
  if (fn.constructor === AsyncGeneratorFunction) {
    throw new TypeError(
      `${where}: got an async generator function, which is not a taskio coroutine. Use a generator function with \`yield*\`, or an async function`,
    );
  }
}

/** A waiter's priority: any number but NaN (higher is served first). */
export function checkPriority(priority: unknown, where: string): number {
  if (typeof priority !== "number") {
    throw new TypeError(`${where}: priority must be a number (higher is served first), got ${describeValue(priority)}`);
  }
  if (Number.isNaN(priority)) throw new RangeError(`${where}: priority must be a number, not NaN`);
  return priority;
}
