import { type Coroutine, type Future, InvalidStateError, type SignalOptions } from "@taskio/core";
import { checkBody, readSignal } from "@taskio/core/internal";
import { checkPriority } from "./check.js";
import { type BodyRest, runHeld } from "./hold.js";
import { holdPermit, type Permit } from "./permit.js";
import { UnlockWatchers } from "./unlock.js";
import { aborted, done, failWaiter, newWaiter, type QueueNode, WaiterQueue } from "./waiters.js";

/**
 * Options of `Lock.acquire()`, `Lock.hold()` and `Lock.run()`.
 * @example
 * yield* lock.acquire({ priority: 1 }); // ahead of every waiter of priority 0
 */
export interface LockOptions extends SignalOptions {
  /**
   * Where it queues if it has to wait (default 0): ahead of every waiter of a lower priority,
   * behind those of the same or a higher one. Not in asyncio.
   */
  priority?: number;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * asyncio.Lock: a mutual-exclusion lock for tasks. `acquire()` waits in FIFO order while the lock
 * is held; `release()` wakes the first waiter, which owns the lock from then on (even if it is
 * cancelled before it resumes: no lock is lost). Prefer `lock.run(fn)`, which always releases.
 *
 * @example
 * const lock = new Lock();
 * await lock.run(async () => {
 *   const n = await readCounter();
 *   await writeCounter(n + 1); // no other task interleaves here
 * });
 */
export class Lock {
  /** @internal */ _locked = false;
  /** @internal */ readonly _waiters: WaiterQueue = new WaiterQueue(this);
  /** @internal a waiter was handed the lock and has not resumed yet */ _woken = 0;
  /** @internal waitForUnlock()'s Futures, made on first use */ _watchers: UnlockWatchers | undefined = undefined;

  /**
   * How many acquirers are queued for the lock now (`acquire()`, `hold()` and `run()` calls that
   * wait; not one already handed the lock).
   */
  get waiting(): number {
    return this._waiters.size;
  }

  /**
   * True while the lock is held. As in asyncio, it is false from `release()` until the waiter it
   * woke resumes, though `acquire()` still waits behind that waiter. asyncio: `locked()`.
   */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Takes the lock: resolves to `true` once held, FIFO. An unlocked lock returns an
   * already-done Future, so `yield*` does not suspend. Cancelling the Future (or the task
   * awaiting it) or aborting `signal` withdraws the wait. A signal already aborted rejects at
   * once with `signal.reason`. asyncio: `Lock.acquire()`.
   * @throws {TypeError} for bad options.
   * @example
   * yield* lock.acquire();
   * try { yield* critical(); } finally { lock.release(); }
   */
  acquire(options?: LockOptions): Future<true> {
    const signal = readSignal(options, "Lock.acquire()");
    const priority = options?.priority === undefined ? 0 : checkPriority(options.priority, "Lock.acquire()");
    return this._take(1, signal, priority);
  }

  /**
   * Takes the lock like `acquire()`, as a Permit to release once: `using permit = await
   * lock.hold()` releases it when the block ends, and a second `permit.release()` does nothing
   * (where a second `lock.release()` would throw). Cancelling the Future, or aborting `signal`,
   * while it waits takes nothing; a lock handed over to a cancelled hold is passed on. Not in asyncio.
   * @throws {TypeError} for bad options.
   * @example
   * using held = yield* lock.hold();
   * yield* critical(); // released when the block ends
   */
  hold(options?: LockOptions): Future<Permit> {
    const signal = readSignal(options, "Lock.hold()");
    const priority = options?.priority === undefined ? 0 : checkPriority(options.priority, "Lock.hold()");
    return holdPermit(this, this._take(1, signal, priority), 1);
  }

  /**
   * Resolves to `true` once `acquire()` would not wait, without taking the lock: at once when
   * nobody holds it or waits for it. Another task may take it first. Cancelling it or aborting
   * `signal` withdraws it. Not in asyncio. async-mutex: `waitForUnlock()`.
   * @throws {TypeError} for bad options.
   * @example
   * await lock.waitForUnlock();
   */
  waitForUnlock(options?: SignalOptions): Future<true> {
    const signal = readSignal(options, "Lock.waitForUnlock()");
    if (signal?.aborted) return aborted(signal);
    if (!this._locked && this._woken === 0 && this._waiters.size === 0) return done();
    this._watchers ??= new UnlockWatchers();
    return this._watchers.watch(1, signal, "Lock.waitForUnlock()", this);
  }

  /**
   * Rejects every queued acquirer at once: with a CancelledError, or with `reason` when given.
   * They take nothing, and queued `run()` calls never run their body. The holder keeps the lock,
   * and a waiter already handed the lock keeps it. `waitForUnlock()` watchers go on waiting.
   * Not in asyncio. async-mutex: `cancel()`.
   * @example
   * lock.cancelWaiters(new Error("shutting down"));
   */
  cancelWaiters(reason?: unknown): void {
    if (this._waiters.size === 0) return;
    const hasReason = reason !== undefined;
    for (const waiter of this._waiters.drain()) failWaiter(waiter, reason, hasReason);
  }

  /**
   * Releases the lock and wakes the first waiter, if any, which holds it when it resumes.
   * asyncio: `Lock.release()`.
   * @throws {InvalidStateError} if the lock is not held.
   */
  release(): void {
    if (!this._locked) throw new InvalidStateError("Lock.release(): the lock is not acquired");
    this._locked = false;
    const next = this._waiters.shift();
    if (next !== undefined) {
      this._woken++;
      next._grant();
    } else if (this._watchers !== undefined && this._woken === 0) this._watchers.notify(1);
  }

  /**
   * asyncio's `async with lock:` — runs `fn(signal)` (an async function, a plain function or a
   * generator function) holding the lock, and returns a Future of its result. No Task per call:
   * an unlocked lock is taken before `run()` returns and a function body runs at once, inline,
   * in the caller's task and async context; otherwise the call waits FIFO and the body runs, in
   * the caller's context, when the lock is handed over. A generator body is driven by a child
   * task. The lock is released exactly once, however the body ends. Cancelling the Future (or
   * aborting `options.signal`) while the call waits withdraws it; once the body runs, `cancel()`
   * returns false: cancel the caller instead.
   * @throws {TypeError} if `fn` is not a function, or for bad options.
   * @example
   * await lock.run(function* () { yield* writeFile(); });
   */
  run<T>(fn: (signal: AbortSignal) => Coroutine<T>, options?: LockOptions): Future<T>;
  run<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    ...options: BodyRest<T, [options?: LockOptions]>
  ): Future<Awaited<T>>;
  run(fn: (signal: AbortSignal) => unknown, options?: LockOptions): Future<unknown> {
    checkBody(fn, "Lock.run()");
    const signal = readSignal(options, "Lock.run()");
    const priority = options?.priority === undefined ? 0 : checkPriority(options.priority, "Lock.run()");
    return runHeld(this, fn, 1, undefined, signal, priority);
  }

  /** @internal acquire() with checked arguments; run() gives its call, queued itself instead of a Waiter */
  _take(_weight: number, signal: AbortSignal | undefined, priority: number): Future<true>;
  /** @internal */
  _take(_weight: number, signal: AbortSignal | undefined, priority: number, call: QueueNode<unknown>): Future<unknown>;
  /** @internal */
  _take(
    _weight: number,
    signal: AbortSignal | undefined,
    priority: number,
    call?: QueueNode<unknown>,
  ): Future<unknown> {
    if (signal?.aborted) return aborted(signal);
    if (!this._locked && this._woken === 0 && this._waiters.size === 0) {
      this._locked = true;
      return done();
    }
    return this._waiters.push(call ?? newWaiter(1, signal, priority, "Lock.acquire()", this));
  }

  /** @internal */
  _give(): void {
    this.release();
  }

  /** @internal the waiter it handed the lock to resumes and now holds it */
  _resumed(): void {
    this._woken--;
    this._locked = true;
  }

  /** @internal the lock is held (or handed on) while anyone waits, so a leaving waiter changes nothing */
  _withdrawn(): void {}

  /** `<Lock [unlocked]>`, `<Lock [locked, waiters:2]>`, as asyncio prints it. */
  toString(): string {
    const count = this._waiters.size + this._woken;
    const waiters = count > 0 ? `, waiters:${count}` : "";
    return `<Lock [${this._locked ? "locked" : "unlocked"}${waiters}]>`;
  }

  [inspect](): string {
    return this.toString();
  }
}
