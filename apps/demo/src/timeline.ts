import { allTasks, currentTask, isCancelledError, now, type Task } from "taskio";

/** How a row stands: waiting for something, running, or how it ended. */
export type RowState = "waiting" | "running" | "done" | "failed" | "cancelled";

/** A stretch of time a row spent waiting for something it needs (a permit, room in a queue, a lock). */
export interface Wait {
  /** What it waited for, in words: "a permit", "room on the cart". */
  on: string;
  start: number;
  /** Unset while it still waits. */
  end?: number;
}

/** One task (or one step the scenario awaited inline) on the timeline, on taskio's clock (ms since the timeline began). */
export interface TimelineRow {
  name: string;
  start: number;
  /** Unset while it runs. */
  end?: number;
  state: RowState;
  /** When it waited, and for what. */
  waits?: Wait[];
  /** When it held what the scenario limits (a permit): the in-flight row counts these. */
  holds?: { start: number; end?: number }[];
  /** Work the scenario awaited in its own task, without creating one (a sequential `await`). */
  step?: boolean;
  /** What is special about it, e.g. "shielded". */
  note?: string;
}

/** What the timeline picture shows: a pure value, so a renderer is a pure function of it. */
export interface TimelineModel {
  /** The scenario's name. */
  title: string;
  /** Milliseconds since the timeline began. */
  elapsed: number;
  rows: TimelineRow[];
  /** The scenario's concurrency limit, when it has one (the Semaphore's permits). */
  limit?: number;
  /** How long the scenario is expected to take at this pace: shown as a progress bar. */
  expectedMs?: number;
}

/**
 * What a scenario tells its timeline about what taskio's public API cannot show: what a task
 * waits for, work done inline, what is special about a task. Calls cost nothing when no timeline
 * is being recorded.
 */
export interface Trace {
  /** The current task waits for `on` from now until the returned function is called. */
  waiting(on: string): () => void;
  /**
   * Tasks created from now until the returned function is called start out waiting for `on`
   * (e.g. calls to `sem.run()`, queued for a permit); each stops when it calls `waited(on)`.
   */
  queued(on: string): () => void;
  /**
   * The current task waited for `on` from `since` (taskio's `now()`; default: when it was
   * created) until now — or, if it started out waiting for `on`, stops waiting now.
   */
  waited(on: string, since?: number): void;
  /** The current task holds what the scenario limits (a permit) from now until the returned function is called. */
  holding(): () => void;
  /** Runs `work` as a row of its own, `label`, though it runs inside the current task (a plain `await`). */
  step<T>(label: string, work: () => PromiseLike<T>): Promise<T>;
  /** Marks a task's row: "shielded". */
  note(task: Task<unknown>, note: string): void;
}

/** A trace that records nothing: for runs without a timeline. */
export const noTrace: Trace = {
  waiting: () => () => {},
  queued: () => () => {},
  holding: () => () => {},
  waited() {},
  step: async (_label, work) => work(),
  note() {},
};

/** Records the tasks that appear while a scenario runs. */
export interface TaskRecorder extends Trace {
  /** Looks for new tasks (call it often: a task that starts and ends between two calls is not seen). */
  sample(): void;
  /** The timeline as it is now. */
  model(): TimelineModel;
  /** Leaves `task` out: it belongs to whoever runs the scenario, not to the scenario. */
  exclude(task: Task<unknown>): void;
}

/** taskio's default names: such a task gets a readable label of the recorder's own. */
const DEFAULT_NAME = /^Task-\d+$/;

/**
 * Watches taskio's public view of tasks: `allTasks()` for the new ones, their names (a task that
 * names itself later, like a Semaphore body, is relabelled), and `addDoneCallback` for how each
 * ended. Every new task gets a row; one nobody named is shown as "unnamed task 1", "unnamed task 2"…
 * Tasks that existed before, and those named in `ignore` (the scenario's own task), are left out.
 * Reading the outcome from the task's printed form (asyncio's repr) does not count as retrieving
 * its exception, so watching changes nothing in what the scenario sees.
 */
export function recordTasks(
  title: string,
  options: { ignore?: readonly string[]; limit?: number; expectedMs?: number } = {},
): TaskRecorder {
  const start = now();
  const at = () => now() - start;
  const seen = new Set<Task<unknown>>(allTasks());
  const rowOf = new Map<Task<unknown>, TimelineRow>();
  const rows: TimelineRow[] = [];
  const ignore = new Set(options.ignore ?? []);
  let unnamed = 0;
  let queuedOn: string | undefined;
  const track = (task: Task<unknown>) => {
    const name = task.getName();
    if (ignore.has(name)) return;
    const row: TimelineRow = {
      name: DEFAULT_NAME.test(name) ? `unnamed task ${++unnamed}` : name,
      start: at(),
      state: "running",
    };
    if (queuedOn !== undefined) {
      row.state = "waiting";
      row.waits = [{ on: queuedOn, start: row.start }];
    }
    rows.push(row);
    rowOf.set(task, row);
    task.addDoneCallback(() => {
      // Whatever it started before it ended is looked for now, not at the next sample.
      sample();
      row.end = at();
      row.state = task.cancelled() ? "cancelled" : String(task).includes(" exception=") ? "failed" : "done";
      for (const wait of row.waits ?? []) wait.end ??= row.end;
      for (const hold of row.holds ?? []) hold.end ??= row.end;
    });
  };
  const sample = () => {
    for (const task of allTasks()) {
      if (seen.has(task)) continue;
      seen.add(task);
      track(task);
    }
    for (const [task, row] of rowOf) {
      const name = task.getName();
      if (!DEFAULT_NAME.test(name)) row.name = name;
    }
  };
  return {
    sample,
    model: () => ({
      title,
      elapsed: at(),
      rows: rows.map((row) => ({
        ...row,
        ...(row.waits ? { waits: row.waits.map((wait) => ({ ...wait })) } : {}),
        ...(row.holds ? { holds: row.holds.map((hold) => ({ ...hold })) } : {}),
      })),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.expectedMs === undefined ? {} : { expectedMs: options.expectedMs }),
    }),
    waiting(on) {
      sample();
      const task = currentTask();
      const row = task && rowOf.get(task);
      if (!row) return () => {};
      const wait: Wait = { on, start: at() };
      (row.waits ??= []).push(wait);
      row.state = "waiting";
      return () => {
        wait.end ??= at();
        if (row.state === "waiting") row.state = "running";
      };
    },
    holding() {
      sample();
      const task = currentTask();
      const row = task && rowOf.get(task);
      if (!row) return () => {};
      const hold: { start: number; end?: number } = { start: at() };
      (row.holds ??= []).push(hold);
      return () => {
        hold.end ??= at();
      };
    },
    queued(on) {
      sample();
      queuedOn = on;
      return () => {
        sample();
        queuedOn = undefined;
      };
    },
    waited(on, since) {
      sample();
      const task = currentTask();
      const row = task && rowOf.get(task);
      if (!row) return;
      const open = row.waits?.find((wait) => wait.on === on && wait.end === undefined);
      if (open) {
        open.end = at();
        if (row.state === "waiting") row.state = "running";
        return;
      }
      const from = Math.max(row.start, since === undefined ? row.start : since - start);
      if (at() > from) (row.waits ??= []).push({ on, start: from, end: at() });
    },
    async step(label, work) {
      sample();
      const row: TimelineRow = { name: label, start: at(), state: "running", step: true };
      rows.push(row);
      try {
        const value = await work();
        row.state = "done";
        return value;
      } catch (error) {
        row.state = isCancelledError(error) ? "cancelled" : "failed";
        throw error;
      } finally {
        row.end = at();
      }
    },
    exclude(task) {
      seen.add(task);
      const row = rowOf.get(task);
      if (row) rows.splice(rows.indexOf(row), 1);
      rowOf.delete(task);
    },
    note(task, note) {
      sample();
      const row = rowOf.get(task);
      if (row) row.note = note;
    },
  };
}
