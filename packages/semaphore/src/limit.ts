import type { Coroutine, Future, Task } from "@taskio/core";
import { checkBody, checkCount } from "./check.js";
import { type BodyRest, holdTask } from "./hold.js";
import { Semaphore } from "./semaphore.js";

/**
 * The function `limit(n)` returns: `limited(fn, ...args)` runs `fn(...args)` as a Task once
 * fewer than `n` of its calls are running, in call order. Like p-limit, but each call is a
 * cancellable Task: cancelling one that has not started takes it out of the line.
 * @throws {TypeError} (from a call) if `fn` is not a function.
 * @example
 * const limited = limit(2);
 * const task = limited(fetchJson, "https://example.com/a.json");
 * console.log(limited.activeCount, limited.pendingCount);
 */
export interface LimitFunction {
  <A extends unknown[], R>(fn: (...args: A) => Coroutine<R>, ...args: A): Task<R>;
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: BodyRest<R, A>): Task<Awaited<R>>;
  /** How many calls are running now. */
  readonly activeCount: number;
  /** How many calls wait for their turn (created, not started, not cancelled). */
  readonly pendingCount: number;
  /** The limit it was made with. */
  readonly concurrency: number;
  /** Cancels every call that has not started yet; running ones go on. */
  clearQueue(): void;
}

/** Counts what limit() reports, around a Semaphore. */
class Limiter {
  active = 0;
  /** Tasks created and not yet started; done ones are dropped when counted. */
  readonly pending = new Set<Task<unknown>>();
  readonly sem: Semaphore;
  constructor(concurrency: number) {
    this.sem = new Semaphore(concurrency);
  }
  _take(): Future<true> {
    return this.sem.acquire();
  }
  _entered(task: Task<unknown>): void {
    this.pending.delete(task);
    this.active++;
  }
  _exited(): void {
    this.active--;
  }
  _give(): void {
    this.sem.release();
  }
  pendingCount(): number {
    for (const task of this.pending) if (task.done()) this.pending.delete(task);
    return this.pending.size;
  }
}

/**
 * p-limit for taskio (not in asyncio): returns a function that runs at most `concurrency` of the
 * functions given to it at once, FIFO, each as a Task built on a Semaphore (so nothing leaks:
 * a call cancelled while waiting takes no slot, and a finished or failed one always frees its
 * slot). Like p-limit, `fn` gets `...args`, not a signal: inside it, `currentTask()!.signal` is
 * the task's signal.
 * @throws {RangeError} unless `concurrency` is an integer >= 1 or Infinity. @throws {TypeError} for a non-number.
 * @example
 * const limited = limit(2);
 * const sizes = await Promise.all(urls.map((url) => limited(fetchSize, url)));
 */
export function limit(concurrency: number): LimitFunction {
  checkCount(concurrency, "limit(concurrency): concurrency", 1, true);
  const limiter = new Limiter(concurrency);
  const limited = (fn: (...args: unknown[]) => unknown, ...args: unknown[]): Task<unknown> => {
    checkBody(fn, "limit()(fn, ...args)");
    const task = holdTask<unknown>(limiter, fn, 1, args);
    limiter.pending.add(task);
    return task;
  };
  Object.defineProperties(limited, {
    activeCount: { get: () => limiter.active },
    pendingCount: { get: () => limiter.pendingCount() },
    concurrency: { value: concurrency },
    clearQueue: {
      value: () => {
        for (const task of limiter.pending) task.cancel("limit: clearQueue()");
        limiter.pending.clear();
      },
    },
  });
  return limited as LimitFunction;
}
