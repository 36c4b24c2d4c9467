import type { Coroutine, Future } from "@taskio/core";
import { checkBody, checkCount } from "./check.js";
import { type BodyRest, type HeldCall, runHeld } from "./hold.js";
import { Semaphore } from "./semaphore.js";

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
  /** The limit it was made with. */
  readonly concurrency: number;
  /** Cancels every call that has not started yet; running ones go on. */
  clearQueue(): void;
}

/** Counts what limit() reports, around a Semaphore. */
class Limiter {
  active = 0;
  /** Calls waiting for a slot; a call leaves as soon as it starts or is withdrawn. */
  readonly waiting = new Set<HeldCall<unknown>>();
  readonly sem: Semaphore;
  constructor(concurrency: number) {
    this.sem = new Semaphore(concurrency);
  }
  _take(): Future<true> {
    return this.sem.acquire();
  }
  _give(): void {
    this.sem.release();
  }
  _queued(call: HeldCall<unknown>): void {
    this.waiting.add(call);
  }
  _unqueued(call: HeldCall<unknown>): void {
    this.waiting.delete(call);
  }
  _entered(): void {
    this.active++;
  }
  _exited(): void {
    this.active--;
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
  const limiter = new Limiter(concurrency);
  const limited = (fn: (...args: unknown[]) => unknown, ...args: unknown[]): Future<unknown> => {
    checkBody(fn, "limit()(fn, ...args)");
    return runHeld<unknown>(limiter, fn, 1, args, undefined);
  };
  Object.defineProperties(limited, {
    activeCount: { get: () => limiter.active },
    pendingCount: { get: () => limiter.waiting.size },
    concurrency: { value: concurrency },
    clearQueue: {
      value: () => {
        for (const call of [...limiter.waiting]) call.cancel("limit: clearQueue()");
      },
    },
  });
  return limited as LimitFunction;
}
