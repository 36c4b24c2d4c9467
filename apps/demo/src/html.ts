import { activeAt, countsHolds } from "./render-timeline.js";
import type { TimelineModel, TimelineRow } from "./timeline.js";
import type { ScenarioResult } from "./tour.js";

/** One scenario for the page: its result, the timeline of its tasks, and what it is about. */
export interface HtmlEntry {
  result: ScenarioResult;
  timeline: TimelineModel;
  /** One paragraph: what happens and what to look for. */
  story?: string | undefined;
  /** The pattern's code. */
  code?: string | undefined;
}

const COLORS: Record<Exclude<TimelineRow["state"], "waiting">, string> = {
  running: "#0891b2",
  done: "#16a34a",
  failed: "#dc2626",
  cancelled: "#ca8a04",
};

/** Buckets of the in-flight row. */
const BUCKETS = 120;

/**
 * The tour's timelines as one self-contained HTML page (inline CSS, no script, nothing fetched):
 * per scenario, its story and code, then one row per task on a time axis with ticks — light and
 * hatched while it waited (for a permit, room in a queue…), coloured by how it ended — the number
 * in flight against the scenario's limit, and its checks.
 * @example
 * await writeFile("tour.html", renderHtml(entries));
 */
export function renderHtml(entries: readonly HtmlEntry[], title = "taskio tour"): string {
  const sections = entries.map(({ result, timeline, story, code }) => {
    const span = Math.max(timeline.elapsed, 1);
    const pct = (ms: number) => `${((100 * Math.min(Math.max(ms, 0), span)) / span).toFixed(2)}%`;
    const rows = timeline.rows.map((row) => rowHtml(row, timeline, span, pct)).join("\n");
    const axis = ticks(span)
      .map((ms) => `<span class="tick" style="left:${pct(ms)}">${escapeHtml(formatTick(ms, span))}</span>`)
      .join("");
    const checks = result.checks
      .map(
        (check) =>
          `<li class="${check.passed ? "ok" : "ko"}">${check.passed ? "✓" : "✗"} ${escapeHtml(check.name)}${check.details ? ` <small>— ${escapeHtml(check.details)}</small>` : ""}</li>`,
      )
      .join("\n");
    return `<section id="${escapeHtml(result.name)}"><h2>${result.passed ? "✓" : "✗"} ${escapeHtml(result.name)} <small>${escapeHtml(result.title)} · ${Math.round(result.durationMs)} ms</small></h2>
${story ? `<p class="story">${escapeHtml(story)}</p>\n` : ""}${code ? `<pre><code>${escapeHtml(code)}</code></pre>\n` : ""}<div class="timeline">
${rows || '<p class="none">no tasks</p>'}
${timeline.limit === undefined ? "" : inFlightHtml(timeline, span)}
<div class="row axis"><span class="name">time</span><span class="lane">${axis}</span><span class="state"></span></div>
</div>
<ul>${checks}</ul></section>`;
  });
  const legend = [
    `<span><i class="waiting"></i>waiting (for a permit, room, a lock…)</span>`,
    ...Object.keys(COLORS).map((state) => `<span><i class="${state}"></i>${state}</span>`),
    `<span><i class="step"></i>awaited inline (no task)</span>`,
  ].join(" ");
  const bars = Object.entries(COLORS)
    .map(([state, color]) => `.bar.${state},.legend i.${state}{background:${color}}`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;max-width:72em}h2 small,li small{color:#666;font-weight:normal}
.story{max-width:48em}pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;font-size:12px;border-radius:4px}
.timeline{margin:.8em 0}.row{display:flex;align-items:center;gap:.5em;margin:3px 0}
.name{flex:0 0 16em;text-align:right;font-family:monospace;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lane{position:relative;flex:1;min-width:10em;height:16px;background:#f3f4f6}
.bar{position:absolute;top:0;bottom:0;border-radius:2px}
.wait{position:absolute;top:1px;bottom:1px;font-size:10px;line-height:12px;color:#334155;padding-left:2px;white-space:nowrap;overflow:hidden}
.wait,.legend i.waiting{background:repeating-linear-gradient(135deg,#cbd5e1 0 3px,#f1f5f9 3px 6px);border:1px dashed #94a3b8;box-sizing:border-box}
.bar.step,.legend i.step{outline:2px dotted #334155;outline-offset:-2px}
.state{flex:0 0 17em;font-size:12px;color:#444;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tag{font-size:11px;padding:0 .4em;border-radius:3px;background:#ede9fe;color:#5b21b6;margin-left:.3em}
.axis .lane{background:none;border-top:1px solid #9ca3af;height:18px}.tick{position:absolute;top:0;font-size:11px;color:#555;transform:translateX(-50%);white-space:nowrap}.tick:first-child{transform:none}
.tick::before{content:"";position:absolute;left:50%;top:-1px;height:5px;border-left:1px solid #9ca3af}
.inflight .lane{background:#ecfeff}.level{position:absolute;bottom:0;background:#06b6d4}.level.over{background:#dc2626}
.limit{position:absolute;left:0;right:0;border-top:2px dashed #0e7490}
.legend i{display:inline-block;position:static;width:1.2em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
ul{list-style:none;padding-left:1em}.ok{color:#166534}.ko{color:#b91c1c}${bars}
@media (max-width:760px){body{margin:.8em}.name{flex-basis:8.5em;font-size:12px}.state{flex-basis:6.5em;font-size:11px}.tick:nth-child(even){display:none}}
</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="legend">${legend}</p>
${sections.join("\n")}
</body></html>
`;
}

function rowHtml(row: TimelineRow, timeline: TimelineModel, span: number, pct: (ms: number) => string): string {
  const end = row.end ?? timeline.elapsed;
  const shown = row.state === "waiting" ? "running" : row.state;
  const waits = row.waits ?? [];
  const waitedMs = waits.reduce((sum, wait) => sum + ((wait.end ?? end) - wait.start), 0);
  const on = [...new Set(waits.map((wait) => wait.on))].join(", ");
  const label = `${row.name}: ${row.state}, ${Math.round(row.start)}–${Math.round(end)} ms${waits.length > 0 ? `, waited ${Math.round(waitedMs)} ms for ${on}` : ""}`;
  const bar = `<span class="bar ${shown}${row.step ? " step" : ""}" style="left:${pct(row.start)};width:${pct(Math.max(end - row.start, span / 200))}"></span>`;
  const hatches = waits
    .map(
      (wait) =>
        `<span class="wait" style="left:${pct(wait.start)};width:${pct(Math.max((wait.end ?? end) - wait.start, span / 400))}" title="${escapeHtml(`waiting for ${wait.on}`)}">${escapeHtml(wait.on)}</span>`,
    )
    .join("");
  const state =
    row.state === "waiting"
      ? `waiting for ${escapeHtml(waits.at(-1)?.on ?? "")}`
      : `${row.state} ${Math.round(end - row.start)} ms${waitedMs >= 1 ? ` · waited ${Math.round(waitedMs)} ms` : ""}`;
  const tag = row.note ? `<span class="tag">${escapeHtml(row.note)}</span>` : "";
  return `<div class="row" title="${escapeHtml(label)}"><span class="name">${escapeHtml(row.name)}</span><span class="lane">${bar}${hatches}</span><span class="state">${state}${tag}</span></div>`;
}

/** How many tasks were at work (not waiting) in each slice of the axis, against the limit. */
function inFlightHtml(timeline: TimelineModel, span: number): string {
  const limit = timeline.limit ?? 0;
  const byHolds = countsHolds(timeline.rows);
  const levels = Array.from({ length: BUCKETS }, (_, i) => {
    const t = ((i + 0.5) / BUCKETS) * span;
    return timeline.rows.filter((row) => activeAt(row, t, timeline.elapsed, byHolds)).length;
  });
  const peak = Math.max(0, ...levels);
  const top = Math.max(limit, peak, 1);
  const bars = levels
    .map((n, i) =>
      n === 0
        ? ""
        : `<span class="level${n > limit ? " over" : ""}" style="left:${((100 * i) / BUCKETS).toFixed(2)}%;width:${(100 / BUCKETS).toFixed(2)}%;height:${((100 * n) / top).toFixed(1)}%"></span>`,
    )
    .join("");
  return `<div class="row inflight" title="tasks at work at each moment, against the limit"><span class="name">in flight</span><span class="lane">${bars}<span class="limit" style="bottom:${((100 * limit) / top).toFixed(1)}%"></span></span><span class="state">limit ${limit}, peak ${peak}${peak > limit ? " — over the limit!" : ""}</span></div>`;
}

/** Round tick positions (1, 2 or 5 × a power of ten apart), at most about eight of them, from 0. */
export function ticks(span: number): number[] {
  const raw = span / 8;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) out.push(Math.round(t * 1000) / 1000);
  return out;
}

function formatTick(ms: number, span: number): string {
  if (ms === 0) return "0";
  return span >= 2_000 ? `${(ms / 1_000).toFixed(1)} s` : `${ms} ms`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
