import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./fixtures/liveness.mjs", import.meta.url));

/**
 * Runs one endless hand-off chain in a child process. A starved event loop never lets its timer
 * fire, so the child is killed at a deadline generous for a loaded machine: a regression fails.
 */
function runChain(scenario: string, form: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, scenario, form], { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve(error ? `${stdout}${stderr}failed: ${error.killed ? "killed at the deadline" : error.message}` : stdout),
    );
  });
}

const bothForms = [
  "queue ping-pong",
  "semaphore ping-pong",
  "lock hand-over",
  "event ping-pong",
  "future ping-pong",
  "sleep(0) loop",
  "gather loop",
  "waitFor loop",
  "lifo queue ping-pong",
  "priority queue ping-pong",
  "task group loop",
  "awaited task loop",
  "timeout scope loop",
  "asCompleted loop",
  "wait loop",
  "race and any loop",
];
// Generator forms of these never suspend (a done Future is not a suspension point), so only
// async functions make a chain of hand-offs out of them.
const asyncOnly = ["unbounded queue", "free semaphore", "done future"];
// Awaits of operations that are done at once, in async-function tasks and in plain async code.
const doneAtOnce = [
  "shield of a done future",
  "free hold()",
  "free waitForUnlock()",
  "free rate limiter",
  "set event",
  "joined queue",
  "limit.map loop",
  "gather of functions",
  "waitFor of a promise",
  "ensureFuture of a promise",
];
// Plain async functions, outside any task: awaiting run() calls, and waits that are native promises there.
const plainOnly = [
  "free run() outside tasks",
  "contended run() outside tasks",
  "semaphore ping-pong outside tasks",
  "queue ping-pong",
  "cancelled acquire outside tasks",
  "lock hand-over",
  "event ping-pong outside tasks",
  "lifo queue ping-pong",
  "priority queue ping-pong",
];

const cases = [
  ...bothForms.flatMap((scenario) => [
    [scenario, "gen"],
    [scenario, "async"],
  ]),
  ...asyncOnly.map((scenario) => [scenario, "async"]),
  ...doneAtOnce.flatMap((scenario) => [
    [scenario, "async"],
    [scenario, "plain"],
  ]),
  ...plainOnly.map((scenario) => [scenario, "plain"]),
];

describe("no chain of taskio hand-offs keeps timers from running", () => {
  it.concurrent.each(cases)(
    "%s (%s): a timer fires and timeouts expire",
    async (scenario, form) => {
      expect(await runChain(scenario!, form!)).toMatch(/^fired\ntimed out\n(timed out\n)?$/);
    },
    60_000,
  );

  it.concurrent.each([
    ["queue ping-pong", "async"],
    ["queue ping-pong", "gen"],
  ])(
    "%s (%s tasks): a timeout() around the chain ends it",
    async (scenario, form) => {
      expect(await runChain(scenario, form)).toBe("fired\ntimed out\ntimed out\n");
    },
    60_000,
  );
});
