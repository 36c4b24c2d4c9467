import { labelWait } from "./describe.js";
import { describeValue } from "./errors.js";
import { Future, futureThen, PENDING, RESULT } from "./future.js";
import { runtime } from "./runtime.js";

/** A Future completed by a timer; cancelling it clears the timer. */
class SleepFuture<T> extends Future<T> {
  /** @internal */ _handle: unknown = undefined;
  /** @internal */ _result: T;
  constructor(value: T) {
    super();
    this._result = value;
    // Awaited once for each one created (see futureThen).
    this.then = futureThen;
  }
  override cancel(msg?: string): boolean {
    if (this._state !== PENDING) return false;
    if (this._handle !== undefined) runtime.clock.clearTimer(this._handle);
    return super.cancel(msg);
  }
}

function wake(future: SleepFuture<unknown>): void {
  if (future._state === PENDING) future._complete(RESULT, future._result);
}

/**
 * A Future that resolves to `value` after `ms` milliseconds on the taskio clock; cancellable.
 * `sleep(0)` lets every other ready task, timer and I/O callback run first, in FIFO order.
 * `Infinity` sleeps until cancelled. asyncio: `asyncio.sleep(delay, result)`.
 * @throws {RangeError} for a negative or NaN `ms`. @throws {TypeError} for a non-number.
 * @example
 * await sleep(100);
 * const v = yield* sleep(10, "done");
 */
export function sleep<T = undefined>(ms: number, value?: T): Future<T> {
  if (typeof ms !== "number")
    throw new TypeError(`sleep(ms): ms must be a number of milliseconds, got ${describeValue(ms)}`);
  if (!(ms >= 0)) throw new RangeError(`sleep(ms): ms must be >= 0 (milliseconds), got ${ms}`);
  const future = labelWait(new SleepFuture<T>(value as T), "sleep", ms);
  if (ms === 0) runtime.scheduleNextTurn(wake, future);
  else if (ms !== Infinity) future._handle = runtime.clock.setTimer(() => wake(future), ms);
  return future;
}
