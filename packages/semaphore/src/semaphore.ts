import type { Coroutine, Future, SignalOptions } from "@taskio/core";
import { checkBody, describeValue, readSignal, scheduleSoon } from "@taskio/core/internal";
import { checkCount, checkPriority, isCount } from "./check.js";
import { type BodyRest, runHeld } from "./hold.js";
import { holdPermit, type Permit } from "./permit.js";
import { UnlockWatchers } from "./unlock.js";
import { aborted, done, failWaiter, newWaiter, type QueueNode, WaiterQueue } from "./waiters.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Options of `Semaphore.acquire()`, `hold()` and `run()`: `signal` as every wait takes, a `weight`
 * and a `priority`.
 * @example
 * yield* sem.acquire({ weight: 2, signal: AbortSignal.timeout(5_000) });
 * try { yield* bigJob(); } finally { sem.release(2); }
 */
export interface AcquireOptions extends SignalOptions {
  /**
   * How many permits to take at once (default 1): given back with `release(weight)` after
   * `acquire()`, by the permit after `hold()`, and by `run()` itself. Waiters stay strictly in
   * line: a heavy waiter at the head holds back lighter ones behind it. Not in asyncio.
   */
  weight?: number;
  /**
   * Where it queues if it has to wait (default 0): ahead of every waiter of a lower priority,
   * behind those of the same or a higher one. Ahead of them all, it takes what is free if it
   * fits, as async-mutex's does; otherwise it never takes a permit past a queued waiter. Not in
   * asyncio.
   */
  priority?: number;
}

/**
 * Options of `Semaphore.waitForUnlock()`.
 * @example
 * await sem.waitForUnlock({ weight: 2, signal: AbortSignal.timeout(1_000) });
 */
export interface UnlockOptions extends SignalOptions {
  /** Resolve once this many permits could be taken (default 1). */
  weight?: number;
}

/**
 * asyncio.Semaphore: a counter of permits. `acquire()` takes one, waiting in FIFO order while
 * none is free; `release()` gives one back, handing it straight to the first waiter. A waiter
 * that is cancelled or aborted never takes a permit, and one woken with a permit keeps it, so no
 * permit is ever leaked or lost.
 *
 * @example
 * const sem = new Semaphore(3); // at most 3 downloads at a time
 * const pages = await Promise.all(urls.map((url) => sem.run((signal) => fetch(url, { signal }))));
 */
export class Semaphore {
  /** @internal free permits */ _value: number;
  /** @internal */ readonly _waiters: WaiterQueue;
  /** @internal waiters granted a permit that have not resumed yet: they still hold newcomers back */ _woken = 0;
  /** @internal waitForUnlock()'s Futures, made on first use */ _watchers: UnlockWatchers | undefined = undefined;

  /**
   * @param value the number of permits, default 1 (`Infinity`: no limit).
   * @throws {RangeError} if `value` is negative, fractional or NaN. @throws {TypeError} if it is not a number.
   */
  constructor(value = 1) {
    this._value = checkCount(value, `${new.target.name}(value): value`, 0, true);
    this._waiters = new WaiterQueue(this);
  }

  /** The number of free permits now (not counting any a waiter would need first). */
  get value(): number {
    return this._value;
  }

  /**
   * How many acquirers are queued for a permit now (`acquire()`, `hold()` and `run()` calls that
   * wait; not one already handed its permit). async-sema: `nrWaiting()`.
   */
  get waiting(): number {
    return this._waiters.size;
  }

  /**
   * True when `acquire()` would wait: no permit is free, or waiters are queued, including one
   * handed a permit that has not resumed yet (no barging past them, even with `value` > 0).
   * asyncio: `locked()`.
   */
  locked(): boolean {
    return this._value < 1 || this._waiters.size > 0 || this._woken > 0;
  }

  /**
   * Takes a permit: resolves to `true`, FIFO. When not `locked()` it returns an already-done
   * Future, so `yield*` does not suspend. Cancelling the Future (or the task awaiting it)
   * or aborting `signal` withdraws the wait; it then takes nothing. asyncio: `acquire()`.
   * A signal already aborted rejects at once with `signal.reason`, even if a permit is free.
   * @throws {TypeError} for bad options. @throws {RangeError} for a weight that is not an integer >= 1.
   * @example
   * yield* sem.acquire();
   * try { yield* work(); } finally { sem.release(); }
   */
  acquire(options?: AcquireOptions): Future<true> {
    const signal = readSignal(options, "Semaphore.acquire()");
    const weight = options?.weight === undefined ? 1 : this._checkWeight(options.weight, "acquire");
    const priority = options?.priority === undefined ? 0 : checkPriority(options.priority, "Semaphore.acquire()");
    return this._take(weight, signal, priority);
  }

  /** @internal acquire() with checked arguments; run() gives its call, queued itself instead of a Waiter */
  _take(weight: number, signal: AbortSignal | undefined, priority: number): Future<true>;
  /** @internal */
  _take(weight: number, signal: AbortSignal | undefined, priority: number, call: QueueNode<unknown>): Future<unknown>;
  /** @internal */
  _take(weight: number, signal: AbortSignal | undefined, priority: number, call?: QueueNode<unknown>): Future<unknown> {
    if (signal?.aborted) return aborted(signal);
    if (this._value >= weight && this._waiters.size === 0 && this._woken === 0) {
      this._value -= weight;
      return done();
    }
    const waiter = this._waiters.push(call ?? newWaiter(weight, signal, priority, "Semaphore.acquire()", this));
    // Queued ahead of a waiter that does not fit in what is free (a higher priority): at the head
    // now, it is served from that, as it would be once that waiter left. In a slot of its own: a
    // run() call listens to its signal only once this returns, and a grant stops that listening.
    if (this._waiters.head === waiter && this._woken === 0 && this._value >= weight) scheduleSoon(serveHead, this);
    return waiter;
  }

  /**
   * Takes a permit (or `weight` of them) like `acquire()`, as a Permit to release once:
   * `using permit = await sem.hold()` gives it back when the block ends, and a second
   * `permit.release()` does nothing. Cancelling the Future, or aborting `signal`, while it waits
   * takes nothing; a permit handed over to a cancelled hold is passed on. Not in asyncio.
   * @throws {TypeError} for bad options. @throws {RangeError} for a bad weight or priority.
   * @example
   * using permit = yield* sem.hold();
   * yield* work(); // released when the block ends
   */
  hold(options?: AcquireOptions): Future<Permit> {
    const signal = readSignal(options, "Semaphore.hold()");
    const weight = options?.weight === undefined ? 1 : this._checkWeight(options.weight, "hold");
    const priority = options?.priority === undefined ? 0 : checkPriority(options.priority, "Semaphore.hold()");
    return holdPermit(this, this._take(weight, signal, priority), weight);
  }

  /**
   * Resolves to `true` once `acquire()` (of `weight` permits) would not wait, without taking
   * anything: at once when not `locked()`. Nothing is held when it resolves, so another task may
   * take the permit first. Watchers that one release satisfies together resolve lightest first.
   * Cancelling it or aborting `signal` withdraws it. Not in asyncio.
   * async-mutex: `waitForUnlock()`.
   * @throws {TypeError} for bad options. @throws {RangeError} for a bad weight.
   * @example
   * await sem.waitForUnlock();
   * console.log(sem.locked()); // false
   */
  waitForUnlock(options?: UnlockOptions): Future<true> {
    const signal = readSignal(options, "Semaphore.waitForUnlock()");
    const weight = options?.weight === undefined ? 1 : this._checkWeight(options.weight, "waitForUnlock");
    if (signal?.aborted) return aborted(signal);
    if (this._value >= weight && this._waiters.size === 0 && this._woken === 0) return done();
    this._watchers ??= new UnlockWatchers();
    return this._watchers.watch(weight, signal, "Semaphore.waitForUnlock()", this);
  }

  /**
   * Rejects every queued acquirer at once: with a CancelledError, or with `reason` when given.
   * They take nothing, and queued `run()` calls never run their body. Holders keep their
   * permits, and a waiter already handed its permit keeps it. `waitForUnlock()` watchers go on
   * waiting. Not in asyncio. async-mutex: `cancel()`.
   * @example
   * sem.cancelWaiters(new Error("shutting down"));
   */
  cancelWaiters(reason?: unknown): void {
    if (this._waiters.size === 0) return;
    const hasReason = reason !== undefined;
    for (const waiter of this._waiters.drain()) failWaiter(waiter, reason, hasReason);
    this._unlocked();
  }

  /**
   * Gives a permit back (or `weight` of them): the first waiter gets it directly, so `value`
   * stays 0 while anyone waits. asyncio: `release()`. A plain Semaphore may be released
   * above its initial value; see BoundedSemaphore.
   * @throws {RangeError} for a weight that is not an integer >= 1.
   */
  release(weight?: number): void {
    const n = weight === undefined ? 1 : this._checkWeight(weight, "release");
    this._value += n;
    if (this._waiters.size > 0) this._serve();
    if (this._watchers !== undefined) this._unlocked();
  }

  /**
   * asyncio's `async with sem:` — runs `fn(signal)` (an async function, a plain function or a
   * generator function) while holding a permit, and returns a Future of its result. No Task per
   * call: when a permit is free it is taken before `run()` returns and a function body runs at
   * once, inline, in the caller's task and async context (so the caller's cancellation reaches
   * its awaits, and `signal` is the caller's signal); otherwise the call waits FIFO and the body
   * runs, in the caller's context, when the permit is handed over. A generator body is driven by
   * a child task. The permit is given back exactly once, however the body ends.
   *
   * Cancelling the returned Future, or aborting `options.signal`, while the call waits withdraws
   * it: no permit is taken and the body never runs. Once the body runs, `cancel()` returns false:
   * cancel the caller instead.
   * @throws {TypeError} if `fn` is not a function, or for bad options.
   * @example
   * const status = await sem.run(async (signal) => (await fetch(url, { signal })).status);
   */
  run<T>(fn: (signal: AbortSignal) => Coroutine<T>, options?: AcquireOptions): Future<T>;
  run<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    ...options: BodyRest<T, [options?: AcquireOptions]>
  ): Future<Awaited<T>>;
  run(fn: (signal: AbortSignal) => unknown, options?: AcquireOptions): Future<unknown> {
    checkBody(fn, "Semaphore.run()");
    let weight = 1;
    let priority = 0;
    let signal: AbortSignal | undefined;
    if (options !== undefined) {
      if (typeof options !== "object" || options === null) {
        throw new TypeError(
          `Semaphore.run(): options must be an object like { weight, signal }, got ${describeValue(options)}`,
        );
      }
      if (options.weight !== undefined) weight = this._checkWeight(options.weight, "run");
      signal = readSignal(options, "Semaphore.run()");
      if (options.priority !== undefined) priority = checkPriority(options.priority, "Semaphore.run()");
    }
    return runHeld(this, fn, weight, undefined, signal, priority);
  }

  /** @internal */
  _give(weight: number): void {
    this.release(weight);
  }

  /** @internal hands free permits to the waiters at the head, in order, while they fit */
  _serve(): void {
    const queue = this._waiters;
    let waiter = queue.head;
    while (waiter !== undefined && waiter._weight <= this._value) {
      this._value -= waiter._weight;
      queue.shift();
      this._woken++;
      waiter._grant();
      waiter = queue.head;
    }
  }

  /** @internal a granted waiter resumes: serve those that queued behind it while permits are free */
  _resumed(): void {
    this._woken--;
    if (this._value > 0 && this._waiters.size > 0) this._serve();
    if (this._watchers !== undefined) this._unlocked();
  }

  /** @internal a waiter left: the next one may fit in what is free */
  _withdrawn(): void {
    if (this._value > 0 && this._waiters.size > 0) this._serve();
    if (this._watchers !== undefined) this._unlocked();
  }

  /** @internal adds `delta` permits (limit()'s settable concurrency); the value may go below 0 */
  _resize(delta: number): void {
    this._value += delta;
    if (this._value > 0 && this._waiters.size > 0) this._serve();
    if (this._watchers !== undefined) this._unlocked();
  }

  /** @internal nobody waits ahead any more: resolve the watchers what is free would satisfy */
  _unlocked(): void {
    const watchers = this._watchers;
    if (watchers !== undefined && watchers.size > 0 && this._waiters.size === 0 && this._woken === 0) {
      watchers.notify(this._value);
    }
  }

  /** @internal */
  _checkWeight(weight: unknown, method: string): number {
    // A valid weight returns before the error's label is built: acquire(), release() and run()
    // pay a string per call otherwise.
    return isCount(weight, 1, false)
      ? weight
      : checkCount(weight, `${this.constructor.name}.${method}(): weight`, 1, false);
  }

  /**
   * `<Semaphore [unlocked, value:2]>`, `<Semaphore [locked, waiters:3]>`, as asyncio prints it
   * (waiters woken with a permit count until they resume).
   */
  toString(): string {
    const state = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    const count = this._waiters.size + this._woken;
    const waiters = count > 0 ? `, waiters:${count}` : "";
    return `<${this.constructor.name} [${state}${waiters}]>`;
  }

  [inspect](): string {
    return this.toString();
  }
}

/**
 * asyncio.BoundedSemaphore: a Semaphore that refuses to be released above its initial value,
 * which catches a release() without a matching acquire(). It also refuses an acquire() or run()
 * weight above that value (it could never be granted) with a RangeError.
 *
 * @example
 * const sem = new BoundedSemaphore(2);
 * sem.release(); // RangeError: released too many times
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _bound: number;

  /** @throws {RangeError} if `value` is negative, fractional or NaN. */
  constructor(value = 1) {
    super(value);
    this._bound = this._value;
  }

  /** @internal also refuses, in acquire() and run(), a weight it could never grant */
  override _checkWeight(weight: unknown, method: string): number {
    const n = super._checkWeight(weight, method);
    if (method !== "release" && n > this._bound) {
      throw new RangeError(
        `BoundedSemaphore.${method}(): weight ${n} is more than the ${this._bound} permits this semaphore has`,
      );
    }
    return n;
  }

  /**
   * Like Semaphore.release().
   * @throws {RangeError} if it would raise the value above the initial value (released too many times).
   */
  override release(weight?: number): void {
    const n = weight === undefined ? 1 : this._checkWeight(weight, "release");
    if (this._value + n > this._bound) {
      throw new RangeError(
        `BoundedSemaphore released too many times: release(${n}) would raise its value above the initial ${this._bound}`,
      );
    }
    super.release(weight);
  }
}

/** Serves the waiters at the head of `sem`'s line that fit in what is free (see _take). */
function serveHead(sem: Semaphore): void {
  if (sem._value > 0 && sem._waiters.size > 0) sem._serve();
}
