/**
 * The pending tasks, held strongly until they end (asyncio's all_tasks), in pages of slots.
 *
 * Not a list linked through the tasks: whatever lives as long as the process sits in V8's old
 * generation, and storing a new object into an old one takes the write barrier's slow path
 * (about 45 instructions, to record the slot for the next young collection). A list's sentinel
 * took it once or twice for each task added and again when the oldest ended. A page is new while
 * it fills, so adding a task to it is a plain store; ending one stores `undefined`, which records
 * nothing. Only a new page, once every PAGE tasks, is stored into the old array of pages.
 */
import type { Task } from "./tasks.js";

const PAGE = 256;

/**
 * A page no longer being filled whose pending tasks fall to this few is dropped at the next turn
 * of a page: they move to the new page, so a handful of long-lived tasks cannot each hold a page.
 */
const SPARSE = 16;

export class TaskPage {
  readonly slots: (Task<unknown> | undefined)[] = new Array(PAGE);
  live = 0;
}

/** Shared by every copy of @taskio/core in the process, through the runtime. */
export interface PendingTasks {
  /** every page that holds a pending task, and the one being filled, last */
  readonly pages: TaskPage[];
  current: TaskPage;
  /** the current page's next free slot */
  next: number;
  /** older pages down to SPARSE pending tasks, to be dropped at the next turn */
  readonly sparse: TaskPage[];
}

export function createPendingTasks(): PendingTasks {
  const page = new TaskPage();
  return { pages: [page], current: page, next: 0, sparse: [] };
}

export function addPending(tasks: PendingTasks, task: Task<unknown>): void {
  if (tasks.next === PAGE) turnPage(tasks);
  const page = tasks.current;
  const slot = tasks.next++;
  page.slots[slot] = task;
  page.live++;
  task._page = page;
  task._slot = slot;
}

export function removePending(tasks: PendingTasks, task: Task<unknown>): void {
  const page = task._page!;
  page.slots[task._slot] = undefined;
  task._page = undefined;
  const live = --page.live;
  if (live > SPARSE || page === tasks.current) return;
  if (live === 0) drop(tasks, page);
  else if (live === SPARSE) tasks.sparse.push(page);
}

/**
 * Starts a new page and moves the tasks of the sparse older pages to it. Not as they become
 * sparse: tasks that end in the order they began would be moved just before ending.
 */
function turnPage(tasks: PendingTasks): void {
  const outgoing = tasks.current;
  const page = new TaskPage();
  tasks.pages.push(page);
  tasks.current = page;
  tasks.next = 0;
  if (outgoing.live === 0) drop(tasks, outgoing);
  else if (outgoing.live <= SPARSE) tasks.sparse.push(outgoing);
  if (tasks.sparse.length === 0) return;
  for (const sparse of tasks.sparse.splice(0)) {
    // Its last task ended since: already dropped.
    if (sparse.live === 0) continue;
    drop(tasks, sparse);
    const slots = sparse.slots;
    for (let i = 0; i < PAGE; i++) {
      const task = slots[i];
      if (task === undefined) continue;
      // Cleared, or the dropped page, if already in the old generation, would keep the task
      // alive through young collections after it ended.
      slots[i] = undefined;
      addPending(tasks, task);
    }
  }
}

function drop(tasks: PendingTasks, page: TaskPage): void {
  tasks.pages.splice(tasks.pages.indexOf(page), 1);
}

/** The pending tasks `include` accepts, oldest first (a task moved to a newer page is out of order there). */
export function listPending(tasks: PendingTasks, include: (task: Task<unknown>) => boolean): Task<unknown>[] {
  const found: Task<unknown>[] = [];
  for (const page of tasks.pages) {
    for (const task of page.slots) if (task !== undefined && include(task)) found.push(task);
  }
  return found.sort((a, b) => a._number - b._number);
}
