import type { Future, SignalOptions } from "@taskio/core";
import {
  constantFuture,
  Deque,
  GetIterator,
  listenWaiter,
  readSignal,
  rejectedFuture,
  resolvedFuture,
  WaiterLine,
} from "@taskio/core/internal";
import { QueueEmpty, QueueFull, QueueShutDown } from "./errors.js";
import { type QueueOptions, readImmediate, readMaxsize } from "./options.js";
import { short } from "./repr.js";
import type { Store } from "./store.js";
import { newWaiter, type Waiter } from "./waiters.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/** What a put (or a join) that did not wait returns: one shared done Future, so the path that need not suspend allocates nothing. */
const done = constantFuture<void>(undefined);

function isShutDown(error: unknown): boolean {
  return error instanceof QueueShutDown;
}

/**
 * A first in, first out queue for producer and consumer tasks. asyncio: `asyncio.Queue`.
 *
 * `put()` waits while the queue is full, `get()` while it is empty; both return taskio Futures,
 * already done when they need not wait (so `yield*` does not suspend). Items go straight
 * into the first waiting getter's Future and freed slots straight to the first waiting putter, so
 * a waiter that is woken and then cancelled still receives what it was given: no item is lost or
 * delivered twice, and a getter or putter cancelled (or aborted) while waiting takes nothing.
 *
 * `taskDone()`/`join()` count the items put and not yet reported done; `shutdown()` ends the
 * queue as Python 3.13 does.
 *
 * @example
 * const q = new Queue<string>({ maxsize: 100 });
 * const worker = createTask(async () => {
 *   for await (const url of q) {
 *     await fetchAndStore(url);
 *     q.taskDone();
 *   }
 * });
 * for (const url of urls) await q.put(url);
 * await q.join(); // every url processed
 * q.shutdown();   // the worker's loop ends
 * await worker;
 */
export class Queue<T> {
  /** @internal the container: a Deque here, replaced by LifoQueue and PriorityQueue */ _store: Store<T>;
  /** @internal */ readonly _maxsize: number;
  /** @internal */ readonly _getters = new WaiterLine<Waiter<any>>();
  /** @internal */ readonly _putters = new WaiterLine<Waiter<any>>();
  /** @internal made by the first join() that has to wait */ _joiners: WaiterLine<Waiter<any>> | undefined = undefined;
  /** @internal items put and not yet marked done with taskDone() */ _unfinished = 0;
  /** @internal */ _shutdown = false;

  /**
   * @param options `maxsize`: the most items held before `put()` waits; 0, `Infinity` or absent
   * means unbounded.
   * @throws {TypeError} if `options` is not an object or `maxsize` not a number.
   * @throws {RangeError} if `maxsize` is negative, NaN or fractional.
   */
  constructor(options?: QueueOptions) {
    this._maxsize = readMaxsize(options, new.target.name);
    this._store = new Deque<T>();
  }

  /** The most items the queue holds (0: unbounded). Read-only. asyncio: `Queue.maxsize`. */
  get maxsize(): number {
    return this._maxsize;
  }

  /** How many items are in the queue (not counting waiting putters'). asyncio: `qsize()`. */
  qsize(): number {
    return this._store.size;
  }

  /** True if the queue holds no item. asyncio: `empty()`. */
  empty(): boolean {
    return this._store.size === 0;
  }

  /** True if the queue holds `maxsize` items; never for an unbounded queue. asyncio: `full()`. */
  full(): boolean {
    return this._maxsize > 0 && this._store.size >= this._maxsize;
  }

  /**
   * Puts `item` in the queue, waiting while it is full; the Future resolves once the item is in.
   * Not full: done at once. Waiting putters are served first come, first served.
   * asyncio: `await queue.put(item)`.
   *
   * Rejects with {@link QueueShutDown} if the queue is shut down (also while waiting), and with
   * `signal.reason` if `options.signal` aborts — already aborted, at once, even with a free slot.
   * A put that ends early (rejected, or cancelled with its task) never adds its item.
   * @throws {TypeError} synchronously for a malformed `options`.
   * @example
   * yield* q.put(job);                       // generator task
   * await q.put(job, { signal: AbortSignal.timeout(1000) });
   */
  put(item: T, options?: SignalOptions): Future<void> {
    const signal = readSignal(options, "put(options)");
    if (signal?.aborted) return rejectedFuture(signal.reason);
    if (this._shutdown) return rejectedFuture(new QueueShutDown("put(): the queue is shut down"));
    if (!this.full()) {
      try {
        this._add(item);
      } catch (error) {
        return rejectedFuture(error);
      }
      return done();
    }
    const putter = newWaiter<void>("Queue.put()", this);
    putter._qItem = item;
    this._putters.push(putter);
    listenWaiter(putter, signal);
    return putter;
  }

  /**
   * Puts `item` in the queue without waiting. asyncio: `put_nowait()`.
   * @throws {QueueFull} if the queue is full.
   * @throws {QueueShutDown} if it is shut down.
   * @example
   * try {
   *   q.putNowait(event);
   * } catch (e) {
   *   if (!(e instanceof QueueFull)) throw e;
   * }
   */
  putNowait(item: T): void {
    if (this._shutdown) throw new QueueShutDown("putNowait(): the queue is shut down");
    if (this.full()) throw new QueueFull(`putNowait(): the queue is full (maxsize ${this._maxsize})`);
    this._add(item);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty. Not empty: done at once.
   * Waiting getters are served first come, first served. asyncio: `await queue.get()`.
   *
   * Rejects with {@link QueueShutDown} once the queue is shut down and empty (at once after
   * `shutdown(true)`), and with `signal.reason` if `options.signal` aborts — already aborted, at
   * once, even with an item available. A get that ends early takes nothing. Never race it with
   * `Promise.race`: the getter stays queued and later takes an item nobody reads; use `waitFor`.
   * @throws {TypeError} synchronously for a malformed `options`.
   * @example
   * const job = yield* q.get();              // generator task
   * const next = await q.get({ signal });
   */
  get(options?: SignalOptions): Future<T> {
    const signal = readSignal(options, "get(options)");
    if (signal?.aborted) return rejectedFuture(signal.reason);
    if (this._store.size > 0) {
      let item: T;
      try {
        item = this._take();
      } catch (error) {
        return rejectedFuture(error);
      }
      return resolvedFuture(item);
    }
    if (this._shutdown) return rejectedFuture(new QueueShutDown("get(): the queue is shut down and empty"));
    const getter = newWaiter<T>("Queue.get()", this);
    this._getters.push(getter);
    listenWaiter(getter, signal);
    return getter;
  }

  /**
   * Removes and returns the next item without waiting. asyncio: `get_nowait()`.
   * @throws {QueueEmpty} if the queue is empty.
   * @throws {QueueShutDown} if it is shut down and empty.
   * @example
   * while (!q.empty()) batch.push(q.getNowait());
   */
  getNowait(): T {
    if (this._store.size === 0) {
      throw this._shutdown
        ? new QueueShutDown("getNowait(): the queue is shut down and empty")
        : new QueueEmpty("getNowait(): the queue is empty");
    }
    return this._take();
  }

  /**
   * Reports that an item taken from the queue has been processed; `join()` resolves when every
   * item put has been reported. asyncio: `task_done()`.
   * @throws {RangeError} if called more times than items were put.
   * @example
   * const job = await q.get();
   * try {
   *   await handle(job);
   * } finally {
   *   q.taskDone();
   * }
   */
  taskDone(): void {
    if (this._unfinished === 0) {
      throw new RangeError("taskDone() called more times than items were put in the queue");
    }
    if (--this._unfinished === 0) this._wakeJoiners();
  }

  /**
   * Waits until every item put has been reported with `taskDone()`; done at once if none is
   * outstanding. Cancelling it cancels only this wait. asyncio: `await queue.join()`.
   * @example
   * await q.join();
   */
  join(): Future<void> {
    if (this._unfinished === 0) return done();
    const joiner = newWaiter<void>("Queue.join()", this);
    (this._joiners ??= new WaiterLine<Waiter<any>>()).push(joiner);
    return joiner;
  }

  /**
   * Shuts the queue down (Python 3.13). From now on puts reject with {@link QueueShutDown}, and
   * every waiting putter and getter is rejected with it. Graceful (default): gets go on returning
   * the items still queued and reject once it is empty; the unfinished count is unchanged, so
   * `join()` still waits for their `taskDone()`. `immediate`: the queued items are discarded, each
   * counting as done (so `join()` resolves unless items already taken are still unfinished), and
   * gets reject at once. Calling it again is harmless. asyncio: `shutdown(immediate=False)`.
   * @throws {TypeError} if `immediate` is neither a boolean nor `{ immediate?: boolean }`.
   * @example
   * q.shutdown();                     // let consumers drain what is queued
   * q.shutdown({ immediate: true });  // drop it
   */
  shutdown(immediate?: boolean | { immediate?: boolean }): void {
    const now = readImmediate(immediate);
    this._shutdown = true;
    if (now) {
      const discarded = this._store.size;
      this._store.clear();
      this._unfinished = discarded < this._unfinished ? this._unfinished - discarded : 0;
      if (this._unfinished === 0) this._wakeJoiners();
    }
    for (let getter = this._getters.shift(); getter !== undefined; getter = this._getters.shift()) {
      getter.setException(new QueueShutDown("get(): the queue was shut down"));
    }
    for (let putter = this._putters.shift(); putter !== undefined; putter = this._putters.shift()) {
      putter.setException(new QueueShutDown("put(): the queue was shut down"));
    }
  }

  /**
   * `for await (const item of queue)`: one `get()` per turn until the queue is shut down and
   * drained. Like `get()`, it does not call `taskDone()`. Inside a task, cancelling the task
   * cancels the pending get.
   * @example
   * for await (const job of q) {
   *   await handle(job);
   *   q.taskDone();
   * }
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return new GetIterator(this, isShutDown);
  }

  /** Like asyncio's repr: `<Queue maxsize=2 _queue=[1, 2] _putters[1] tasks=2>`. */
  toString(): string {
    let text = `<${this.constructor.name} maxsize=${this._maxsize}`;
    const size = this._store.size;
    if (size > 0) {
      const shown = this._store.toArray(10).map((item) => short(item));
      if (size > 10) shown.push(`… ${size - 10} more`);
      text += ` _queue=[${shown.join(", ")}]`;
    }
    if (this._getters.live > 0) text += ` _getters[${this._getters.live}]`;
    if (this._putters.live > 0) text += ` _putters[${this._putters.live}]`;
    if (this._unfinished > 0) text += ` tasks=${this._unfinished}`;
    if (this._shutdown) text += " shutdown";
    return `${text}>`;
  }

  [inspect](): string {
    return this.toString();
  }

  /** @internal gives `item` to the first waiting getter (the queue is then empty), else stores it; counts it */
  _add(item: T): void {
    const getter = this._getters.shift();
    if (getter !== undefined) getter.setResult(item);
    else this._store.push(item);
    this._unfinished++;
  }

  /**
   * Takes the next item and hands the freed slot straight to the first waiting putter (asyncio
   * only wakes it to retry), so no newcomer's putNowait can take it first and a putter woken, then
   * cancelled, still has its item in.
   * @internal
   */
  _take(): T {
    const item = this._store.take();
    for (let putter = this._putters.shift(); putter !== undefined; putter = this._putters.shift()) {
      try {
        this._store.push(putter._qItem as T);
      } catch (error) {
        // Only a PriorityQueue's compare can throw here: that put fails, the slot goes to the next one.
        putter.setException(error);
        continue;
      }
      this._unfinished++;
      putter.setResult(undefined);
      break;
    }
    return item;
  }

  /** @internal */ _wakeJoiners(): void {
    const joiners = this._joiners;
    if (joiners === undefined) return;
    for (let joiner = joiners.shift(); joiner !== undefined; joiner = joiners.shift()) joiner.setResult(undefined);
  }
}
