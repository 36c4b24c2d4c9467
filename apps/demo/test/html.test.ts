import { expect, test } from "vitest";
import { renderHtml, ticks } from "../src/html.js";
import type { ScenarioResult } from "../src/tour.js";

const result: ScenarioResult = {
  name: "semaphore",
  title: "rate-limited <fetching>",
  passed: true,
  durationMs: 400,
  checks: [{ name: "peak 2", passed: true, details: "2 ≤ 2" }],
  output: [],
};

test("one bar per task, placed on the scenario's time axis and coloured by how it ended", () => {
  const page = renderHtml([
    {
      result,
      timeline: {
        title: "semaphore",
        elapsed: 400,
        limit: 2,
        rows: [
          { name: "a & b", start: 0, end: 100, state: "done" },
          { name: "c", start: 100, end: 400, state: "cancelled" },
        ],
      },
    },
  ]);
  expect(page).toContain('class="bar done" style="left:0.00%;width:25.00%"');
  expect(page).toContain('class="bar cancelled" style="left:25.00%;width:75.00%"');
  expect(page).toContain("a &#38; b");
  expect(page).toContain("rate-limited &#60;fetching&#62;");
  expect(page).toContain("limit 2, peak 1");
  expect(page).toContain("✓ peak 2");
});

test("the page is self-contained: no script, nothing loaded from elsewhere", () => {
  const page = renderHtml([{ result, timeline: { title: "semaphore", elapsed: 0, rows: [] } }]);
  expect(page).toMatch(/^<!doctype html>/);
  expect(page).not.toMatch(/<script|<link|src=|url\(/);
  expect(page).toContain("no tasks");
});

test("a wait is a hatched stretch of its row that names what it waited for; a shielded task is tagged", () => {
  const page = renderHtml([
    {
      result,
      timeline: {
        title: "semaphore",
        elapsed: 400,
        limit: 1,
        rows: [
          {
            name: "thumbnail 1",
            start: 0,
            end: 400,
            state: "done",
            waits: [{ on: "a permit", start: 0, end: 200 }],
            holds: [{ start: 200, end: 400 }],
          },
          { name: "save", start: 0, end: 400, state: "done", note: "shielded" },
        ],
      },
    },
  ]);
  expect(page).toContain(
    '<span class="wait" style="left:0.00%;width:50.00%" title="waiting for a permit">a permit</span>',
  );
  expect(page).toContain("done 400 ms · waited 200 ms");
  expect(page).toContain('<span class="tag">shielded</span>');
});

test("each scenario shows its story, its code, a time axis with round ticks, and its in-flight row against the limit", () => {
  const page = renderHtml([
    {
      result,
      story: "Twelve thumbnails, three at a time.",
      code: "await sem.run(fetch)",
      timeline: {
        title: "semaphore",
        elapsed: 600,
        limit: 3,
        rows: [0, 1, 2, 3].map((i) => ({ name: `t${i}`, start: 0, end: 600, state: "done" as const })),
      },
    },
  ]);
  expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  expect(page).toContain('<p class="story">Twelve thumbnails, three at a time.</p>');
  expect(page).toContain("<pre><code>await sem.run(fetch)</code></pre>");
  expect(ticks(600)).toEqual([0, 100, 200, 300, 400, 500, 600]);
  expect(ticks(2_300)).toEqual([0, 500, 1_000, 1_500, 2_000]);
  for (const ms of [100, 300, 600]) expect(page).toContain(`>${ms} ms</span>`);
  // Four at work against a limit of three: the row says so, in red.
  expect(page).toContain("limit 3, peak 4 — over the limit!");
  expect(page).toContain('class="level over"');
  // Labels never wrap: they are cut with an ellipsis (the full text is in the row's tooltip).
  expect(page).toMatch(/\.name\{[^}]*white-space:nowrap[^}]*text-overflow:ellipsis/);
});
