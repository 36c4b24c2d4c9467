import { currentClock, expectCancelled } from "@taskio/testkit";
import { createTask, Future, sleep, type Task } from "taskio";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checklist, type Scenario } from "../src/scenario.js";
import { type LibraryServer, startLibraryServer } from "../src/server.js";
import { runScenario, runTour } from "../src/tour.js";

// These scenarios are made up and touch no network: they run on the testkit's virtual clock.
let server: LibraryServer;
beforeAll(async () => {
  server = await startLibraryServer();
});
afterAll(() => server.close());

const scenario = (name: string, run: Scenario["run"]): Scenario => ({ name, title: `the ${name} scenario`, run });

test("a scenario passes when every check passes, and its lines are kept", async () => {
  const lines: string[] = [];
  const result = await runScenario(
    scenario("fine", async ({ log }) => {
      const check = checklist();
      log("hello");
      await sleep(100);
      check("slept", true, "100 ms");
      return check.results;
    }),
    server,
    { onLine: (line) => lines.push(line) },
  );
  expect(result).toMatchObject({ name: "fine", title: "the fine scenario", passed: true, output: ["hello"] });
  expect(result.durationMs).toBe(100);
  expect(result.checks.map((check) => check.name)).toEqual(["slept", "no task left running"]);
  expect(lines).toEqual(["hello"]);
});

test("a failed check fails the scenario", async () => {
  const result = await runScenario(
    scenario("broken", async () => {
      const check = checklist();
      check("one", true);
      check("two", false, "expected 2, got 3");
      return check.results;
    }),
    server,
  );
  expect(result.passed).toBe(false);
  expect(result.checks[1]).toEqual({ name: "two", passed: false, details: "expected 2, got 3" });
});

test("a scenario that throws fails with the error", async () => {
  const result = await runScenario(
    scenario("throws", async () => {
      throw new RangeError("no such shelf");
    }),
    server,
  );
  expect(result.passed).toBe(false);
  expect(result.error).toMatch(/^RangeError: no such shelf/);
});

test("a scenario that leaves a task running fails, and the task is cancelled", async () => {
  let orphan: Task<unknown> | undefined;
  const result = await runScenario(
    scenario("leaky", async () => {
      orphan = createTask(() => sleep(60_000), { name: "orphan" });
      return [];
    }),
    server,
  );
  expect(result.passed).toBe(false);
  expect(result.checks.at(-1)).toMatchObject({ name: "no task left running", passed: false });
  expect(result.checks.at(-1)?.details).toContain("orphan");
  expect(orphan?.cancelled()).toBe(true);
});

test("a scenario that hangs is cancelled at its time limit and fails with TimeoutError", async () => {
  const clock = currentClock();
  let cleanedUp = false;
  const result = await runScenario(
    scenario("hangs", async () => {
      try {
        await new Future<never>();
      } finally {
        cleanedUp = true;
      }
      return [];
    }),
    server,
    { timeLimit: 5_000 },
  );
  expect(result.passed).toBe(false);
  expect(result.error).toMatch(/^TimeoutError/);
  expect(result.durationMs).toBe(5_000);
  expect(clock?.now()).toBe(5_000);
  expect(cleanedUp).toBe(true);
});

test("ms() scales the tour's latencies, keeping at least 1 ms", async () => {
  let seen: number[] = [];
  await runScenario(
    scenario("scaled", async ({ ms }) => {
      seen = [ms(500), ms(10), ms(0)];
      return [];
    }),
    server,
    { scale: 0.03 },
  );
  expect(seen).toEqual([15, 1, 0]);
});

test("cancelling the tour cancels the running scenario, whose cleanup runs, and what it left behind", async () => {
  const ran: string[] = [];
  let background: Task<unknown> | undefined;
  const tour = createTask(() =>
    runTour(
      [
        scenario("first", async () => {
          background = createTask(() => sleep(60_000), { name: "background" });
          try {
            await sleep(60_000);
          } finally {
            ran.push("first cleaned up");
          }
          return [];
        }),
        scenario("second", async () => {
          ran.push("second ran");
          return [];
        }),
      ],
      server,
    ),
  );
  await sleep(10);
  tour.cancel("Ctrl-C");
  expect((await expectCancelled(tour)).message).toBe("Ctrl-C");
  expect(ran).toEqual(["first cleaned up"]);
  expect(background?.cancelled()).toBe(true);
});

test("runTour runs the scenarios in order and reports each", async () => {
  const started: string[] = [];
  const results = await runTour(
    [scenario("a", async () => []), scenario("b", async () => [{ name: "x", passed: false, details: "" }])],
    server,
    { onStart: (s, i) => started.push(`${i}:${s.name}`) },
  );
  expect(started).toEqual(["0:a", "1:b"]);
  expect(results.map((result) => [result.name, result.passed])).toEqual([
    ["a", true],
    ["b", false],
  ]);
});

test("a CancelledError the scenario raises by itself is its failure, not an interruption", async () => {
  const result = await runScenario(
    scenario("self-cancelling", async () => {
      const child = createTask(() => sleep(1_000));
      child.cancel("oops");
      await child;
      return [];
    }),
    server,
  );
  expect(result.passed).toBe(false);
  expect(result.error).toMatch(/^CancelledError: oops/);
});
