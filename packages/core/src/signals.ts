import { describeValue } from "./errors.js";

/**
 * Validates the `{ signal }` options every waiting operation takes and returns the signal, so each
 * package rejects bad input with the same words. `where` names the call in the error.
 * @throws {TypeError} if `options` is not an object, or `options.signal` not an AbortSignal.
 * @example
 * const signal = readSignal(options, "Queue.get()");
 * if (signal?.aborted) return rejected(signal.reason);
 */
export function readSignal(options: { signal?: AbortSignal } | undefined, where: string): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object like { signal }, got ${describeValue(options)}`);
  }
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${where}: options.signal must be an AbortSignal, got ${describeValue(signal)}`);
  }
  return signal;
}
