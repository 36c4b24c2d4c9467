import type { TimelineModel, TimelineRow } from "./timeline.js";
import type { ScenarioResult } from "./tour.js";

/** One scenario for the page: its result and the timeline of its tasks. */
export interface HtmlEntry {
  result: ScenarioResult;
  timeline: TimelineModel;
}

const COLORS: Record<TimelineRow["state"], string> = {
  running: "#0891b2",
  done: "#16a34a",
  failed: "#dc2626",
  cancelled: "#ca8a04",
};

/**
 * The tour's timelines as one self-contained HTML page (inline CSS, no script, nothing fetched):
 * per scenario, one bar per task on a shared time axis, coloured by how it ended, with its checks.
 * @example
 * await writeFile("tour.html", renderHtml(entries));
 */
export function renderHtml(entries: readonly HtmlEntry[], title = "taskio tour"): string {
  const sections = entries.map(({ result, timeline }) => {
    const span = Math.max(timeline.elapsed, 1);
    const pct = (ms: number) => `${((100 * Math.min(ms, span)) / span).toFixed(2)}%`;
    const rows = timeline.rows
      .map((row) => {
        const end = row.end ?? timeline.elapsed;
        const label = `${row.name}: ${row.state}, ${Math.round(row.start)}–${Math.round(end)} ms`;
        return `<div class="row"><span class="name">${escapeHtml(row.name)}</span><span class="lane"><span class="bar ${row.state}" style="left:${pct(row.start)};width:${pct(Math.max(end - row.start, span / 200))}" title="${escapeHtml(label)}"></span></span><span class="state">${row.state} ${Math.round(end - row.start)} ms</span></div>`;
      })
      .join("\n");
    const limit = timeline.limit === undefined ? "" : `<p class="limit">limit ${timeline.limit} tasks at a time</p>`;
    const checks = result.checks
      .map(
        (check) =>
          `<li class="${check.passed ? "ok" : "ko"}">${check.passed ? "✓" : "✗"} ${escapeHtml(check.name)}${check.details ? ` <small>— ${escapeHtml(check.details)}</small>` : ""}</li>`,
      )
      .join("\n");
    return `<section><h2>${result.passed ? "✓" : "✗"} ${escapeHtml(result.name)} <small>${escapeHtml(result.title)} · ${Math.round(result.durationMs)} ms</small></h2>
${limit}${rows || '<p class="none">no named tasks</p>'}
<ul>${checks}</ul></section>`;
  });
  const legend = Object.entries(COLORS)
    .map(([state, color]) => `<span><i style="background:${color}"></i>${state}</span>`)
    .join(" ");
  const bars = Object.entries(COLORS)
    .map(([state, color]) => `.bar.${state}{background:${color}}`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#111}h2 small,li small{color:#666;font-weight:normal}
.row{display:flex;align-items:center;gap:.5em;margin:2px 0}.name{width:14em;text-align:right;font-family:monospace}
.lane{position:relative;flex:1;height:14px;background:#f3f4f6}.bar{position:absolute;top:0;bottom:0;border-radius:2px}
.state{width:9em;font-size:12px;color:#444}.legend i{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
ul{list-style:none;padding-left:1em}.ok{color:#166534}.ko{color:#b91c1c}.limit{color:#0e7490}${bars}
</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="legend">${legend}</p>
${sections.join("\n")}
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
