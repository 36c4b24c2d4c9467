import pc from "picocolors";
import { formatDuration } from "./report.js";
import type { RowState, TimelineModel, TimelineRow } from "./timeline.js";

/** How to draw the timeline. */
export interface RenderOptions {
  /** Columns of the time axis (default 40). */
  width?: number;
  /** Colour the bars and marks (default false). */
  color?: boolean;
  /** At most this many task rows; the earliest finished ones are folded into one line (default 14). */
  maxRows?: number;
}

const MARKS: Record<RowState, string> = {
  running: "▶ running",
  done: "✓ done",
  failed: "✗ failed",
  cancelled: "⊘ cancelled",
};
const LEVELS = " ▁▂▃▄▅▆▇█";

/**
 * Draws the timeline as lines of text: a heading (with a progress bar when the scenario's length is
 * known), one row per task — a bar from its start to its end on a shared time axis, and how it
 * ended — and, when the scenario has a concurrency limit, a row of how many tasks ran at each moment.
 * A pure function: the same model gives the same lines, so it is tested without a terminal.
 * @example
 * renderTimeline({ title: "demo", elapsed: 100, rows: [{ name: "a", start: 0, end: 100, state: "done" }] });
 */
export function renderTimeline(model: TimelineModel, options: RenderOptions = {}): string[] {
  const width = Math.max(8, options.width ?? 40);
  const maxRows = Math.max(1, options.maxRows ?? 14);
  const paint = pc.createColors(options.color ?? false);
  const span = Math.max(model.elapsed, model.expectedMs ?? 0, 1);
  const column = (ms: number) => Math.min(width, Math.max(0, Math.floor((ms / span) * width)));
  const label = Math.min(24, Math.max(9, ...model.rows.map((row) => row.name.length)));
  const lines: string[] = [];

  let heading = `${paint.bold(model.title)}  ${formatDuration(model.elapsed)}`;
  if (model.expectedMs !== undefined) {
    const done = Math.min(1, model.elapsed / model.expectedMs);
    const filled = Math.round(done * 16);
    heading += `  ${paint.cyan("█".repeat(filled))}${paint.dim("░".repeat(16 - filled))} ${Math.floor(done * 100)}% of ~${formatDuration(model.expectedMs)}`;
  }
  const running = model.rows.filter((row) => row.state === "running").length;
  heading += paint.dim(`  · ${running} running`);
  lines.push(heading);

  const hidden = Math.max(0, model.rows.length - maxRows);
  // Fold the earliest finished rows first, so the running ones stay in view.
  const folded = new Set(
    [
      ...model.rows.filter((row) => row.state !== "running"),
      ...model.rows.filter((row) => row.state === "running"),
    ].slice(0, hidden),
  );
  if (folded.size > 0) lines.push(paint.dim(`  ${`… ${folded.size} earlier`.padEnd(label)} │`));
  for (const row of model.rows) {
    if (folded.has(row)) continue;
    const from = column(row.start);
    const to = Math.max(from + 1, column(row.end ?? model.elapsed));
    const bar = paint[colorOf(row.state)]((row.state === "cancelled" ? "▒" : "█").repeat(Math.min(to, width) - from));
    const took = row.end === undefined ? "" : ` ${formatDuration(row.end - row.start)}`;
    const mark = paint[colorOf(row.state)](MARKS[row.state]);
    lines.push(
      `  ${clip(row.name, label)} │${" ".repeat(from)}${bar}${" ".repeat(Math.max(0, width - Math.min(to, width)))}│ ${mark}${paint.dim(took)}`,
    );
  }

  if (model.limit !== undefined) {
    const levels = concurrency(model.rows, span, width, model.elapsed);
    const peak = Math.max(0, ...levels);
    const top = Math.max(model.limit, peak, 1);
    const spark = levels
      .map((n) => LEVELS[Math.round((n / top) * (LEVELS.length - 1))])
      .join("")
      .padEnd(width);
    const over = peak > model.limit;
    lines.push(
      `  ${clip("in flight", label)} │${(over ? paint.red : paint.cyan)(spark)}│ ${paint.bold(`limit ${model.limit}`)}, peak ${peak}${over ? paint.red(" — over the limit!") : ""}`,
    );
  }
  return lines;
}

/** The most tasks running at once within each column of the time axis (up to `elapsed`). */
export function concurrency(rows: readonly TimelineRow[], span: number, width: number, elapsed: number): number[] {
  const levels: number[] = [];
  const last = Math.min(width, Math.ceil((elapsed / span) * width));
  for (let c = 0; c < last; c++) {
    const from = (c / width) * span;
    const to = ((c + 1) / width) * span;
    // The peak inside the column: at some task's start within it (or the column's own start).
    const moments = [from, ...rows.map((row) => row.start).filter((t) => t > from && t < to)];
    levels.push(
      Math.max(...moments.map((t) => rows.filter((row) => row.start <= t && (row.end ?? elapsed) > t).length)),
    );
  }
  return levels;
}

function colorOf(state: RowState): "cyan" | "green" | "red" | "yellow" {
  return state === "running" ? "cyan" : state === "done" ? "green" : state === "failed" ? "red" : "yellow";
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
