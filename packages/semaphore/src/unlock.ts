import type { Future } from "@taskio/core";
import { labelWait } from "@taskio/core/internal";
import { Waiter, WaiterQueue } from "./waiters.js";

/** A watcher takes nothing, so one leaving early changes nothing for the others. */
const NOBODY = { _withdrawn(): void {} };

/**
 * The Futures `waitForUnlock()` returns while a Semaphore or Lock is locked: each resolves once
 * `weight` permits could be taken, without taking them. Cancelling one, or aborting its signal,
 * takes it out of the list at once. Kept lightest first (FIFO within a weight), so an unlock
 * looks at the watchers it satisfies and one more: heavy watchers that many small releases do not
 * satisfy are not walked again on each.
 */
export class UnlockWatchers {
  /** @internal */ readonly _queue = new WaiterQueue(NOBODY);

  get size(): number {
    return this._queue.size;
  }

  /** A new watcher for `weight` permits. */
  watch(weight: number, signal: AbortSignal | undefined, label: string, target: object): Future<true> {
    return this._queue.push(labelWait(new Waiter(weight, signal, -weight), label, target));
  }

  /** `free` permits could be taken now (no waiter ahead): resolves every watcher they would satisfy. */
  notify(free: number): void {
    const queue = this._queue;
    for (let watcher = queue.head; watcher !== undefined && watcher._weight <= free; watcher = queue.head) {
      queue.remove(watcher);
      watcher._grant();
    }
  }
}
