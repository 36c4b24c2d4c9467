/**
 * vitest setup file (`setupFiles: ["@taskio/testkit/setup"]`): every test runs on a fresh
 * auto-advancing virtual clock, Futures compare by identity, and a test fails if it leaves a
 * task pending or a task exception unretrieved (asyncio debug mode's warnings, made errors).
 */
import { allTasks, isCancelledError, type Task } from "@taskio/core";
import { afterEach, beforeEach, expect } from "vitest";
import { installVirtualClock, type VirtualClock } from "./clock.js";
import { settle, taskioRuntime } from "./runtime.js";

const FUTURE = Symbol.for("taskio.Future");
const isFuture = (value: unknown) =>
  typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FUTURE] === true;

expect.addEqualityTesters([(a: unknown, b: unknown) => (isFuture(a) || isFuture(b) ? a === b : undefined)]);

let clock: VirtualClock | undefined;
let before = new Set<Task<unknown>>();
let knownFailures = new Set<WeakRef<any>>();

beforeEach(() => {
  clock = installVirtualClock();
  before = allTasks();
  knownFailures = new Set(taskioRuntime().unretrieved);
});

afterEach(async () => {
  // Stop time first: letting it run on would complete the very tasks the test forgot.
  if (clock) clock.autoAdvance = false;
  const problems: string[] = [];
  const leaked = [...allTasks()].filter((task) => !before.has(task));
  if (leaked.length) {
    await settle();
    const stillPending = leaked.filter((task) => !task.done());
    if (stillPending.length) {
      problems.push(
        `the test left ${stillPending.length} task(s) pending: ${stillPending.map((t) => t.toString()).join(", ")}`,
      );
      for (const task of stillPending) task.cancel("leak check: the test ended");
      await settle();
    }
  }
  for (const ref of taskioRuntime().unretrieved) {
    const task = ref.deref() as Task<unknown> | undefined;
    if (knownFailures.has(ref) || task === undefined) continue;
    const error = task.exception();
    if (isCancelledError(error)) continue;
    problems.push(
      `Task exception was never retrieved: ${task.toString()}: ${String((error as Error)?.stack ?? error)}`,
    );
  }
  clock?.uninstall();
  if (problems.length) throw new Error(`taskio leak check failed:\n${problems.join("\n")}`);
});
