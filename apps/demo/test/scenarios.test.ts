import { currentClock } from "@taskio/testkit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { warmUp } from "../src/client.js";
import { scenarios } from "../src/scenarios/index.js";
import { type LibraryServer, startLibraryServer } from "../src/server.js";
import { runScenario } from "../src/tour.js";

// A 500 ms lookup takes 100 ms here. Smaller is flaky: on a busy machine (a parallel test run) the
// event loop can stall for 50 ms and more, and some checks need a latency to outlast such a stall
// (a save still running when its request is cancelled, a fast lookup beating a deadline).
const SCALE = 0.2;
// Timing checks tolerate this much scheduling noise (the tour: 100 ms on an idle machine).
const SLACK = 250;

let server: LibraryServer;
beforeAll(async () => {
  server = await startLibraryServer();
  await warmUp(server.url("/warm-up", { latency: 5 }));
});
afterAll(() => server.close());

test.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
  "scenario %s passes its own checks",
  async (_, scenario) => {
    // Real HTTP is the point here: taskio's virtual clock would jump while a request is on the
    // wire, so these run on the real clock, at a small scale.
    currentClock()?.uninstall();
    const result = await runScenario(scenario, server, { scale: SCALE, slack: SLACK });
    expect(result.error).toBeUndefined();
    expect(result.checks.filter((check) => !check.passed)).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(2);
    expect(result.output.length).toBeGreaterThan(0);
    expect(result.passed).toBe(true);
    expect(server.stats().inFlight).toBe(0);
  },
);

test("scenario names are unique and typeable", () => {
  const names = scenarios.map((scenario) => scenario.name);
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) expect(name).toMatch(/^[a-z][a-z-]*$/);
});
