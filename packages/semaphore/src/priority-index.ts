import type { QueueNode } from "./waiters.js";

/** Distinct priorities, highest first, and the last queued waiter of each at the same position. */
interface Block {
  readonly levels: number[];
  readonly lasts: QueueNode<unknown>[];
}

/** A block this long splits in two, so a priority that arrives or empties moves at most this many. */
const BLOCK_SIZE = 128;

/**
 * The last queued waiter of each priority, for a WaiterQueue that a waiter outranks deep in its
 * line. The priorities are kept sorted, highest first, in short blocks (a two-level B-tree): the
 * waiter a newcomer queues behind is found by binary search, and a priority that arrives or
 * empties moves the rest of its block only. One array of all the priorities would move half of
 * them each time: 50,000 waiters of distinct priorities took 0.7 s to queue, 200,000 took 9 s.
 */
export class PriorityIndex {
  /** @internal highest priorities first; none is empty */ readonly _blocks: Block[] = [];
  /** @internal set by `_find` when it finds a priority: its block, and its place in that block */ _block = 0;
  /** @internal */ _place = 0;

  /** The last queued waiter of the lowest priority at or above `priority`, if any. */
  lastAtOrAbove(priority: number): QueueNode<unknown> | undefined {
    return this._find(priority) ? this._blocks[this._block]!.lasts[this._place] : undefined;
  }

  /** `waiter` was queued behind every other waiter of its priority. */
  queued(waiter: QueueNode<unknown>): void {
    const priority = waiter._priority;
    const blocks = this._blocks;
    const last = blocks[blocks.length - 1];
    if (last === undefined) {
      blocks.push({ levels: [priority], lasts: [waiter] });
      return;
    }
    // Most newcomers queue last: the lowest priority's, or a new lowest one.
    const lowest = last.levels[last.levels.length - 1]!;
    if (lowest === priority) {
      last.lasts[last.lasts.length - 1] = waiter;
      return;
    }
    let at = blocks.length - 1;
    let place = last.levels.length;
    if (lowest < priority) {
      if (!this._find(priority)) {
        at = place = 0;
      } else if (blocks[this._block]!.levels[this._place] === priority) {
        blocks[this._block]!.lasts[this._place] = waiter;
        return;
      } else {
        at = this._block;
        place = this._place + 1;
      }
    }
    const block = blocks[at]!;
    block.levels.splice(place, 0, priority);
    block.lasts.splice(place, 0, waiter);
    if (block.levels.length === BLOCK_SIZE) {
      const half = BLOCK_SIZE / 2;
      blocks.splice(at + 1, 0, { levels: block.levels.splice(half), lasts: block.lasts.splice(half) });
    }
  }

  /** `waiter` is leaving the queue; `prev` is the waiter queued just before it. */
  leaving(waiter: QueueNode<unknown>, prev: QueueNode<unknown> | undefined): void {
    if (!this._find(waiter._priority)) return;
    const block = this._blocks[this._block]!;
    const place = this._place;
    // Not the last of its priority: the index does not change.
    if (block.lasts[place] !== waiter) return;
    if (prev !== undefined && prev._priority === waiter._priority) {
      block.lasts[place] = prev;
      return;
    }
    block.levels.splice(place, 1);
    block.lasts.splice(place, 1);
    if (block.levels.length === 0) this._blocks.splice(this._block, 1);
  }

  /** @internal finds the lowest priority at or above `priority` (see `_block` and `_place`); false if none is */
  _find(priority: number): boolean {
    const blocks = this._blocks;
    let at = firstBlockBelow(blocks, priority);
    let place = at < blocks.length ? firstBelow(blocks[at]!.levels, priority) - 1 : -1;
    if (place < 0) {
      if (at === 0) return false;
      at--;
      place = blocks[at]!.levels.length - 1;
    }
    this._block = at;
    this._place = place;
    return true;
  }
}

/** The first block holding a priority below `priority` (the number of blocks if none does). */
function firstBlockBelow(blocks: readonly Block[], priority: number): number {
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const levels = blocks[mid]!.levels;
    if (levels[levels.length - 1]! >= priority) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first position in `levels` (highest first) below `priority` (the length if none is). */
function firstBelow(levels: readonly number[], priority: number): number {
  let low = 0;
  let high = levels.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (levels[mid]! >= priority) low = mid + 1;
    else high = mid;
  }
  return low;
}
