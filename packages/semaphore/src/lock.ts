import { type Coroutine, type Future, InvalidStateError } from "@taskio/core";
import { labelWait, readSignal } from "@taskio/core/internal";
import { checkBody, type WaitOptions } from "./check.js";
import { type BodyRest, runHeld } from "./hold.js";
import { aborted, DONE, resumedCallback, Waiter, WaiterQueue } from "./waiters.js";

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
  acquire(options?: WaitOptions): Future<true> {
    const signal = readSignal(options, "Lock.acquire()");
    if (signal?.aborted) return aborted(signal);
    if (!this._locked && this._woken === 0 && this._waiters.size === 0) {
      this._locked = true;
      return DONE;
    }
    const waiter = this._waiters.push(labelWait(new Waiter(1, signal), "Lock.acquire()", this));
    waiter.addDoneCallback(resumedCallback);
    return waiter;
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
    }
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
  run<T>(fn: (signal: AbortSignal) => Coroutine<T>, options?: WaitOptions): Future<T>;
  run<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    ...options: BodyRest<T, [options?: WaitOptions]>
  ): Future<Awaited<T>>;
  run(fn: (signal: AbortSignal) => unknown, options?: WaitOptions): Future<unknown> {
    checkBody(fn, "Lock.run()");
    const signal = readSignal(options, "Lock.run()");
    return runHeld(this, fn, 1, undefined, signal);
  }

  /** @internal */
  _take(_weight: number, signal: AbortSignal | undefined): Future<true> {
    return signal === undefined ? this.acquire() : this.acquire({ signal });
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
