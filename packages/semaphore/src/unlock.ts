import type { Future } from "@taskio/core";
import { labelWait } from "@taskio/core/internal";
import { Waiter, WaiterQueue } from "./waiters.js";

/** A watcher takes nothing, so one leaving early changes nothing for the others. */
const NOBODY = { _withdrawn(): void {} };

/**
 * The Futures `waitForUnlock()` returns while a Semaphore or Lock is locked: each resolves once
 * `weight` permits could be taken, without taking them. Cancelling one, or aborting its signal,
 * takes it out of the list at once.
 */
export class UnlockWatchers {
  /** @internal */ readonly _queue = new WaiterQueue(NOBODY);

  get size(): number {
    return this._queue.size;
  }

  /** A new watcher for `weight` permits. */
  watch(weight: number, signal: AbortSignal | undefined, label: string, target: object): Future<true> {
    return this._queue.push(labelWait(new Waiter(weight, signal), label, target));
  }

  /** `free` permits could be taken now (no waiter ahead): resolves every watcher they would satisfy. */
  notify(free: number): void {
    const queue = this._queue;
    for (let watcher = queue.head; watcher !== undefined; ) {
      const next = watcher._next;
      if (watcher._weight <= free) {
        queue.remove(watcher);
        watcher._grant();
      }
      watcher = next;
    }
  }
}
