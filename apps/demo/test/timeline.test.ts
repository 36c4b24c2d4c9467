import { stripVTControlCharacters } from "node:util";
import { outcome } from "@taskio/testkit";
import { createTask, currentTask, sleep } from "taskio";
import { expect, test } from "vitest";
import { liveTimeline } from "../src/live.js";
import { concurrency, renderTimeline } from "../src/render-timeline.js";
import { recordTasks, type TimelineModel } from "../src/timeline.js";

const model: TimelineModel = {
  title: "demo",
  elapsed: 400,
  rows: [
    { name: "fast", start: 0, end: 100, state: "done" },
    { name: "broken", start: 100, end: 200, state: "failed" },
    { name: "stopped", start: 0, end: 300, state: "cancelled" },
    { name: "slow", start: 200, state: "running" },
  ],
};

test("one row per task: a bar from its start to its end on a shared axis, and how it ended", () => {
  expect(renderTimeline(model, { width: 8 })).toEqual([
    "demo  400 ms  · 1 running",
    "  fast      │██      │ ✓ done 100 ms",
    "  broken    │  ██    │ ✗ failed 100 ms",
    "  stopped   │▒▒▒▒▒▒  │ ⊘ cancelled 300 ms",
    "  slow      │    ████│ ▶ running",
  ]);
});

test("a running bar grows with the elapsed time, and the axis shrinks to keep it in view", () => {
  const early = renderTimeline({ ...model, elapsed: 250 }, { width: 10 });
  const late = renderTimeline({ ...model, elapsed: 1_000 }, { width: 10 });
  expect(early.at(-1)).toBe("  slow      │        ██│ ▶ running");
  expect(late.at(-1)).toBe("  slow      │  ████████│ ▶ running");
  expect(late[1]).toBe("  fast      │█         │ ✓ done 100 ms");
});

test("a known length draws a progress bar in the heading", () => {
  expect(renderTimeline({ ...model, rows: [], expectedMs: 1_600 }, { width: 8 })).toEqual([
    "demo  400 ms  ████░░░░░░░░░░░░ 25% of ~1.6 s  · 0 running",
  ]);
});

test("a limit adds an in-flight row: how many ran in each column, against the limit", () => {
  const waves: TimelineModel = {
    title: "semaphore",
    elapsed: 400,
    limit: 2,
    rows: [0, 1, 2, 3].map((i) => ({
      name: `t${i}`,
      start: Math.floor(i / 2) * 200,
      end: Math.floor(i / 2) * 200 + 200,
      state: "done" as const,
    })),
  };
  expect(renderTimeline(waves, { width: 8 }).at(-1)).toBe("  in flight │████████│ limit 2, peak 2");
  const over = { ...waves, limit: 1 };
  expect(renderTimeline(over, { width: 8 }).at(-1)).toBe("  in flight │████████│ limit 1, peak 2 — over the limit!");
  expect(concurrency(waves.rows, 400, 4, 200)).toEqual([2, 2]);
  expect(concurrency([{ name: "a", start: 150, end: 160, state: "done" }], 400, 4, 400)).toEqual([0, 1, 0, 0]);
});

test("too many rows fold the earliest finished ones first, so the running ones stay in view", () => {
  const lines = renderTimeline(model, { width: 8, maxRows: 2 });
  expect(lines.slice(1)).toEqual([
    "  … 2 earlier │",
    "  stopped   │▒▒▒▒▒▒  │ ⊘ cancelled 300 ms",
    "  slow      │    ████│ ▶ running",
  ]);
});

test("colour changes the escapes only, never the text", () => {
  const plain = renderTimeline({ ...model, limit: 2, expectedMs: 800 }, { width: 12 });
  const colored = renderTimeline({ ...model, limit: 2, expectedMs: 800 }, { width: 12, color: true });
  expect(colored.join("\n")).not.toBe(plain.join("\n"));
  expect(colored.map((line) => stripVTControlCharacters(line))).toEqual(plain);
});

test("the recorder sees named tasks, from the moment they are named, and how each ended", async () => {
  const recorder = recordTasks("tour", { ignore: ["scenario"], limit: 1, expectedMs: 500 });
  const ok = createTask(() => sleep(100), { name: "ok" });
  const bad = createTask(
    async () => {
      await sleep(50);
      throw new RangeError("no such shelf");
    },
    { name: "bad" },
  );
  const stopped = createTask(() => sleep(1_000), { name: "stopped" });
  const own = createTask(() => sleep(10), { name: "scenario" });
  const late = createTask(async () => {
    await sleep(20);
    currentTask()?.setName("renamed"); // a Semaphore body naming itself once it holds a permit
    await sleep(30);
  });
  recorder.sample();
  await sleep(30);
  recorder.sample(); // "late" named itself at 20: it is seen from this look on
  await sleep(50);
  stopped.cancel();
  await Promise.all([outcome(ok), outcome(bad), outcome(stopped), own, late]);
  expect(recorder.model()).toEqual({
    title: "tour",
    elapsed: 100,
    limit: 1,
    expectedMs: 500,
    rows: [
      { name: "ok", start: 0, end: 100, state: "done" },
      { name: "bad", start: 0, end: 50, state: "failed" },
      { name: "stopped", start: 0, end: 80, state: "cancelled" },
      { name: "renamed", start: 30, end: 50, state: "done" },
    ],
  });
});

test("the live picture redraws in place below the printed lines, and stays when the scenario ends", async () => {
  let written = "";
  const write = (text: string) => {
    written += text;
    return true;
  };
  const stream = { columns: 100, write } as unknown as NodeJS.WriteStream;
  const picture = liveTimeline({ name: "demo", title: "a demo", limit: 2, run: async () => [] }, { stream });
  const task = createTask(() => sleep(100), { name: "lookup" });
  picture.line("  first line");
  picture.line("  second line");
  await task;
  const timeline = picture.finish();
  expect(timeline.rows).toEqual([{ name: "lookup", start: 0, end: 100, state: "done" }]);
  const screen = stripVTControlCharacters(written);
  expect(screen).toContain("  first line\n  demo  0 ms  · 1 running\n    lookup ");
  // The last frame stays: the task done, one of the two allowed in flight all along (a half bar).
  expect(screen.endsWith(`│ ✓ done 100 ms\n    in flight │${"▄".repeat(48)}│ limit 2, peak 1\n`)).toBe(true);
  // Before each new line and frame the last picture is erased: cursor up over its lines, clear below.
  expect(written).toContain("\x1b[3A");
  expect(written).toContain("\x1b[0J");
});
