import type { Task } from "@taskio/core";
import { Deque, type InLine, WaiterLine } from "@taskio/core/internal";

/** An item a RemoteQueue instance handed out and has not acknowledged yet. */
interface Item extends InLine {
  readonly id: string;
  /** the task that got it (undefined: plain code) */
  readonly task: Task<unknown> | undefined;
}

/**
 * The items one RemoteQueue instance got and has not acknowledged, for `taskDone()`: it takes the
 * oldest item the calling task got, or, if that task got none, the oldest of all. Both in O(1), so
 * acknowledging tens of thousands of items is linear: every item is in the line of all, oldest
 * first, and in its task's own line. The oldest item of all is also the oldest of its task, so an
 * item taken from the line of all is always at the head of its task's line.
 */
export class UnackedItems {
  /** @internal */ readonly _all = new WaiterLine<Item>();
  /** @internal */ readonly _byTask = new Map<Task<unknown> | undefined, Deque<Item>>();

  /** How many items wait for their acknowledgement. */
  get size(): number {
    return this._all.live;
  }

  add(id: string, task: Task<unknown> | undefined): void {
    const item: Item = { id, task, _line: undefined };
    this._all.push(item);
    let mine = this._byTask.get(task);
    if (mine === undefined) {
      mine = new Deque<Item>();
      this._byTask.set(task, mine);
    }
    mine.push(item);
  }

  /** The id of the item `task` acknowledges (see the class), taken out; undefined if there is none. */
  take(task: Task<unknown> | undefined): string | undefined {
    let item: Item | undefined;
    const mine = this._byTask.get(task);
    if (mine !== undefined) {
      item = mine.take();
      this._all.leave(item);
      if (mine.size === 0) this._byTask.delete(task);
    } else {
      item = this._all.shift();
      if (item === undefined) return undefined;
      const theirs = this._byTask.get(item.task)!;
      theirs.take();
      if (theirs.size === 0) this._byTask.delete(item.task);
    }
    return item.id;
  }

  /** The ids of every item not acknowledged yet, oldest first (the heartbeat keeps them). */
  ids(): string[] {
    return this._all.first(this._all.live).map(idOf);
  }
}

function idOf(item: Item): string {
  return item.id;
}
