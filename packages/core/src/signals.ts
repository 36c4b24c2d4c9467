import { describeValue } from "./errors.js";
import type { SignalOptions } from "./types.js";

/**
 * Validates the `{ signal }` options every waiting operation takes and returns the signal, so each
 * package rejects bad input with the same words. `where` names the call in the error.
 * @throws {TypeError} if `options` is not an object, or `options.signal` not an AbortSignal.
 * @example
 * const signal = readSignal(options, "Queue.get()");
 * if (signal?.aborted) return rejected(signal.reason);
 */
export function readSignal(options: SignalOptions | undefined, where: string): AbortSignal | undefined {
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

/** What {@link listenAbort} calls when the signal aborts (an object, so a waiter can be its own listener). */
export interface AbortListener {
  handleEvent(): void;
}

/**
 * The one native "abort" listener taskio keeps per signal, calling every taskio listener in the
 * order they were added: many waits on one signal (a request's signal shared by a hundred
 * `q.get({ signal })`) must not pile up native listeners, which also makes Node 20 print a
 * MaxListenersExceededWarning past ten.
 */
class AbortFanOut {
  readonly listeners = new Set<AbortListener>();
  constructor(readonly signal: AbortSignal) {}
  handleEvent(): void {
    fanOuts.delete(this.signal);
    this.signal.removeEventListener("abort", this);
    for (const listener of this.listeners) listener.handleEvent();
  }
}

const fanOuts = new WeakMap<AbortSignal, AbortFanOut>();

/**
 * Calls `listener.handleEvent()` once when `signal` aborts, until {@link unlistenAbort} takes it
 * back. Many listeners on one signal share a single native listener.
 * @example
 * listenAbort(signal, waiter); // waiter.handleEvent() withdraws the wait
 */
export function listenAbort(signal: AbortSignal, listener: AbortListener): void {
  let fanOut = fanOuts.get(signal);
  if (fanOut === undefined) {
    fanOut = new AbortFanOut(signal);
    fanOuts.set(signal, fanOut);
    signal.addEventListener("abort", fanOut);
  }
  fanOut.listeners.add(listener);
}

/** Takes back a listener given to {@link listenAbort}; the native one goes with the last. */
export function unlistenAbort(signal: AbortSignal, listener: AbortListener): void {
  const fanOut = fanOuts.get(signal);
  if (fanOut === undefined || !fanOut.listeners.delete(listener) || fanOut.listeners.size > 0) return;
  fanOuts.delete(signal);
  signal.removeEventListener("abort", fanOut);
}
