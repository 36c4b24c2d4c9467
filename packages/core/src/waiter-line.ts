import { Deque } from "./deque.js";

/** What waits in a WaiterLine: marked with the line while it counts there, unmarked once it left. */
export interface InLine {
  /** @internal */ _line: WaiterLine<InLine> | undefined;
}

function isInLine(entry: InLine): boolean {
  return entry._line !== undefined;
}

/**
 * Waiters in arrival order, any of which may leave early (cancelled, aborted, served out of turn)
 * in O(1): leaving only clears the entry's `_line` mark and lowers `live`. The entries that left
 * stay in the deque until `shift()` or `first()` meets them at the head, or until they outnumber
 * the live ones and the line compacts itself, so a long line that many leave never costs a scan
 * per leave (asyncio's `deque.remove(waiter)` does) and never holds the leavers for long. The
 * waiting gets, puts and joins of a Queue and of a RemoteQueue, and a RemoteQueue's items not yet
 * acknowledged.
 */
export class WaiterLine<W extends InLine> {
  /** How many entries are still in line. */
  live = 0;
  /** @internal */ readonly _entries = new Deque<W>();

  push(entry: W): void {
    entry._line = this as WaiterLine<InLine>;
    this._entries.push(entry);
    this.live++;
  }

  /** Removes and returns the first entry still in line, or undefined if there is none. */
  shift(): W | undefined {
    const entries = this._entries;
    while (entries.size > 0) {
      const entry = entries.take();
      if (entry._line === this) {
        entry._line = undefined;
        if (--this.live === 0) entries.clear();
        return entry;
      }
    }
    return undefined;
  }

  /** `entry` leaves from wherever it stands; nothing happens if it is not in this line. */
  leave(entry: W): void {
    if (entry._line !== this) return;
    entry._line = undefined;
    this.live--;
    const entries = this._entries;
    if (this.live === 0) entries.clear();
    else if (entries.size > 2 * this.live + 16) entries.retain(isInLine);
  }

  /** The first `limit` entries still in line, in order; they stay in line. */
  first(limit: number): W[] {
    const entries = this._entries;
    // Those that left from the head go now, so a line served from the front is never walked twice.
    while (entries.size > 0 && entries.peek()._line !== this) entries.take();
    const out: W[] = [];
    if (limit <= 0) return out;
    for (const entry of entries) {
      if (entry._line !== this) continue;
      out.push(entry);
      if (out.length === limit) break;
    }
    return out;
  }

  /** Every entry still in line, in order, taken out of it: the line is left empty. */
  drain(): W[] {
    const out: W[] = [];
    for (let entry = this.shift(); entry !== undefined; entry = this.shift()) out.push(entry);
    return out;
  }
}
