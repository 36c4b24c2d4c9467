import { stripVTControlCharacters } from "node:util";
import { outcome } from "@taskio/testkit";
import { createTask, currentTask, sleep } from "taskio";
import { describe, expect, it, test } from "vitest";
import { cutToWidth, liveTimeline } from "../src/live.js";
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

test("a waiting stretch is drawn light (░) and the mark says what the task waits for", () => {
  const waiting: TimelineModel = {
    title: "semaphore",
    elapsed: 400,
    limit: 1,
    rows: [
      { name: "t0", start: 0, end: 200, state: "done", holds: [{ start: 0, end: 200 }] },
      {
        name: "t1",
        start: 0,
        end: 400,
        state: "done",
        waits: [{ on: "a permit", start: 0, end: 200 }],
        holds: [{ start: 200, end: 400 }],
      },
      { name: "t2", start: 0, state: "waiting", waits: [{ on: "a permit", start: 0 }] },
    ],
  };
  expect(renderTimeline(waiting, { width: 8 })).toEqual([
    "semaphore  400 ms  · 0 running, 1 waiting",
    "  t0        │████    │ ✓ done 200 ms",
    "  t1        │░░░░████│ ✓ done 400 ms · waited 200 ms",
    "  t2        │░░░░░░░░│ ⋯ waiting for a permit",
    "  in flight │████████│ limit 1, peak 1",
  ]);
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

describe("the recorder", () => {
  it("gives every new task a row from its creation: unnamed ones under a readable label until they name themselves", async () => {
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
    const helper = createTask(() => sleep(5));
    recorder.sample();
    expect(recorder.model().rows.map((row) => row.name)).toEqual([
      "ok",
      "bad",
      "stopped",
      "unnamed task 1",
      "unnamed task 2",
    ]);
    await sleep(30);
    recorder.sample(); // "late" named itself at 20: relabelled from this look on
    await sleep(50);
    stopped.cancel();
    await Promise.all([outcome(ok), outcome(bad), outcome(stopped), own, late, helper]);
    expect(recorder.model()).toEqual({
      title: "tour",
      elapsed: 100,
      limit: 1,
      expectedMs: 500,
      rows: [
        { name: "ok", start: 0, end: 100, state: "done" },
        { name: "bad", start: 0, end: 50, state: "failed" },
        { name: "stopped", start: 0, end: 80, state: "cancelled" },
        { name: "renamed", start: 0, end: 50, state: "done" },
        { name: "unnamed task 2", start: 0, end: 5, state: "done" },
      ],
    });
  });

  it("shows a task waiting, and for what, while it waits; then how long it waited", async () => {
    const recorder = recordTasks("queue");
    let roomFound = () => {};
    const desk = createTask(
      async () => {
        roomFound = recorder.waiting("room on the cart");
        await sleep(40);
        roomFound();
        await sleep(10);
      },
      { name: "desk" },
    );
    await sleep(20);
    expect(recorder.model().rows).toEqual([
      { name: "desk", start: 0, state: "waiting", waits: [{ on: "room on the cart", start: 0 }] },
    ]);
    await desk;
    expect(recorder.model().rows).toEqual([
      { name: "desk", start: 0, end: 50, state: "done", waits: [{ on: "room on the cart", start: 0, end: 40 }] },
    ]);
  });

  it("records a wait after the fact, a permit held, a step awaited inline, a note, and leaves out excluded tasks", async () => {
    const recorder = recordTasks("semaphore");
    const thumbnail = createTask(
      async () => {
        await sleep(30);
        recorder.waited("a permit"); // since the task was created
        const release = recorder.holding();
        await sleep(20);
        release();
      },
      { name: "thumbnail 0" },
    );
    const tours = createTask(() => sleep(5), { name: "time limit" });
    recorder.exclude(tours);
    recorder.note(thumbnail, "shielded");
    const answer = await recorder.step("await lookup", async () => {
      await sleep(60);
      return 42;
    });
    await tours;
    expect(answer).toBe(42);
    expect(recorder.model().rows).toEqual([
      {
        name: "thumbnail 0",
        start: 0,
        end: 50,
        state: "done",
        waits: [{ on: "a permit", start: 0, end: 30 }],
        holds: [{ start: 30, end: 50 }],
        note: "shielded",
      },
      { name: "await lookup", start: 0, end: 60, state: "done", step: true },
    ]);
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

test("a live line too long for the terminal is cut, not wrapped, and keeps its colours", () => {
  const cut = cutToWidth("  t2 │░░░░│ ⋯ waiting for a book on the cart", 30);
  expect(cut).toBe("  t2 │░░░░│ ⋯ waiting for a b…");
  expect([...cut]).toHaveLength(30);
  expect(cutToWidth("short", 30)).toBe("short");
  const colored = "\x1b[2mabcdef\x1b[22m ghi";
  expect(cutToWidth(colored, 5)).toBe("\x1b[2mabcd…\x1b[22m");
});
