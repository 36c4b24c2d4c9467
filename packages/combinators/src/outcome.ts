import type { Future } from "@taskio/core";

/** What {@link failureOf} returns for a Future that succeeded. */
export const OK: unique symbol = Symbol("ok");

/**
 * The error a done Future failed with (its CancelledError if it was cancelled), or {@link OK}.
 * Reading it marks the failure retrieved, as consuming an outcome does. Unlike `exception()`,
 * this tells a thrown `undefined` apart from success.
 */
export function failureOf(future: Future<unknown>): unknown {
  try {
    future.result();
    return OK;
  } catch (error) {
    return error;
  }
}
