import type { Store } from "./store.js";

const MIN_CAPACITY = 8;
/** Above this capacity an emptied buffer is dropped, so one burst does not pin memory forever. */
const KEEP_CAPACITY = 1024;

/**
 * A FIFO ring buffer (Python's `collections.deque` for the two ends a queue uses): O(1) push and
 * take without `Array.prototype.shift`'s copying. Capacity is a power of two so wrap-around is a mask.
 * It is the store of a plain `Queue` and the list behind every waiter queue.
 */
export class Deque<T> implements Store<T> {
  size = 0;
  private buffer: (T | undefined)[] = [];
  private head = 0;
  private mask = -1;

  push(item: T): void {
    if (this.size === this.buffer.length) this.grow();
    this.buffer[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  /** Removes and returns the oldest item. The caller checks `size` first. */
  take(): T {
    const buffer = this.buffer;
    const item = buffer[this.head] as T;
    buffer[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    if (--this.size === 0) this.reset();
    return item;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.buffer[(this.head + i) & this.mask] = undefined;
    this.size = 0;
    this.reset();
  }

  /** The first `limit` items, oldest first (for printing). */
  toArray(limit: number): T[] {
    const n = Math.min(limit, this.size);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = this.buffer[(this.head + i) & this.mask] as T;
    return out;
  }

  /** Keeps only the items `keep` accepts, in order (compaction of withdrawn waiters). */
  retain(keep: (item: T) => boolean): void {
    const buffer = this.buffer;
    const mask = this.mask;
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const item = buffer[(this.head + i) & mask] as T;
      if (keep(item)) buffer[(this.head + kept++) & mask] = item;
    }
    for (let i = kept; i < this.size; i++) buffer[(this.head + i) & mask] = undefined;
    this.size = kept;
    if (kept === 0) this.reset();
  }

  private reset(): void {
    this.head = 0;
    if (this.buffer.length > KEEP_CAPACITY) {
      this.buffer = [];
      this.mask = -1;
    }
  }

  private grow(): void {
    const old = this.buffer;
    const capacity = Math.max(MIN_CAPACITY, old.length * 2);
    const buffer = new Array<T | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.size; i++) buffer[i] = old[(this.head + i) & this.mask];
    this.buffer = buffer;
    this.head = 0;
    this.mask = capacity - 1;
  }
}
