import { currentClock } from "@taskio/testkit";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { type InProcessLibrary, inProcessLibrary } from "../src/in-process.js";
import { scenarios } from "../src/scenarios/index.js";
import { runScenario } from "../src/tour.js";

// Every scenario at the tour's own latencies, on the testkit's virtual clock: instant, and exact.
// The library service runs in process (its latencies are taskio sleeps, its fetch hands bodies
// over by promises), so nothing is ever on a socket while the clock jumps to the next timer.
let library: InProcessLibrary;
beforeEach(() => {
  library = inProcessLibrary();
  vi.stubGlobal("fetch", library.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

test.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
  "scenario %s passes its own checks on the virtual clock, with no slack",
  async (_, scenario) => {
    const start = currentClock()?.now() ?? Number.NaN;
    const result = await runScenario(scenario, library, { slack: 0 });
    expect(result.error).toBeUndefined();
    expect(result.checks.filter((check) => !check.passed)).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(2);
    expect(result.output.length).toBeGreaterThan(0);
    expect(result.passed).toBe(true);
    expect(library.stats().inFlight).toBe(0);
    // The virtual time the scenario took is the one it reports: the clock moved only through timers.
    expect(result.durationMs).toBe(Math.round((currentClock()?.now() ?? Number.NaN) - start));
  },
);

test("on the virtual clock the timings are the latencies themselves, to the millisecond", async () => {
  const byName = new Map(scenarios.map((scenario) => [scenario.name, scenario]));
  const concurrent = await runScenario(byName.get("concurrent")!, library, { slack: 0 });
  expect(concurrent.output.join("\n")).toMatch(/sequential .* 1,500 ms\n.*concurrent .* 700 ms/);
  const semaphore = await runScenario(byName.get("semaphore")!, library, { slack: 0 });
  expect(semaphore.durationMs).toBe(600);
  expect(semaphore.output).toContain("in flight as each request started: 1 2 3 3 3 3 3 3 3 3 3 3");
});

test("the in-process fetch fails with the signal's reason, as real fetch does, and counts the abort", async () => {
  const controller = new AbortController();
  const reason = new Error("stop");
  // The status comes at once (the server has the request); the body is what the abort cuts off.
  const response = await fetch(library.url("/slow", { latency: 10_000 }), { signal: controller.signal });
  controller.abort(reason);
  await expect(response.text()).rejects.toBe(reason);
  await expect(fetch(library.url("/late"), { signal: controller.signal })).rejects.toBe(reason);
  expect(library.stats()).toMatchObject({ started: 1, completed: 0, aborted: 1, inFlight: 0 });
  expect(library.stats().byPath["/slow"]).toEqual({ started: 1, completed: 0, aborted: 1 });
  await expect(fetch("http://elsewhere.test/")).rejects.toThrow(TypeError);
});

test("scenario names are unique and typeable", () => {
  const names = scenarios.map((scenario) => scenario.name);
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) expect(name).toMatch(/^[a-z][a-z-]*$/);
});
