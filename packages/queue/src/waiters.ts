import { currentTask } from "@taskio/core";
import {
  AbortableWaiter,
  futureOnPromise,
  futureThen,
  labelWait,
  PromiseFuture,
  rejectWaiter,
  resolveWaiter,
  type WaiterLine,
  WITHDRAW,
} from "@taskio/core/internal";

/**
 * The Future a waiting `get`, `put` or `join` returns. It knows the line it waits in (`_line`, the
 * mark core's WaiterLine keeps), so however it ends early — its task cancelled, `cancel()` called
 * on it, its `signal` aborted — it leaves that line at once (asyncio's
 * `self._getters.remove(getter)`, without the O(n) scan) and takes nothing. Its item's field
 * carries a `q` prefix to stay clear of @taskio/core's own (underscored) Future fields.
 */
export class Waiter<T> extends AbortableWaiter<T> {
  /** @internal the line that counts it as waiting; undefined once it left */ _line:
    | WaiterLine<Waiter<any>>
    | undefined = undefined;
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

  /** @internal forgets the item and leaves the line; idempotent */
  override [WITHDRAW](): void {
    this._qItem = undefined;
    this._line?.leave(this);
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
  _line = undefined;
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
