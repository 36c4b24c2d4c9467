import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type InProcessLibrary, inProcessLibrary } from "../src/in-process.js";
import { liveTimeline } from "../src/live.js";
import { concurrency, countsHolds } from "../src/render-timeline.js";
import type { Scenario } from "../src/scenario.js";
import { scenarios } from "../src/scenarios/index.js";
import type { TimelineModel } from "../src/timeline.js";
import { runScenario } from "../src/tour.js";

// Every scenario at the tour's own latencies on the virtual clock, with its timeline recorded as
// `--html` records it: the timeline must tell the scenario's story.
let library: InProcessLibrary;
beforeEach(() => {
  library = inProcessLibrary();
  vi.stubGlobal("fetch", library.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const byName = new Map(scenarios.map((scenario) => [scenario.name, scenario]));

async function timelineOf(name: string): Promise<TimelineModel> {
  const scenario = byName.get(name) as Scenario;
  const picture = liveTimeline(scenario, { draw: false });
  const result = await runScenario(scenario, library, { slack: 0, trace: () => picture.trace });
  expect(result.passed).toBe(true);
  return picture.finish();
}

const names = (timeline: TimelineModel) => timeline.rows.map((row) => row.name);

describe("the timeline of every scenario", () => {
  it.each(scenarios.map((scenario) => [scenario.name]))(
    "%s: every task appears, under a readable label, and the page has its story and code",
    async (name) => {
      const timeline = await timelineOf(name);
      expect(timeline.rows.length).toBeGreaterThan(0);
      for (const row of timeline.rows) {
        expect(row.name).not.toMatch(/^Task-\d+$/);
        expect(row.end).toBeDefined();
      }
      const scenario = byName.get(name) as Scenario;
      expect(scenario.story?.length).toBeGreaterThan(80);
      expect(scenario.code).toBeTruthy();
    },
  );

  it("concurrent: the sequential phase is a staircase of awaited steps, then three tasks side by side", async () => {
    const timeline = await timelineOf("concurrent");
    const steps = timeline.rows.filter((row) => row.step);
    expect(steps.map((row) => [row.name, row.start, row.end])).toEqual([
      ["await main catalog", 0, 500],
      ["await reserves", 500, 800],
      ["await inter-library loan", 800, 1_500],
    ]);
    const tasks = timeline.rows.filter((row) => !row.step);
    expect(tasks.map((row) => [row.name, row.start, row.end])).toEqual([
      ["lookup main catalog", 1_500, 2_000],
      ["lookup reserves", 1_500, 1_800],
      ["lookup inter-library loan", 1_500, 2_200],
    ]);
  });

  it("timeout: each cut-off lookup is a row that ends at the deadline, the fast one a row of its own", async () => {
    const timeline = await timelineOf("timeout");
    expect(names(timeline)).toEqual([
      "union catalog (waitFor)",
      "local catalog (waitFor)",
      "union catalog (timeout scope)",
    ]);
    const [waitFor, , scope] = timeline.rows;
    expect(waitFor?.end).toBe(500);
    expect((scope?.end ?? 0) - (scope?.start ?? 0)).toBe(500);
  });

  it("semaphore: the tasks waiting for a permit show as waiting, and the in-flight row stays at the limit", async () => {
    const timeline = await timelineOf("semaphore");
    expect(timeline.rows).toHaveLength(12);
    // All twelve queue for a permit from the start: the first three get one at once, the other
    // nine wait 150, 300 or 450 ms.
    expect(timeline.rows.map((row) => row.waits)).toEqual(
      [0, 0, 0, 150, 150, 150, 300, 300, 300, 450, 450, 450].map((end) => [{ on: "a permit", start: 0, end }]),
    );
    expect(countsHolds(timeline.rows)).toBe(true);
    const levels = concurrency(timeline.rows, timeline.elapsed, 60, timeline.elapsed);
    expect(Math.max(...levels)).toBe(3);
    expect(levels.every((level) => level === 3)).toBe(true);
  });

  it("queue: the desk waits for room on the full cart, the shelvers for a book", async () => {
    const timeline = await timelineOf("queue");
    const desk = timeline.rows.find((row) => row.name === "returns desk");
    expect(desk?.waits?.length).toBeGreaterThan(0);
    expect(desk?.waits?.every((wait) => wait.on === "room on the cart")).toBe(true);
    // Ten books, three shelvers: in the last round two of them have nothing left to take.
    const idle = timeline.rows.filter(
      (row) => row.name.startsWith("shelver ") && row.waits?.some((wait) => wait.on === "a book on the cart"),
    );
    expect(idle).toHaveLength(2);
  });

  it("shield: two rows for each attempt, told apart, and the shielded save is marked", async () => {
    const timeline = await timelineOf("shield");
    expect(names(timeline)).toEqual(["save", "request", "save (shielded)", "request (shield)"]);
    expect(timeline.rows.find((row) => row.name === "save (shielded)")).toMatchObject({
      state: "done",
      note: "shielded",
    });
    expect(timeline.rows.find((row) => row.name === "save")?.state).toBe("cancelled");
  });
});
