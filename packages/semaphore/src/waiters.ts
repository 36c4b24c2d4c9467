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
  /** @internal its slot in the queue's array while it is queued */ declare _slot: number;
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
  /** @internal */ declare _slot: number;
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
  node._slot = -1;
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

/**
 * The queue of QueueNodes, by priority (higher first) and FIFO within a priority: an array, each
 * node knowing its slot, so shift and removal from the middle are O(1) (a removed node leaves a
 * hole that the head skips, and the array is compacted once holes outnumber the waiters). A push
 * lands at the end unless it outranks the last waiter, so a queue where every waiter has the
 * same priority is a plain FIFO; only a waiter of a higher priority moves those behind it.
 *
 * An array, not a linked list: the garbage collector marks a linked list one node after the
 * other on one thread, and with 200,000 waiters queued that left tens of milliseconds of marking
 * for the pause at the end of each full collection; an array's slots are marked in parallel.
 */
export class WaiterQueue {
  /** @internal the queued nodes from `_first` on, in order; undefined where one left */
  _slots: (QueueNode<unknown> | undefined)[] = [];
  /** @internal the index of the first node, or of a hole before it */ _first = 0;
  /** @internal the slot number of index 0: a node's index is its `_slot` minus this */ _base = 0;
  /** @internal */ size = 0;

  constructor(readonly owner: WaiterOwner) {}

  /** The first waiter, or undefined. */
  get head(): QueueNode<unknown> | undefined {
    if (this.size === 0) return undefined;
    const slots = this._slots;
    let first = this._first;
    while (slots[first] === undefined) first++;
    this._first = first;
    return slots[first];
  }

  /** Queues a new waiter and returns it. */
  push<N extends QueueNode<any>>(waiter: N): N {
    waiter._queue = this;
    waiter._owner = this.owner;
    const slots = this._slots;
    const last = slots.length - 1;
    // Holes never end the array (remove() trims them), so the last slot is the last waiter.
    if (this.size === 0 || slots[last]!._priority >= waiter._priority) {
      waiter._slot = this._base + slots.length;
      slots.push(waiter);
    } else this._insert(waiter);
    this.size++;
    return waiter;
  }

  /** @internal puts `waiter` behind the last queued waiter of its priority or higher */
  _insert(waiter: QueueNode<unknown>): void {
    const slots = this._slots;
    let at = slots.length;
    while (at > this._first && (slots[at - 1] === undefined || slots[at - 1]!._priority < waiter._priority)) at--;
    slots.splice(at, 0, waiter);
    for (let i = at; i < slots.length; i++) {
      const node = slots[i];
      if (node !== undefined) node._slot = this._base + i;
    }
  }

  /** The waiters in order, as an array: safe to serve or cancel them while going through it. */
  snapshot(): QueueNode<unknown>[] {
    const nodes: QueueNode<unknown>[] = [];
    const slots = this._slots;
    for (let i = this._first; i < slots.length; i++) {
      const node = slots[i];
      if (node !== undefined) nodes.push(node);
    }
    return nodes;
  }

  /**
   * Empties the queue and returns its waiters, head first, no longer listening to their
   * signals: the owner then fails each one (cancelWaiters()).
   */
  drain(): QueueNode<unknown>[] {
    const drained = this.snapshot();
    for (const waiter of drained) {
      waiter._slot = -1;
      waiter._queue = undefined;
      unlistenWaiter(waiter);
    }
    this._slots = [];
    this._first = this._base = 0;
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
    const slots = this._slots;
    slots[waiter._slot - this._base] = undefined;
    waiter._slot = -1;
    waiter._queue = undefined;
    this.size--;
    if (this.size === 0) {
      slots.length = 0;
      this._first = this._base = 0;
      return;
    }
    while (slots[slots.length - 1] === undefined) slots.pop();
    // Compacted once the holes outnumber the waiters, wherever they are (shift leaves them at the
    // front of a line that never empties): the array stays within twice the line, and each node
    // moves O(1) times on average.
    if (slots.length > 2 * this.size + 16) this._compact();
  }

  /**
   * @internal drops the holes. Those at the front, where shift leaves them, go by moving the
   * array's contents down and the slot numbers' base up, without touching a node; holes left in
   * the middle by withdrawn waiters need the nodes renumbered.
   */
  _compact(): void {
    const slots = this._slots;
    const first = this._first;
    if (slots.length - first <= 2 * this.size) {
      slots.copyWithin(0, first);
      slots.length -= first;
      this._base += first;
    } else {
      const nodes = this.snapshot();
      for (let i = 0; i < nodes.length; i++) nodes[i]!._slot = this._base + i;
      this._slots = nodes;
    }
    this._first = 0;
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
