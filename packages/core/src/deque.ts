const MIN_CAPACITY = 8;
/** Above this capacity an emptied buffer is dropped, so one burst does not pin memory forever. */
const KEEP_CAPACITY = 1024;

/**
 * A FIFO ring buffer (Python's `collections.deque` for the two ends a queue uses): O(1) push and
 * take without `Array.prototype.shift`'s copying. Capacity is a power of two so wrap-around is a mask.
 * The store of a plain `Queue`, the list behind its waiters, and `asCompleted()`'s lines.
 */
export class Deque<T> {
  size = 0;
  /** @internal */ _buffer: (T | undefined)[] = [];
  /** @internal */ _head = 0;
  /** @internal */ _mask = -1;

  push(item: T): void {
    if (this.size === this._buffer.length) this._grow();
    this._buffer[(this._head + this.size) & this._mask] = item;
    this.size++;
  }

  /** Removes and returns the oldest item. The caller checks `size` first. */
  take(): T {
    const buffer = this._buffer;
    const item = buffer[this._head] as T;
    buffer[this._head] = undefined;
    this._head = (this._head + 1) & this._mask;
    if (--this.size === 0) this._reset();
    return item;
  }

  /** The oldest item, left in place. The caller checks `size` first. */
  peek(): T {
    return this._buffer[this._head] as T;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this._buffer[(this._head + i) & this._mask] = undefined;
    this.size = 0;
    this._reset();
  }

  /** The first `limit` items, oldest first (for printing). */
  toArray(limit: number): T[] {
    const n = Math.min(limit, this.size);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = this._buffer[(this._head + i) & this._mask] as T;
    return out;
  }

  /** The items, oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this._buffer[(this._head + i) & this._mask] as T;
  }

  /** Keeps only the items `keep` accepts, in order (compaction of withdrawn waiters). */
  retain(keep: (item: T) => boolean): void {
    const buffer = this._buffer;
    const mask = this._mask;
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const item = buffer[(this._head + i) & mask] as T;
      if (keep(item)) buffer[(this._head + kept++) & mask] = item;
    }
    for (let i = kept; i < this.size; i++) buffer[(this._head + i) & mask] = undefined;
    this.size = kept;
    if (kept === 0) this._reset();
  }

  /** @internal */ _reset(): void {
    this._head = 0;
    if (this._buffer.length > KEEP_CAPACITY) {
      this._buffer = [];
      this._mask = -1;
    }
  }

  /** @internal */ _grow(): void {
    const old = this._buffer;
    const capacity = Math.max(MIN_CAPACITY, old.length * 2);
    const buffer = new Array<T | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.size; i++) buffer[i] = old[(this._head + i) & this._mask];
    this._buffer = buffer;
    this._head = 0;
    this._mask = capacity - 1;
  }
}
