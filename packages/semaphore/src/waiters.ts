import { Future, InvalidStateError } from "@taskio/core";
import { listenAbort, unlistenAbort } from "@taskio/core/internal";

/** The primitive a waiter queues in. */
export interface WaiterOwner {
  /** A waiter left the queue early (cancelled or aborted): the owner may serve the next. */
  _withdrawn(): void;
  /** A waiter it granted is about to resume (see `resumedCallback`). */
  _resumed?(): void;
}

/**
 * The Future an operation returns when it has to wait. It is its own queue node (no separate
 * deque entry) and its own abort listener (`handleEvent`), so waiting costs one allocation and
 * no closure. Cancelling it, or aborting its signal, takes it out of the queue at once: a waiter
 * that left consumes nothing.
 */
export class Waiter extends Future<true> {
  /** @internal */ _prev: Waiter | undefined = undefined;
  /** @internal */ _next: Waiter | undefined = undefined;
  /** @internal the queue it waits in, until it is served or leaves */ _queue: WaiterQueue | undefined = undefined;
  /** @internal listened to only while queued */ _signal: AbortSignal | undefined;
  /** @internal permits it waits for (Semaphore's weighted acquire) */ readonly _weight: number;
  /** @internal set by the queue, kept after it is served */ _owner: WaiterOwner | undefined = undefined;
  /** @internal true once served with the permit */ _granted = false;

  constructor(weight: number, signal: AbortSignal | undefined) {
    super();
    this._weight = weight;
    this._signal = signal;
  }

  /** Cancels the wait at once and leaves the queue (asyncio: the waiter future is cancelled). */
  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._leave();
    return true;
  }

  /** Only the primitive completes this Future: a result set by hand would mint a permit. */
  override setResult(_value: true): void {
    throw new InvalidStateError("This Future is completed by its Semaphore, Lock or Event, not by setResult()");
  }

  /** Only the primitive completes this Future. */
  override setException(_error: unknown): void {
    throw new InvalidStateError("This Future is completed by its Semaphore, Lock or Event, not by setException()");
  }

  /** @internal the signal aborted while waiting: withdraw, then reject with its reason */
  handleEvent(): void {
    if (this.done()) return;
    const reason = this._signal!.reason;
    this._leave();
    settleAborted(this, reason);
  }

  /** @internal served: the owner already took it out of the queue */
  _grant(): void {
    if (this._signal !== undefined) {
      unlistenAbort(this._signal, this);
      this._signal = undefined;
    }
    this._granted = true;
    super.setResult(true);
  }

  /** @internal */
  _leave(): void {
    if (this._signal !== undefined) {
      unlistenAbort(this._signal, this);
      this._signal = undefined;
    }
    const queue = this._queue;
    if (queue !== undefined) {
      queue.remove(this);
      queue.owner._withdrawn();
    }
  }
}

const baseSetException = Future.prototype.setException;

/**
 * Fails a Waiter (past its override) with exactly the abort reason: a CancelledError reason (a
 * task's signal) stays that object, so `await` rethrows it rather than a new CancelledError.
 */
function settleAborted(future: Future<true>, reason: unknown): void {
  baseSetException.call(future, reason);
}

/** An intrusive FIFO of Waiters: O(1) push, shift and removal from the middle. */
export class WaiterQueue {
  /** @internal */ head: Waiter | undefined = undefined;
  /** @internal */ tail: Waiter | undefined = undefined;
  /** @internal */ size = 0;

  constructor(readonly owner: WaiterOwner) {}

  /** Queues a new waiter (listening to its signal) and returns it. */
  push(waiter: Waiter): Waiter {
    waiter._queue = this;
    waiter._owner = this.owner;
    waiter._prev = this.tail;
    if (this.tail === undefined) this.head = waiter;
    else this.tail._next = waiter;
    this.tail = waiter;
    this.size++;
    if (waiter._signal !== undefined) listenAbort(waiter._signal, waiter);
    return waiter;
  }

  /** Takes the first waiter out (the caller then grants it). */
  shift(): Waiter | undefined {
    const waiter = this.head;
    if (waiter !== undefined) this.remove(waiter);
    return waiter;
  }

  /** @internal */
  remove(waiter: Waiter): void {
    const { _prev: prev, _next: next } = waiter;
    if (prev === undefined) this.head = next;
    else prev._next = next;
    if (next === undefined) this.tail = prev;
    else next._prev = prev;
    waiter._prev = waiter._next = waiter._queue = undefined;
    this.size--;
  }
}

/**
 * A done-callback Semaphore and Lock register on each waiter when it is created, so it runs
 * just before the waiting task resumes (done-callbacks run in registration order). Until then a
 * granted waiter still counts as queued, as in asyncio, where it leaves the queue only when it
 * runs again: newcomers queue behind it, and on resuming it serves the waiters that
 * queued meanwhile while permits are free.
 */
export function resumedCallback(future: Future<true>): void {
  const waiter = future as Waiter;
  if (waiter._granted) waiter._owner!._resumed!();
}

/** The Future an operation that did not have to wait returns: one shared, already-done Future. */
export const DONE: Future<true> = new Future<true>();
DONE.setResult(true);

/** A Future already rejected with an aborted signal's reason (checked before anything else). */
export function aborted(signal: AbortSignal): Future<true> {
  const future = new Future<true>();
  settleAborted(future, signal.reason);
  return future;
}
