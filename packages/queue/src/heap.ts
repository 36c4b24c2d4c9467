import type { Store } from "./store.js";

/**
 * A binary min-heap (Python's `heapq`) whose equal keys come out first in, first out: each item
 * carries an insertion number that breaks ties. Items and numbers live in two parallel arrays, so
 * a push allocates nothing.
 *
 * Exception safety: every comparison of a push or a take is made before anything moves, so a
 * `compare` that throws leaves the heap exactly as it was.
 */
export class Heap<T> implements Store<T> {
  size = 0;
  /** @internal */ readonly _items: T[] = [];
  /** @internal */ readonly _seqs: number[] = [];
  /** @internal */ _nextSeq = 0;

  /** @internal */ readonly _compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this._compare = compare;
  }

  push(item: T): void {
    const { _items: items, _seqs: seqs, _compare: compare } = this;
    const seq = this._nextSeq;
    // Find where the item settles first (compare may throw), then shift its ancestors down.
    let target = this.size;
    while (target > 0) {
      const parent = (target - 1) >> 1;
      if (compare(item, items[parent] as T) >= 0) break;
      target = parent;
    }
    let i = this.size;
    while (i > target) {
      const parent = (i - 1) >> 1;
      items[i] = items[parent] as T;
      seqs[i] = seqs[parent] as number;
      i = parent;
    }
    items[target] = item;
    seqs[target] = seq;
    this._nextSeq = seq + 1;
    this.size++;
  }

  take(): T {
    const { _items: items, _seqs: seqs } = this;
    const top = items[0] as T;
    const n = this.size - 1;
    if (n > 0) {
      const last = items[n] as T;
      const lastSeq = seqs[n] as number;
      // Walk down to where `last` settles without moving anything (compare may throw) ...
      let pos = 0;
      for (;;) {
        let child = 2 * pos + 1;
        if (child >= n) break;
        if (child + 1 < n && this._less(child + 1, child)) child++;
        if (!this._lessThan(child, last, lastSeq)) break;
        pos = child;
      }
      // ... then lift each ancestor of `pos` one level and put `last` at `pos`.
      let carryItem = last;
      let carrySeq = lastSeq;
      while (pos > 0) {
        const item = items[pos] as T;
        const seq = seqs[pos] as number;
        items[pos] = carryItem;
        seqs[pos] = carrySeq;
        carryItem = item;
        carrySeq = seq;
        pos = (pos - 1) >> 1;
      }
      items[0] = carryItem;
      seqs[0] = carrySeq;
    }
    items.length = n;
    seqs.length = n;
    this.size = n;
    return top;
  }

  clear(): void {
    this._items.length = 0;
    this._seqs.length = 0;
    this.size = 0;
  }

  toArray(limit: number): T[] {
    return this._items.slice(0, limit);
  }

  /** @internal heap entry i sorts before entry j */ _less(i: number, j: number): boolean {
    const c = this._compare(this._items[i] as T, this._items[j] as T);
    return c < 0 || (c === 0 && (this._seqs[i] as number) < (this._seqs[j] as number));
  }

  /** @internal heap entry i sorts before (item, seq) */ _lessThan(i: number, item: T, seq: number): boolean {
    const c = this._compare(this._items[i] as T, item);
    return c < 0 || (c === 0 && (this._seqs[i] as number) < seq);
  }
}
