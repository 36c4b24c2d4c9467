import { type CancelledError, type Future, now, wait } from "taskio";
import type { LibraryServer, RequestCounts } from "./server.js";
import type { Trace } from "./timeline.js";

/** What a scenario gets from the tour. */
export interface ScenarioContext {
  /** The local library service, started for the tour; its counts are zeroed before each scenario. */
  readonly server: LibraryServer;
  /**
   * Scales a latency or a delay written for the tour (1×) to the pace of this run: the tests run
   * the same scenarios at a small fraction so they finish in milliseconds.
   */
  ms(tourMs: number): number;
  /**
   * Milliseconds of scheduling noise a timing check tolerates on top of the latencies (the tour:
   * 100; the tests, on a busy machine at a small scale: more).
   */
  readonly slack: number;
  /** Prints one line of the scenario's story (collected instead in `--json` mode). */
  log(line: string): void;
  /** Tells the timeline what it cannot see by itself: waits, inline steps, shielded tasks. */
  readonly trace: Trace;
}

/** One verified claim of a scenario. */
export interface Check {
  name: string;
  passed: boolean;
  details: string;
}

/** A runnable pattern from the asyncio tutorials. */
export interface Scenario {
  /** What to type: `pnpm demo -- <name>`. */
  readonly name: string;
  /** One line: the pattern. */
  readonly title: string;
  /** How many tasks may run at once, when the pattern has a limit (the live timeline shows it). */
  readonly limit?: number;
  /** About how long the scenario takes at the tour's pace, for its progress bar (long ones only). */
  readonly expectedMs?: number;
  /** One paragraph: what happens and what to look for (the `--html` page shows it). */
  readonly story?: string;
  /** The pattern's code, in a few lines (the `--html` page shows it). */
  readonly code?: string;
  /** Runs the pattern, prints what it shows and returns what it checked. */
  run(ctx: ScenarioContext): Promise<Check[]>;
}

/** A list of checks with a function to add one: `check("all found", found === 3, "3 of 3")`. */
export interface Checklist {
  (name: string, passed: boolean, details?: string): boolean;
  readonly results: Check[];
}

/** Starts an empty checklist. */
export function checklist(): Checklist {
  const results: Check[] = [];
  const check = (name: string, passed: boolean, details = "") => {
    results.push({ name, passed, details });
    return passed;
  };
  return Object.assign(check, { results });
}

/** How a task ended, read without letting its error throw. */
export type Outcome<T> =
  | { status: "fulfilled"; value: T }
  | { status: "rejected"; error: unknown }
  | { status: "cancelled"; error: CancelledError };

/**
 * Waits until `future` is done and returns its outcome. `wait()` neither passes the caller's
 * cancellation on to it nor throws its error here, so a CancelledError that reaches the caller
 * is always the caller's own (Ctrl-C), never the awaited task's.
 */
export async function outcomeOf<T>(future: Future<T>): Promise<Outcome<T>> {
  await wait([future]);
  if (future.cancelled()) {
    try {
      future.result();
    } catch (error) {
      return { status: "cancelled", error: error as CancelledError };
    }
  }
  const error = future.exception();
  return error === undefined ? { status: "fulfilled", value: future.result() } : { status: "rejected", error };
}

/** A stopwatch on taskio's clock (`now()`): returns the milliseconds since it was started. */
export function stopwatch(): () => number {
  const start = now();
  return () => now() - start;
}

/** `1512.3` → `"1,512 ms"`. */
export function formatMs(ms: number): string {
  return `${Math.round(ms).toLocaleString("en-US")} ms`;
}

/** `{ started: 3, completed: 1, aborted: 2 }` → `"3 started, 1 completed, 2 aborted"`. */
export function formatCounts(counts: RequestCounts | undefined): string {
  const { started, completed, aborted } = counts ?? { started: 0, completed: 0, aborted: 0 };
  return `${started} started, ${completed} completed, ${aborted} aborted`;
}

/** The error's name and message, the way the tour prints a failure. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message || "(no message)"}`;
  return String(error);
}
