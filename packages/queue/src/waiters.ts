import { Future } from "@taskio/core";
import { listenAbort, unlistenAbort } from "@taskio/core/internal";
import { Deque } from "./deque.js";

/**
 * The Future a waiting `get`, `put` or `join` returns. It knows the list it waits in, so however it
 * ends early — its task cancelled, `cancel()` called on it, its `signal` aborted — it leaves that
 * list at once (asyncio's `self._getters.remove(getter)`, without the O(n) scan) and takes nothing.
 * Its fields carry a `q` prefix to stay clear of @taskio/core's own (underscored) Future fields.
 */
export class Waiter<T> extends Future<T> {
  /** @internal the list that counts it as waiting; undefined once it left */ _qList: WaiterList | undefined =
    undefined;
  /** @internal a putter's item, until it is stored */ _qItem: unknown = undefined;
  /** @internal the caller's signal, listened to only while waiting */ _qSignal: AbortSignal | undefined = undefined;

  /** @internal withdraws this waiter when `signal` aborts; `this` is the listener, so no closure is made */
  _listen(signal: AbortSignal): void {
    this._qSignal = signal;
    listenAbort(signal, this);
  }

  /** @internal the abort listener: rejects with exactly the signal's reason */
  handleEvent(): void {
    if (!this.done()) this.setException((this._qSignal as AbortSignal).reason);
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._detach();
    return true;
  }

  override setResult(value: T): void {
    super.setResult(value);
    this._detach();
  }

  override setException(error: unknown): void {
    super.setException(error);
    this._detach();
  }

  /** @internal forgets the signal, the item and the list; idempotent */
  _detach(): void {
    const signal = this._qSignal;
    if (signal !== undefined) {
      this._qSignal = undefined;
      unlistenAbort(signal, this);
    }
    this._qItem = undefined;
    const list = this._qList;
    if (list !== undefined) {
      this._qList = undefined;
      list._withdrawn();
    }
  }
}

function isWaiting(waiter: Waiter<unknown>): boolean {
  return waiter._qList !== undefined;
}

/**
 * Waiters in arrival order. A waiter that ends early only clears its `_qList` mark and lowers
 * `live` (O(1)); `shift()` skips such entries, and the list compacts itself once they outnumber
 * the live ones, so cancelled waiters are never held for long and never cost a scan per op.
 */
export class WaiterList {
  /** How many waiters are still waiting. */
  live = 0;
  private readonly waiters = new Deque<Waiter<any>>();

  push(waiter: Waiter<any>): void {
    waiter._qList = this;
    this.waiters.push(waiter);
    this.live++;
  }

  /** Removes and returns the first waiter still waiting, or undefined if there is none. */
  shift(): Waiter<any> | undefined {
    const waiters = this.waiters;
    while (waiters.size > 0) {
      const waiter = waiters.take();
      if (waiter._qList === this) {
        waiter._qList = undefined;
        if (--this.live === 0) waiters.clear();
        return waiter;
      }
    }
    return undefined;
  }

  /** @internal a waiter left early */
  _withdrawn(): void {
    this.live--;
    if (this.live === 0) this.waiters.clear();
    else if (this.waiters.size > 2 * this.live + 16) this.waiters.retain(isWaiting);
  }
}
