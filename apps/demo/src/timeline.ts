import { allTasks, now, type Task } from "taskio";

/** How a row's task stands. */
export type RowState = "running" | "done" | "failed" | "cancelled";

/** One task on the timeline: when it started and ended, on taskio's clock (ms since the timeline began). */
export interface TimelineRow {
  name: string;
  start: number;
  /** Unset while the task runs. */
  end?: number;
  state: RowState;
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

/** Records the tasks that appear while a scenario runs. */
export interface TaskRecorder {
  /** Looks for new tasks (call it often: a task that starts and ends between two calls is not seen). */
  sample(): void;
  /** The timeline as it is now. */
  model(): TimelineModel;
}

/** taskio's default names: such a task is a helper nobody named (yet). */
const DEFAULT_NAME = /^Task-\d+$/;

/**
 * Watches taskio's public view of tasks: `allTasks()` for the new ones, their names, and
 * `addDoneCallback` for how each ended. A task appears once it has a name of its own — from its
 * creation (`createTask(fn, { name })`), or from the moment it renames itself (`setName`, e.g. a
 * Semaphore's task once it holds a permit) — so unnamed helper tasks stay out of the picture.
 * Tasks that existed before, and those named in `ignore` (the scenario's own task), are left out.
 * Reading the outcome from the task's printed form (asyncio's repr) does not count as retrieving its
 * exception, so watching changes nothing in what the scenario sees.
 */
export function recordTasks(
  title: string,
  options: { ignore?: readonly string[]; limit?: number; expectedMs?: number } = {},
): TaskRecorder {
  const start = now();
  const seen = new Set<Task<unknown>>(allTasks());
  const unnamed = new Set<Task<unknown>>();
  const rows: TimelineRow[] = [];
  const ignore = new Set(options.ignore ?? []);
  const track = (task: Task<unknown>) => {
    const name = task.getName();
    if (DEFAULT_NAME.test(name)) return false;
    if (ignore.has(name)) return true;
    const row: TimelineRow = { name, start: now() - start, state: "running" };
    rows.push(row);
    task.addDoneCallback(() => {
      row.end = now() - start;
      row.state = task.cancelled() ? "cancelled" : String(task).includes(" exception=") ? "failed" : "done";
    });
    return true;
  };
  return {
    sample() {
      for (const task of unnamed) if (task.done() || track(task)) unnamed.delete(task);
      for (const task of allTasks()) {
        if (seen.has(task)) continue;
        seen.add(task);
        if (!track(task)) unnamed.add(task);
      }
    },
    model: () => ({
      title,
      elapsed: now() - start,
      rows: rows.map((row) => ({ ...row })),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.expectedMs === undefined ? {} : { expectedMs: options.expectedMs }),
    }),
  };
}
