import { currentTask, type Future, InvalidStateError } from "@taskio/core";
import {
  AbortableWaiter,
  constantFuture,
  futureOnPromise,
  futureThen,
  labelWait,
  listenWaiter,
  PromiseFuture,
  rejectedFuture,
  rejectWaiter,
  resolveWaiterInOneSlot,
  runDoneCallbacks,
  settlePromise,
  unlistenWaiter,
  WITHDRAW,
} from "@taskio/core/internal";
import { PriorityIndex } from "./priority-index.js";

/** The primitive a waiter queues in. */
export interface WaiterOwner {
  /** A waiter left the queue early (cancelled or aborted): the owner may serve the next. */
  _withdrawn(): void;
  /**
   * A waiter it granted is about to resume, or a run() call it granted is about to start (see
   * `wakeWaiter`, and `startGranted` in hold.ts).
   */
  _resumed?(): void;
}

/**
 * What waits in a primitive's queue: a Future that is its own queue node (no separate deque
 * entry) and its own abort listener, so waiting costs one allocation and no closure.
 * Cancelling it, or aborting its signal, takes it out of the queue at once: a node that left
 * consumes nothing. Served, it holds its permit; what that does is the subclass's `_grant()`.
 */
export abstract class QueueNode<T> extends AbortableWaiter<T> {
  /** @internal */ declare _prev: QueueNode<unknown> | undefined;
  /** @internal */ declare _next: QueueNode<unknown> | undefined;
  /** @internal the queue it waits in, until it is served or leaves */ declare _queue: WaiterQueue | undefined;
  /** @internal permits it waits for (Semaphore's weighted acquire) */ declare readonly _weight: number;
  /** @internal served before waiters of a lower priority (default 0) */ declare readonly _priority: number;
  /** @internal set by the queue, kept after it is served */ declare _owner: WaiterOwner | undefined;

  // No class fields here, as in Future: Waiter's and HeldCall's `super()` reach this constructor.
  constructor(weight: number, priority: number) {
    super();
    initQueueNode(this, weight, priority);
  }

  /** @internal served: the owner took it out of the queue and holds the permit for it */
  abstract _grant(): void;

  /** @internal drained by `cancelWaiters(reason)`: fails with exactly `reason`, taking nothing */
  abstract _reject(reason: unknown): void;

  /** @internal cancelled or aborted while queued: leave, and let the owner serve the next */
  override [WITHDRAW](): void {
    const queue = this._queue;
    if (queue !== undefined) {
      queue.remove(this);
      queue.owner._withdrawn();
    }
  }
}

/** The Future `acquire()`, `wait()` and the like return when they have to wait: resolves to `true` once served. */
export class Waiter extends QueueNode<true> {
  constructor(weight: number, signal: AbortSignal | undefined, priority = 0) {
    super(weight, priority);
    // Listened to from now on: it is queued in the same synchronous call.
    listenWaiter(this, signal);
    // Awaited on every contended acquire (see futureThen).
    this.then = futureThen;
  }

  /** Only the primitive completes this Future: a result set by hand would mint a permit. */
  override setResult(_value: true): void {
    throw new InvalidStateError("This Future is completed by its Semaphore, Lock or Event, not by setResult()");
  }

  /** Only the primitive completes this Future. */
  override setException(_error: unknown): void {
    throw new InvalidStateError("This Future is completed by its Semaphore, Lock or Event, not by setException()");
  }

  /**
   * @internal settles in one ready-queue slot: the owner's bookkeeping (see `wakeWaiter`), then
   * the callbacks of whoever waits on it, so a contended wait costs one wake-up, not two.
   */
  _grant(): void {
    resolveWaiterInOneSlot(this, true, wakeWaiter);
  }

  /** @internal */
  _reject(reason: unknown): void {
    rejectWaiter(this, reason);
  }
}

/**
 * QueueNode's fields on a PromiseFuture (see futureOnPromise), assigned as Future's are: the base
 * of the waiters and run() calls handed to code outside any task.
 */
export class PromiseQueueNode<T> extends PromiseFuture<T> {
  /** @internal */ declare _prev: undefined;
  /** @internal */ declare _next: undefined;
  /** @internal */ declare _queue: undefined;
  /** @internal */ declare _weight: number;
  /** @internal */ declare _priority: number;
  /** @internal */ declare _owner: undefined;

  constructor(weight: number, priority: number) {
    super();
    initQueueNode(this as unknown as QueueNode<T>, weight, priority);
  }
}

/** Sets a new queue node's fields: QueueNode's constructor, and PromiseQueueNode's, which cannot call it. */
function initQueueNode(node: QueueNode<unknown>, weight: number, priority: number): void {
  node._prev = undefined;
  node._next = undefined;
  node._queue = undefined;
  (node as { _weight: number })._weight = weight;
  (node as { _priority: number })._priority = priority;
  node._owner = undefined;
}

/**
 * The Waiter `acquire()` and `wait()` hand to code outside any task: a Waiter that is also a
 * native promise, so awaiting it costs one promise reaction rather than a thenable's job, then()
 * call and promise of its own (see futureOnPromise). Inside a task they hand out a plain Waiter,
 * whose then() makes it one of the task's waiters, so cancelling the task withdraws the wait.
 */
class PromiseWaiter extends PromiseQueueNode<true> {
  // labelWait's fields, as class fields: see futureOnPromise.
  _waitLabel: string;
  _waitOn: object;

  constructor(weight: number, signal: AbortSignal | undefined, priority: number, label: string, on: object) {
    super(weight, priority);
    this._waitLabel = label;
    this._waitOn = on;
    listenWaiter(this as unknown as Waiter, signal);
  }

  /** @internal as Waiter's, the promise resolved in the same ready-queue slot */
  _grant(): void {
    resolveWaiterInOneSlot(this as unknown as Waiter, true, wakePromiseWaiter);
  }
}
futureOnPromise(PromiseWaiter.prototype, Waiter);

/**
 * A new waiter for `weight` permits, labelled: a native-promise one when no task is running
 * (see PromiseWaiter), else a plain Waiter.
 */
export function newWaiter(
  weight: number,
  signal: AbortSignal | undefined,
  priority: number,
  label: string,
  on: object,
): Waiter {
  if (currentTask() === undefined) {
    return new PromiseWaiter(weight, signal, priority, label, on) as unknown as Waiter;
  }
  return labelWait(new Waiter(weight, signal, priority), label, on);
}

/** How far back from the tail a waiter that outranks it looks for its place before asking the index. */
const SHORT_WALK = 16;

/**
 * An intrusive queue of QueueNodes, by priority (higher first) and FIFO within a priority: O(1)
 * shift and removal from the middle. A push lands at the tail in O(1) unless it outranks the
 * tail, so a queue where every waiter has the same priority is a plain FIFO. A waiter that
 * outranks the tail walks back a few places; if its place is further back (behind a long line of
 * lower priority), the queue indexes itself once by priority, the last waiter of each, and keeps
 * that index until it empties: such a waiter then finds its place by a binary search over the
 * distinct priorities queued (see PriorityIndex), not by walking the line.
 */
export class WaiterQueue {
  /** @internal */ head: QueueNode<unknown> | undefined = undefined;
  /** @internal */ tail: QueueNode<unknown> | undefined = undefined;
  /** @internal */ size = 0;
  /**
   * @internal the last waiter of each priority queued, from the first long walk until the queue
   * empties. Kept when one priority is left: a backlog passed by one urgent waiter after another
   * would otherwise be indexed again each time.
   */
  _index: PriorityIndex | undefined = undefined;

  constructor(readonly owner: WaiterOwner) {}

  /** Queues a new waiter and returns it. */
  push<N extends QueueNode<any>>(waiter: N): N {
    waiter._queue = this;
    waiter._owner = this.owner;
    const tail = this.tail;
    if (tail === undefined || tail._priority >= waiter._priority) {
      waiter._prev = tail;
      if (tail === undefined) this.head = waiter;
      else tail._next = waiter;
      this.tail = waiter;
      this._index?.queued(waiter);
    } else this._insertByPriority(tail, waiter);
    this.size++;
    return waiter;
  }

  /** @internal puts `waiter`, which outranks `tail`, behind the last queued waiter of its priority or higher */
  _insertByPriority(tail: QueueNode<unknown>, waiter: QueueNode<unknown>): void {
    const priority = waiter._priority;
    let behind = tail._prev;
    for (let steps = 1; behind !== undefined && behind._priority < priority; steps++) {
      if (steps === SHORT_WALK) {
        behind = this._indexed().lastAtOrAbove(priority);
        break;
      }
      behind = behind._prev;
    }
    const next = behind === undefined ? this.head : behind._next;
    waiter._prev = behind;
    waiter._next = next;
    if (behind === undefined) this.head = waiter;
    else behind._next = waiter;
    // It outranks the tail, so something always comes after it.
    next!._prev = waiter;
    this._index?.queued(waiter);
  }

  /** @internal the index, made on first use from the waiters queued */
  _indexed(): PriorityIndex {
    let index = this._index;
    if (index === undefined) {
      index = this._index = new PriorityIndex();
      for (let node = this.head; node !== undefined; node = node._next) index.queued(node);
    }
    return index;
  }

  /**
   * Empties the queue and returns its waiters, head first, no longer listening to their
   * signals: the owner then fails each one (cancelWaiters()).
   */
  drain(): QueueNode<unknown>[] {
    const drained: QueueNode<unknown>[] = [];
    for (let waiter = this.head; waiter !== undefined; ) {
      const next: QueueNode<unknown> | undefined = waiter._next;
      waiter._prev = waiter._next = waiter._queue = undefined;
      unlistenWaiter(waiter);
      drained.push(waiter);
      waiter = next;
    }
    this.head = this.tail = this._index = undefined;
    this.size = 0;
    return drained;
  }

  /** Takes the first waiter out (the caller then grants it). */
  shift(): QueueNode<unknown> | undefined {
    const waiter = this.head;
    if (waiter !== undefined) this.remove(waiter);
    return waiter;
  }

  /** @internal */
  remove(waiter: QueueNode<unknown>): void {
    const { _prev: prev, _next: next } = waiter;
    const index = this._index;
    if (index !== undefined) {
      if (this.size === 1) this._index = undefined;
      else index.leaving(waiter, prev);
    }
    if (prev === undefined) this.head = next;
    else prev._next = next;
    if (next === undefined) this.tail = prev;
    else next._prev = prev;
    waiter._prev = waiter._next = waiter._queue = undefined;
    this.size--;
  }
}

/**
 * Runs when a waiter is served, just before whoever waits on it resumes. Until then a granted
 * waiter still counts as queued, as in asyncio, where it leaves the queue only when it runs
 * again: newcomers queue behind it, and on resuming it serves the waiters that queued meanwhile
 * while permits are free.
 */
function wakeWaiter(waiter: Waiter): void {
  waiter._owner!._resumed?.();
  runDoneCallbacks(waiter);
}

/** wakeWaiter for a PromiseWaiter: its promise settles right after the owner's bookkeeping. */
function wakePromiseWaiter(waiter: Waiter): void {
  waiter._owner!._resumed?.();
  settlePromise(waiter);
  runDoneCallbacks(waiter);
}

/** The Future an operation that did not have to wait returns: one shared, already-done Future. */
export const done: () => Future<true> = constantFuture(true);

/**
 * Fails a drained waiter: a CancelledError without `reason`, else exactly `reason` (an Error or
 * a CancelledError given by the caller). It takes nothing.
 */
export function failWaiter(waiter: QueueNode<unknown>, reason: unknown, hasReason: boolean): void {
  if (hasReason) waiter._reject(reason);
  else waiter.cancel("cancelWaiters()");
}

/** A Future already rejected with an aborted signal's reason (checked before anything else). */
export function aborted(signal: AbortSignal): Future<true> {
  return rejectedFuture(signal.reason);
}
