import type { Coroutine, Future, SignalOptions } from "@taskio/core";
import { checkBody, readSignal } from "@taskio/core/internal";
import { checkCount } from "./check.js";
import { type BodyRest, runHeld } from "./hold.js";
import { mapLimited } from "./map.js";
import { Semaphore } from "./semaphore.js";
import type { QueueNode } from "./waiters.js";

/**
 * The function `limit(n)` returns: `limited(fn, ...args)` runs `fn(...args)` once fewer than `n`
 * of its calls are running, in call order, and returns a Future of its result. Like p-limit: a
 * free slot is taken before the call returns and `fn` runs at once, inline, in the caller's task
 * and async context (no Task per call). Cancelling the Future of a call that still waits takes
 * it out of the line at once.
 * @throws {TypeError} (from a call) if `fn` is not a function.
 * @example
 * const limited = limit(2);
 * const size = limited(fetchJson, "https://example.com/a.json");
 * console.log(limited.activeCount, limited.pendingCount);
 */
export interface LimitFunction {
  <A extends unknown[], R>(fn: (...args: A) => Coroutine<R>, ...args: A): Future<R>;
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: BodyRest<R, A>): Future<Awaited<R>>;
  /** How many calls are running now. */
  readonly activeCount: number;
  /** How many calls wait for their turn (neither started nor cancelled). */
  readonly pendingCount: number;
  /**
   * How many calls may run at once. Setting it takes effect at once: raising it starts waiting
   * calls right away (before any running call ends); lowering it lets running calls finish and
   * starts no new one until fewer than the new limit run.
   * @throws {RangeError} (on set) unless an integer >= 1 or Infinity. @throws {TypeError} for a non-number.
   */
  concurrency: number;
  /** Cancels every call that has not started yet (their Futures end cancelled); running ones go on. */
  clearQueue(): void;
  /**
   * p-limit's `limit.map()`: runs `fn(item, index)` for each item, at most `concurrency` at
   * once (sharing the limit with the other calls), and resolves to the results in input order.
   * The first failure rejects it and withdraws the calls still waiting; cancelling it, or
   * aborting `options.signal`, does the same. Calls already running go on (they run in the
   * caller's task: cancel the caller to stop them) and free their slots when they end.
   * @throws {TypeError} if `items` is not iterable or `fn` is not a function.
   * @example
   * const sizes = await limited.map(urls, (url, i) => fetchSize(url, i), { signal });
   */
  map<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Coroutine<R>, options?: SignalOptions): Future<R[]>;
  map<T, R>(
    items: Iterable<T>,
    fn: (item: T, index: number) => R | PromiseLike<R>,
    options?: SignalOptions,
  ): Future<Awaited<R>[]>;
}

/** Counts what limit() reports, around a Semaphore whose every waiter is one of its calls. */
class Limiter {
  active = 0;
  /** Calls waiting for a slot; a call stops counting as soon as it starts or is withdrawn. */
  pending = 0;
  readonly sem: Semaphore;
  constructor(concurrency: number) {
    this.sem = new Semaphore(concurrency);
  }
  _take(
    _weight: number,
    signal: AbortSignal | undefined,
    _priority: number,
    call: QueueNode<unknown>,
  ): Future<unknown> {
    return this.sem._take(1, signal, 0, call);
  }
  _give(): void {
    this.sem.release();
  }
  _queued(): void {
    this.pending++;
  }
  _unqueued(): void {
    this.pending--;
  }
  _entered(): void {
    this.active++;
  }
  _exited(): void {
    this.active--;
  }
  /** Withdraws every call still in the semaphore's line, at once. */
  _clear(): void {
    for (let waiter = this.sem._waiters.head; waiter !== undefined; ) {
      const next = waiter._next;
      waiter.cancel("limit: clearQueue()");
      waiter = next;
    }
  }
}

/**
 * p-limit for taskio (not in asyncio): returns a function that runs at most `concurrency` of the
 * functions given to it at once, FIFO, on a Semaphore (so nothing leaks: a call cancelled while
 * waiting takes no slot and leaves the line at once, and a finished or failed one always frees
 * its slot). Like p-limit, `fn` gets `...args`, not a signal; it runs in the caller's task, so
 * `currentTask()` inside it is the caller.
 * @throws {RangeError} unless `concurrency` is an integer >= 1 or Infinity. @throws {TypeError} for a non-number.
 * @example
 * const limited = limit(2);
 * const sizes = await Promise.all(urls.map((url) => limited(fetchSize, url)));
 */
export function limit(concurrency: number): LimitFunction {
  checkCount(concurrency, "limit(concurrency): concurrency", 1, true);
  // The semaphore counts Infinity as the largest exact integer, so a change to a finite limit
  // still knows how many slots are in use (Infinity minus anything stays Infinity).
  const limiter = new Limiter(finite(concurrency));
  const limited = (fn: (...args: unknown[]) => unknown, ...args: unknown[]): Future<unknown> => {
    checkBody(fn, "limit()(fn, ...args)");
    // A call that waits keeps its arguments: most have none, and share one empty list.
    return runHeld<unknown>(limiter, fn, 1, args.length === 0 ? NO_ARGS : args, undefined);
  };
  Object.defineProperties(limited, {
    activeCount: { get: () => limiter.active },
    pendingCount: { get: () => limiter.pending },
    concurrency: {
      get: () => concurrency,
      set: (value: unknown) => {
        const next = checkCount(value, "limit().concurrency", 1, true);
        // Below 0 free slots while more calls run than the new limit: each ending one pays one back.
        limiter.sem._resize(finite(next) - finite(concurrency));
        concurrency = next;
      },
    },
    clearQueue: {
      value: () => limiter._clear(),
    },
    map: {
      value: (items: Iterable<unknown>, fn: (item: unknown, index: number) => unknown, options?: SignalOptions) =>
        mapLimited(
          (item, index, signal) => runHeld<unknown>(limiter, fn, 1, [item, index], signal),
          items,
          fn,
          readSignal(options, "limit().map()"),
        ),
    },
  });
  return limited as LimitFunction;
}

/** The arguments of every call made with none (never written). */
const NO_ARGS: unknown[] = [];

function finite(concurrency: number): number {
  return concurrency === Infinity ? Number.MAX_SAFE_INTEGER : concurrency;
}
