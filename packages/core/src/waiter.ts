import { Future, PENDING } from "./future.js";
import { listenAbort, unlistenAbort } from "./signals.js";

const baseSetResult = Future.prototype.setResult;
const baseSetException = Future.prototype.setException;

/**
 * The Future a primitive's waiting operation returns (a queue's get, a semaphore's acquire, a
 * remote call), ending early in one fixed order whatever ends it:
 * - `cancel()` settles it at once, as any Future (so the waiting task wakes first, as asyncio's
 *   does), then it stops listening to its signal and withdraws;
 * - an abort of its signal stops the listening, withdraws, then settles it with exactly
 *   `signal.reason`;
 * - the primitive serves it with `_resolve`/`_reject`, which stop the listening and settle.
 *
 * Each primitive keeps its own list of waiters and says, in `_withdraw`, how one leaves it. The
 * waiter is its own abort listener (`handleEvent`), so waiting costs one allocation and no closure.
 */
export abstract class AbortableWaiter<T> extends Future<T> {
  /** Listened to only while waiting. */ _signal: AbortSignal | undefined;

  /** `signal`: kept, not listened to yet (see `_listen`). */
  constructor(signal?: AbortSignal) {
    super();
    this._signal = signal;
  }

  /** Withdraws the waiter when `signal` aborts. */
  _listen(signal: AbortSignal): void {
    this._signal = signal;
    listenAbort(signal, this);
  }

  /** Stops listening to the signal; idempotent. */
  _unlisten(): void {
    const signal = this._signal;
    if (signal !== undefined) {
      this._signal = undefined;
      unlistenAbort(signal, this);
    }
  }

  /**
   * Leaves the owner's list (and undoes whatever the wait started): called when the waiter is
   * cancelled or its signal aborts.
   */
  abstract _withdraw(): void;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._unlisten();
    this._withdraw();
    return true;
  }

  /** The signal aborted while waiting. */
  handleEvent(): void {
    if (this._state !== PENDING) return;
    const reason = this._signal!.reason;
    this._unlisten();
    this._withdraw();
    baseSetException.call(this, reason);
  }

  /** Served with `value` (past any setResult override that guards the Future). */
  _resolve(value: T): void {
    this._unlisten();
    baseSetResult.call(this, value);
  }

  /** Failed with exactly `error` (past any setException override). */
  _reject(error: unknown): void {
    this._unlisten();
    baseSetException.call(this, error);
  }
}
