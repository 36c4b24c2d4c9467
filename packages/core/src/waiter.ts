import { completeInOneSlot, Future, PENDING, RESULT } from "./future.js";
import { listenAbort, unlistenAbort } from "./signals.js";

const baseSetResult = Future.prototype.setResult;
const baseSetException = Future.prototype.setException;

/**
 * The hook an {@link AbortableWaiter} subclass implements: leave the owner's list (and undo
 * whatever the wait started), called when the waiter is cancelled or its signal aborts. A symbol,
 * so the Futures users hold offer no such method.
 */
export const WITHDRAW: unique symbol = Symbol("taskio.withdraw");

/** The hook that settles an {@link AbortableWaiter} whose signal aborted: a symbol, as WITHDRAW. */
export const SETTLE_ABORTED: unique symbol = Symbol("taskio.settleAborted");

/**
 * The Future a primitive's waiting operation returns (a queue's get, a semaphore's acquire, a
 * remote call), ending early in one fixed order whatever ends it:
 * - `cancel()` settles it at once, as any Future (so the waiting task wakes first, as asyncio's
 *   does), then it stops listening to its signal and withdraws;
 * - an abort of its signal stops the listening, withdraws, then settles it with exactly
 *   `signal.reason`;
 * - the primitive serves it with {@link resolveWaiter}/{@link rejectWaiter}, which stop the
 *   listening and settle.
 *
 * Each primitive keeps its own list of waiters and says, in `[WITHDRAW]()`, how one leaves it. The
 * waiter is its own abort listener (`handleEvent`), so waiting costs one allocation and no closure.
 */
export abstract class AbortableWaiter<T> extends Future<T> {
  /**
   * @internal the signal listened to, undefined when there is none or once the listening
   * stopped. Set by listenWaiter only, with the prototype's undefined until then: a class
   * without a constructor costs nothing per waiter (V8 skips it).
   */
  declare _signal: AbortSignal | undefined;

  abstract [WITHDRAW](): void;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    unlistenWaiter(this);
    this[WITHDRAW]();
    return true;
  }

  /** The signal aborted while waiting. */
  handleEvent(): void {
    if (this._state !== PENDING) return;
    const reason = this._signal!.reason;
    unlistenWaiter(this);
    this[WITHDRAW]();
    this[SETTLE_ABORTED](reason);
  }

  /**
   * Settles it with the aborted signal's reason, exactly; a subclass whose outcome is not a plain
   * rejection (a CancelledError reason that should cancel it) says how.
   */
  [SETTLE_ABORTED](reason: unknown): void {
    baseSetException.call(this, reason);
  }
}

Object.defineProperty(AbortableWaiter.prototype, "_signal", { value: undefined, writable: true });

/**
 * Starts listening to `signal` (none: nothing to do): its abort withdraws the waiter, then
 * rejects it with exactly the signal's reason.
 * @example
 * listenWaiter(getter, options?.signal);
 */
export function listenWaiter(waiter: AbortableWaiter<any>, signal: AbortSignal | undefined): void {
  if (signal === undefined) return;
  waiter._signal = signal;
  listenAbort(signal, waiter);
}

/** Stops listening to the waiter's signal; idempotent. */
export function unlistenWaiter(waiter: AbortableWaiter<any>): void {
  const signal = waiter._signal;
  if (signal !== undefined) {
    waiter._signal = undefined;
    unlistenAbort(signal, waiter);
  }
}

/** Serves the waiter with `value` (past any setResult override that guards the Future). */
export function resolveWaiter<T>(waiter: AbortableWaiter<T>, value: T): void {
  if (waiter._signal !== undefined) unlistenWaiter(waiter);
  baseSetResult.call(waiter, value);
}

/**
 * Serves the waiter with `value` like resolveWaiter, settling it in one ready-queue slot:
 * `wake(waiter)` runs there and then calls runDoneCallbacks, so the owner's bookkeeping for a
 * served waiter and the wake-up of whoever waits on it cost one slot, not two.
 */
export function resolveWaiterInOneSlot<T, W extends AbortableWaiter<T>>(
  waiter: W,
  value: T,
  wake: (waiter: W) => void,
): void {
  if (waiter._signal !== undefined) unlistenWaiter(waiter);
  completeInOneSlot(waiter, RESULT, value, wake);
}

/** Fails the waiter with exactly `error` (past any setException override). */
export function rejectWaiter(waiter: AbortableWaiter<any>, error: unknown): void {
  if (waiter._signal !== undefined) unlistenWaiter(waiter);
  baseSetException.call(waiter, error);
}
