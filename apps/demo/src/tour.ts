import { allTasks, createTask, currentTask, gather, isCancelledError, type Task, waitFor } from "taskio";
import { type Check, describeError, type Scenario, type ScenarioContext, stopwatch } from "./scenario.js";
import type { LibraryServer } from "./server.js";
import { noTrace, type Trace } from "./timeline.js";

/** What one scenario did, as the CLI prints it and `--json` reports it. */
export interface ScenarioResult {
  name: string;
  title: string;
  passed: boolean;
  durationMs: number;
  checks: Check[];
  /** The lines the scenario printed. */
  output: string[];
  /** Set when the scenario threw instead of returning its checks. */
  error?: string;
}

/** How to run the scenarios. */
export interface TourOptions {
  /** Multiplies every latency and delay (default 1: the tour's pace). */
  scale?: number;
  /** Milliseconds of scheduling noise a timing check tolerates (default 100). */
  slack?: number;
  /**
   * Milliseconds a scenario may run before it is cancelled and fails with a TimeoutError
   * (default 10 s at the tour's pace, never under 2 s).
   */
  timeLimit?: number;
  /** Called with each line a scenario prints, as it prints it. */
  onLine?(line: string): void;
  /** Called before each scenario starts. */
  onStart?(scenario: Scenario, index: number): void;
  /** Called as each scenario ends. */
  onResult?(result: ScenarioResult): void;
  /** Where the running scenario tells its timeline what it waits for (default: nowhere). */
  trace?(scenario: Scenario): (Trace & { exclude?(task: Task<unknown>): void; sample?(): void }) | undefined;
}

/**
 * Runs the scenarios one after another against `server`. A scenario runs as its own task with a time
 * limit (a hanging scenario fails rather than hangs the tour), and fails if it leaves a task running.
 * Cancelling the caller cancels the running scenario: its cleanup runs and no request is left open.
 */
export async function runTour(
  selected: readonly Scenario[],
  server: LibraryServer,
  options: TourOptions = {},
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const [index, scenario] of selected.entries()) {
    options.onStart?.(scenario, index);
    const result = await runScenario(scenario, server, options);
    options.onResult?.(result);
    results.push(result);
  }
  return results;
}

/** Runs one scenario; see runTour. */
export async function runScenario(
  scenario: Scenario,
  server: LibraryServer,
  options: TourOptions = {},
): Promise<ScenarioResult> {
  const scale = options.scale ?? 1;
  const output: string[] = [];
  const recorder = options.trace?.(scenario);
  const context: ScenarioContext = {
    server,
    slack: options.slack ?? 100,
    ms: (tourMs) => (tourMs > 0 ? Math.max(1, Math.round(tourMs * scale)) : 0),
    log(line) {
      recorder?.sample?.();
      output.push(line);
      options.onLine?.(line);
    },
    trace: recorder ?? noTrace,
  };
  server.reset();
  const caller = currentTask();
  const before = allTasks();
  const elapsed = stopwatch();
  let checks: Check[] = [];
  let error: string | undefined;
  let interrupted: unknown;
  try {
    const task = createTask(() => scenario.run(context), { name: scenario.name });
    const limited = waitFor(task, options.timeLimit ?? Math.max(2_000, 10_000 * scale));
    // The time limit's own task is the tour's, not the scenario's: keep it off the timeline.
    recorder?.exclude?.(limited);
    checks = await limited;
  } catch (thrown) {
    // Our caller was cancelled (Ctrl-C): clean up below, then stop. A CancelledError the
    // scenario raised by itself is just its failure (asyncio's `if current_task().cancelling()` test).
    if (isCancelledError(thrown) && (caller?.cancelling() ?? 0) > 0) interrupted = thrown;
    else error = thrown instanceof Error ? (thrown.stack ?? describeError(thrown)) : String(thrown);
  }
  const durationMs = Math.round(elapsed());

  const leftovers = [...allTasks()].filter((task) => !before.has(task));
  checks.push({
    name: "no task left running",
    passed: leftovers.length === 0,
    details: leftovers.length === 0 ? "none" : leftovers.map((task) => String(task)).join(", "),
  });
  await stop(leftovers);
  await server.idle();
  if (interrupted !== undefined) throw interrupted;

  return {
    name: scenario.name,
    title: scenario.title,
    passed: error === undefined && checks.every((check) => check.passed),
    durationMs,
    checks,
    output,
    ...(error === undefined ? {} : { error }),
  };
}

/** Cancels what a failed scenario left behind and waits until it has unwound. */
async function stop(tasks: Task<unknown>[]): Promise<void> {
  if (tasks.length === 0) return;
  for (const task of tasks) task.cancel("the scenario ended");
  await gather(tasks, { returnExceptions: true });
}
