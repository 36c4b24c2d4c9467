/**
 * Removing done-callbacks from a Future's list: flat `[original, toCall, arg, …]` triples in
 * registration order. `removeDoneCallback(fn)` removes every registration of `fn`, so it reads
 * the whole list; a Future that many callers wait on and give up on one by one (each `wait()`
 * with a timeout, each `shield()` whose outer Future is cancelled) would read it once per
 * caller. A long list therefore gets an index of where each callback sits the first time one is
 * removed from it: a removal then blanks its triples (a blank `toCall` is skipped when the
 * callbacks run), and the list is compacted, and its index dropped, once half of it is blank.
 */

/** Lists shorter than this many triples are searched: cheaper than an index for a few waiters. */
const INDEXED_FROM = 32 * 3;

interface CallbackIndex {
  /** each registered original's triples, by their position in the list */
  at: Map<unknown, number[]>;
  /** triples blanked since the index was made */
  blank: number;
}

const indexes = new WeakMap<unknown[], CallbackIndex>();

/** Registers `toCall(arg)` for `original` at the end of `list`, in its index if it has one. */
export function pushRegistration(list: unknown[], original: unknown, toCall: unknown, arg: unknown): void {
  const at = list.length;
  list.push(original, toCall, arg);
  if (at < INDEXED_FROM) return;
  const index = indexes.get(list);
  if (index === undefined) return;
  const positions = index.at.get(original);
  if (positions === undefined) index.at.set(original, [at]);
  else positions.push(at);
}

/** Removes every triple registered for `callback` from `list`; returns how many. */
export function removeRegistrations(list: unknown[], callback: unknown): number {
  if (list.length < INDEXED_FROM) {
    let removed = 0;
    for (let i = list.length - 3; i >= 0; i -= 3) {
      if (list[i] === callback) {
        list.splice(i, 3);
        removed++;
      }
    }
    return removed;
  }
  const index = indexes.get(list) ?? indexList(list);
  const positions = index.at.get(callback);
  if (positions === undefined) return 0;
  index.at.delete(callback);
  for (const at of positions) list[at] = list[at + 1] = list[at + 2] = undefined;
  index.blank += positions.length;
  if (index.blank * 6 > list.length) compact(list);
  return positions.length;
}

function indexList(list: unknown[]): CallbackIndex {
  const at = new Map<unknown, number[]>();
  for (let i = 0; i < list.length; i += 3) {
    const positions = at.get(list[i]);
    if (positions === undefined) at.set(list[i], [i]);
    else positions.push(i);
  }
  const index = { at, blank: 0 };
  indexes.set(list, index);
  return index;
}

/** Drops the blank triples in place, in order, and the index with them (made again if needed). */
function compact(list: unknown[]): void {
  let kept = 0;
  for (let i = 0; i < list.length; i += 3) {
    if (list[i + 1] === undefined) continue;
    list[kept] = list[i];
    list[kept + 1] = list[i + 1];
    list[kept + 2] = list[i + 2];
    kept += 3;
  }
  list.length = kept;
  indexes.delete(list);
}
