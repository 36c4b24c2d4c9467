import { expect, test } from "vitest";
import { renderHtml } from "../src/html.js";
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
  expect(page).toContain("limit 2 tasks at a time");
  expect(page).toContain("✓ peak 2");
});

test("the page is self-contained: no script, nothing loaded from elsewhere", () => {
  const page = renderHtml([{ result, timeline: { title: "semaphore", elapsed: 0, rows: [] } }]);
  expect(page).toMatch(/^<!doctype html>/);
  expect(page).not.toMatch(/<script|<link|src=|url\(/);
  expect(page).toContain("no named tasks");
});
