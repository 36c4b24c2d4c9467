import type { Future, SignalOptions } from "@taskio/core";
import { readSignal } from "@taskio/core/internal";
import { aborted, done, newWaiter, WaiterQueue } from "./waiters.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * asyncio.Event: a flag tasks can wait for. `set()` wakes every waiting task; `wait()` on a set
 * event returns at once. `clear()` resets it for the next round.
 *
 * @example
 * const ready = new Event();
 * createTask(async () => { await ready.wait(); console.log("go"); });
 * ready.set();
 */
export class Event {
  /** @internal */ _value = false;
  /** @internal */ readonly _waiters: WaiterQueue = new WaiterQueue(this);

  /** True once set() was called and clear() was not called since. asyncio: `is_set()`. */
  isSet(): boolean {
    return this._value;
  }

  /** Sets the flag and wakes every waiter (each gets `true`). asyncio: `set()`. */
  set(): void {
    if (this._value) return;
    this._value = true;
    const queue = this._waiters;
    for (let waiter = queue.shift(); waiter !== undefined; waiter = queue.shift()) waiter._grant();
  }

  /** Resets the flag; waiters already woken by set() stay woken. asyncio: `clear()`. */
  clear(): void {
    this._value = false;
  }

  /**
   * Waits until the flag is set; resolves to `true`. A set event returns an already-done Future,
   * so `yield*` does not suspend. Cancelling the Future (or the task awaiting it) or aborting
   * `signal` withdraws the wait. A signal already aborted rejects at once with `signal.reason`.
   * asyncio: `wait()`.
   * @throws {TypeError} for bad options.
   * @example
   * await event.wait({ signal: AbortSignal.timeout(1000) });
   */
  wait(options?: SignalOptions): Future<true> {
    const signal = readSignal(options, "Event.wait()");
    if (signal?.aborted) return aborted(signal);
    if (this._value) return done();
    return this._waiters.push(newWaiter(1, signal, 0, "Event.wait()", this));
  }

  /** @internal nothing to pass on when a waiter leaves */
  _withdrawn(): void {}

  /** `<Event [unset, waiters:2]>`, as asyncio prints it. */
  toString(): string {
    const waiters = this._waiters.size > 0 ? `, waiters:${this._waiters.size}` : "";
    return `<Event [${this._value ? "set" : "unset"}${waiters}]>`;
  }

  [inspect](): string {
    return this.toString();
  }
}
