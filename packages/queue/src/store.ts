/**
 * The container behind a queue: asyncio's `_init`/`_put`/`_get`/`_qsize` hooks as one object, so
 * Queue, LifoQueue and PriorityQueue share every waiting and accounting rule and differ only here.
 */
export interface Store<T> {
  /** How many items it holds. */
  readonly size: number;
  /** Adds an item. May throw (a PriorityQueue's `compare`); then nothing was added. */
  push(item: T): void;
  /** Removes and returns the next item; called only when `size > 0`. May throw; then nothing was removed. */
  take(): T;
  /** Drops every item. */
  clear(): void;
  /** Up to `limit` items in storage order, for printing. */
  toArray(limit: number): T[];
}

/** The LIFO store: a plain array used as a stack. */
export class Stack<T> implements Store<T> {
  /** @internal */ readonly _items: T[] = [];

  get size(): number {
    return this._items.length;
  }

  push(item: T): void {
    this._items.push(item);
  }

  take(): T {
    return this._items.pop() as T;
  }

  clear(): void {
    this._items.length = 0;
  }

  toArray(limit: number): T[] {
    return this._items.slice(0, limit);
  }
}
