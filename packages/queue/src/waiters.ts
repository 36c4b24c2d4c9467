import { currentTask } from "@taskio/core";
import {
  AbortableWaiter,
  Deque,
  futureOnPromise,
  futureThen,
  labelWait,
  PromiseFuture,
  rejectWaiter,
  resolveWaiter,
  WITHDRAW,
} from "@taskio/core/internal";

/**
 * The Future a waiting `get`, `put` or `join` returns. It knows the list it waits in, so however it
 * ends early — its task cancelled, `cancel()` called on it, its `signal` aborted — it leaves that
 * list at once (asyncio's `self._getters.remove(getter)`, without the O(n) scan) and takes nothing.
 * Its fields carry a `q` prefix to stay clear of @taskio/core's own (underscored) Future fields.
 */
export class Waiter<T> extends AbortableWaiter<T> {
  /** @internal the list that counts it as waiting; undefined once it left */ _qList: WaiterList | undefined =
    undefined;
  /** @internal a putter's item, until it is stored */ _qItem: unknown = undefined;

  constructor() {
    super();
    // Awaited on every get() or put() that has to wait (see futureThen).
    this.then = futureThen;
  }

  override setResult(value: T): void {
    resolveWaiter(this, value);
    this[WITHDRAW]();
  }

  override setException(error: unknown): void {
    rejectWaiter(this, error);
    this[WITHDRAW]();
  }

  /** @internal forgets the item and leaves the list; idempotent */
  override [WITHDRAW](): void {
    this._qItem = undefined;
    const list = this._qList;
    if (list !== undefined) {
      this._qList = undefined;
      list._withdrawn();
    }
  }
}

/**
 * The Waiter a `get`, `put` or `join` that has to wait hands to code outside any task: a Waiter
 * that is also a native promise, so awaiting it costs one promise reaction rather than a
 * thenable's job, then() call and promise of its own (see futureOnPromise). Inside a task they
 * hand out a plain Waiter, whose then() makes it one of the task's waiters, so cancelling the
 * task withdraws the wait.
 */
class PromiseWaiter extends PromiseFuture<unknown> {
  // Waiter's and labelWait's fields, as class fields: see futureOnPromise.
  _qList = undefined;
  _qItem: unknown = undefined;
  _waitLabel: string;
  _waitOn: object;

  constructor(label: string, on: object) {
    super();
    this._waitLabel = label;
    this._waitOn = on;
  }
}
futureOnPromise(PromiseWaiter.prototype, Waiter);

/** A new labelled waiter: a native-promise one when no task is running (see PromiseWaiter), else a plain Waiter. */
export function newWaiter<T>(label: string, on: object): Waiter<T> {
  if (currentTask() === undefined) return new PromiseWaiter(label, on) as unknown as Waiter<T>;
  return labelWait(new Waiter<T>(), label, on);
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
  /** @internal */ readonly _waiters = new Deque<Waiter<any>>();

  push(waiter: Waiter<any>): void {
    waiter._qList = this;
    this._waiters.push(waiter);
    this.live++;
  }

  /** Removes and returns the first waiter still waiting, or undefined if there is none. */
  shift(): Waiter<any> | undefined {
    const waiters = this._waiters;
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
    if (this.live === 0) this._waiters.clear();
    else if (this._waiters.size > 2 * this.live + 16) this._waiters.retain(isWaiting);
  }
}
