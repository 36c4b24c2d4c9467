import { type Coroutine, type Future, now, type SignalOptions } from "@taskio/core";
import { callLater, checkBody, describeValue, labelWait, readSignal, type TimerHandle } from "@taskio/core/internal";
import { checkCount } from "./check.js";
import { type BodyRest, runHeld } from "./hold.js";
import { aborted, done, type QueueNode, Waiter, WaiterQueue } from "./waiters.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Options of `new RateLimiter()`.
 * @example
 * new RateLimiter({ limit: 100, interval: 60_000, window: "fixed" }); // 100 per minute
 */
export interface RateLimiterOptions {
  /** How many acquisitions a window allows (an integer >= 1). */
  limit: number;
  /** The window's length in milliseconds on the taskio clock (`now()`), > 0. */
  interval: number;
  /**
   * `"sliding"` (default): at most `limit` acquisitions in any `interval` ms, so one is granted
   * exactly `interval` ms after the acquisition `limit` places before it.
   * `"fixed"`: a window opens at the first acquisition when none is open and admits `limit`
   * acquisitions until it closes `interval` ms later; a waiter then opens the next one at once.
   */
  window?: "sliding" | "fixed";
}

/**
 * N acquisitions per window of `interval` ms (not in asyncio; a throttle like p-throttle or
 * Bottleneck's reservoir). Waiters are served FIFO; a wait can be cancelled or aborted and then
 * takes nothing. Time is read with taskio's `now()` and waited on taskio's clock, so it runs on
 * the testkit's virtual clock. Nothing is released: a slot frees itself when time passes.
 * Memory follows the acquisitions inside the current window (one entry per distinct time), not
 * `limit`, so a very large `limit` costs nothing up front.
 *
 * @example
 * const rate = new RateLimiter({ limit: 10, interval: 1000 }); // 10 requests per second
 * const res = await rate.run((signal) => fetch(url, { signal }));
 */
export class RateLimiter {
  /** How many acquisitions a window allows. */
  readonly limit: number;
  /** The window's length in ms. */
  readonly interval: number;
  /** `"sliding"` or `"fixed"`. */
  readonly window: "sliding" | "fixed";
  /**
   * @internal sliding: the grant times still inside the window, oldest first, one entry per
   * distinct time (`_counts` holds how many), so memory follows the grants made, not `limit`;
   * fixed: [window start]
   */
  readonly _stamps: number[] = [];
  /** @internal sliding: grants made at each of `_stamps` */ readonly _counts: number[] = [];
  /** @internal sliding: where the oldest live stamp is; fixed: grants in this window */ _index = 0;
  /** @internal sliding: grants inside the window */ _granted = 0;
  /** @internal */ readonly _waiters: WaiterQueue = new WaiterQueue(this);
  /** @internal the timer that wakes the head waiter, while anyone waits */ _timer: TimerHandle | undefined = undefined;

  /**
   * @throws {RangeError} for a `limit` that is not an integer >= 1, an `interval` that is not a
   * finite number > 0, or an unknown `window`. @throws {TypeError} if `options` is not an object.
   */
  constructor(options: RateLimiterOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`RateLimiter(options): expected { limit, interval, window? }, got ${describeValue(options)}`);
    }
    this.limit = checkCount(options.limit, "RateLimiter(options): options.limit", 1, false);
    const interval = options.interval;
    if (typeof interval !== "number") {
      throw new TypeError(
        `RateLimiter(options): options.interval must be a number of ms, got ${describeValue(interval)}`,
      );
    }
    if (!(interval > 0) || !Number.isFinite(interval)) {
      throw new RangeError(`RateLimiter(options): options.interval must be a finite number of ms > 0, got ${interval}`);
    }
    this.interval = interval;
    const window = options.window ?? "sliding";
    if (window !== "sliding" && window !== "fixed") {
      throw new RangeError(
        `RateLimiter(options): options.window must be "sliding" or "fixed", got ${describeValue(window)}`,
      );
    }
    this.window = window;
  }

  /**
   * Takes a slot: resolves to `true` once the window allows it, FIFO. When a slot is free and
   * nobody waits it returns an already-done Future (no suspension). Cancelling the Future (or the
   * task awaiting it) or aborting `signal` withdraws the wait and uses no slot. A signal already
   * aborted rejects at once with `signal.reason`.
   * @throws {TypeError} for bad options.
   * @example
   * for (const url of urls) { await rate.acquire(); void fetch(url); }
   */
  acquire(options?: SignalOptions): Future<true> {
    return this._take(1, readSignal(options, "RateLimiter.acquire()"), 0);
  }

  /** @internal acquire() with a checked signal; run() gives its call, queued itself instead of a Waiter */
  _take(_weight: number, signal: AbortSignal | undefined, _priority: number): Future<true>;
  /** @internal */
  _take(_weight: number, signal: AbortSignal | undefined, _priority: number, call: QueueNode<unknown>): Future<unknown>;
  /** @internal */
  _take(
    _weight: number,
    signal: AbortSignal | undefined,
    _priority: number,
    call?: QueueNode<unknown>,
  ): Future<unknown> {
    if (signal?.aborted) return aborted(signal);
    if (this._waiters.size === 0) {
      const t = now();
      if (this._wait(t) <= 0) {
        this._record(t);
        return done();
      }
    }
    const waiter = this._waiters.push(call ?? labelWait(new Waiter(1, signal), "RateLimiter.acquire()", this));
    if (this._timer === undefined) this._serve();
    return waiter;
  }

  /**
   * Takes a slot, then runs `fn(signal)` (an async function, a plain function or a generator
   * function) and returns a Future of its result. Like `Semaphore.run()`, a function body runs
   * inline in the caller's task and async context, and a generator body in a child task.
   * Cancelling the Future before its slot comes withdraws the wait; once the body runs,
   * `cancel()` returns false: cancel the caller instead.
   * @throws {TypeError} if `fn` is not a function.
   * @example
   * const body = await rate.run(async (signal) => (await fetch(url, { signal })).text());
   */
  run<T>(fn: (signal: AbortSignal) => Coroutine<T>): Future<T>;
  run<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, ...none: BodyRest<T, []>): Future<Awaited<T>>;
  run(fn: (signal: AbortSignal) => unknown): Future<unknown> {
    checkBody(fn, "RateLimiter.run()");
    return runHeld(this, fn, 1, undefined, undefined);
  }

  /** @internal a slot is spent, not held: nothing to give back */
  _give(): void {}

  /** @internal ms from `t` until one more acquisition is allowed (<= 0: now) */
  _wait(t: number): number {
    const stamps = this._stamps;
    if (this.window === "sliding") {
      this._expire(t);
      return this._granted < this.limit ? 0 : stamps[this._index]! + this.interval - t;
    }
    if (stamps.length === 0) return 0;
    const end = stamps[0]! + this.interval;
    return t >= end || this._index < this.limit ? 0 : end - t;
  }

  /** @internal counts an acquisition granted at `t` */
  _record(t: number): void {
    const stamps = this._stamps;
    if (this.window === "sliding") {
      const last = stamps.length - 1;
      if (last >= this._index && stamps[last] === t) this._counts[last]!++;
      else {
        stamps.push(t);
        this._counts.push(1);
      }
      this._granted++;
    } else if (stamps.length === 0 || t >= stamps[0]! + this.interval) {
      stamps[0] = t;
      this._index = 1;
    } else {
      this._index++;
    }
  }

  /** @internal sliding: forgets the grants that left the window by `t` */
  _expire(t: number): void {
    const stamps = this._stamps;
    const counts = this._counts;
    let index = this._index;
    while (index < stamps.length && stamps[index]! + this.interval <= t) this._granted -= counts[index++]!;
    if (index === stamps.length) {
      stamps.length = 0;
      counts.length = 0;
      index = 0;
    } else if (index > 64 && index * 2 > stamps.length) {
      stamps.splice(0, index);
      counts.splice(0, index);
      index = 0;
    }
    this._index = index;
  }

  /** @internal grants every head waiter the window allows now, then sleeps until the next slot */
  _serve(): void {
    const queue = this._waiters;
    const t = now();
    let delay = 0;
    while (queue.size > 0 && (delay = this._wait(t)) <= 0) {
      this._record(t);
      queue.shift()!._grant();
    }
    if (queue.size > 0) {
      this._timer = callLater(delay, serveOnTimer, this);
    }
  }

  /** @internal the last waiter left: stop the timer */
  _withdrawn(): void {
    if (this._waiters.size === 0 && this._timer !== undefined) {
      const timer = this._timer;
      this._timer = undefined;
      timer.cancel();
    }
  }

  /** `<RateLimiter [10 per 1000ms sliding, waiters:2]>` */
  toString(): string {
    const waiters = this._waiters.size > 0 ? `, waiters:${this._waiters.size}` : "";
    return `<RateLimiter [${this.limit} per ${this.interval}ms ${this.window}${waiters}]>`;
  }

  [inspect](): string {
    return this.toString();
  }
}

function serveOnTimer(limiter: RateLimiter): void {
  limiter._timer = undefined;
  limiter._serve();
}
