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
  waiting: "⋯ waiting",
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
  const waiting = model.rows.filter((row) => row.state === "waiting").length;
  heading += paint.dim(`  · ${running} running${waiting > 0 ? `, ${waiting} waiting` : ""}`);
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
    const to = Math.min(width, Math.max(from + 1, column(row.end ?? model.elapsed)));
    // Each column of the bar: waiting (░, dim) where the row waited through the column's middle.
    const bar = Array.from({ length: to - from }, (_, i) => {
      const middle = ((from + i + 0.5) / width) * span;
      if (waitingAt(row, middle, model.elapsed)) return paint.dim("░");
      return paint[colorOf(row.state)](row.state === "cancelled" ? "▒" : "█");
    }).join("");
    const took = row.end === undefined ? "" : ` ${formatDuration(row.end - row.start)}`;
    const open = row.waits?.find((wait) => wait.end === undefined);
    const mark = paint[colorOf(row.state)](open ? `${MARKS.waiting} for ${open.on}` : MARKS[row.state]);
    const waited = row.waits?.reduce((sum, wait) => sum + ((wait.end ?? model.elapsed) - wait.start), 0) ?? 0;
    const extra = [
      ...(row.state !== "waiting" && waited >= 1 ? [`waited ${formatDuration(waited)}`] : []),
      ...(row.note ? [row.note] : []),
    ];
    lines.push(
      `  ${clip(row.name, label)} │${" ".repeat(from)}${bar}${" ".repeat(width - to)}│ ${mark}${paint.dim(took)}${paint.dim(extra.map((text) => ` · ${text}`).join(""))}`,
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

/** Whether the row waited (for a permit, a queue slot…) at moment `t`. */
function waitingAt(row: TimelineRow, t: number, elapsed: number): boolean {
  return row.waits?.some((wait) => wait.start <= t && (wait.end ?? elapsed) > t) ?? false;
}

/**
 * Whether the row counts as in flight at moment `t`: while it holds what the scenario limits, when
 * the scenario says so (some row has `holds`); otherwise while it is at work (started, not waiting,
 * not yet ended).
 */
export function activeAt(row: TimelineRow, t: number, elapsed: number, byHolds = false): boolean {
  if (byHolds) return row.holds?.some((hold) => hold.start <= t && (hold.end ?? elapsed) > t) ?? false;
  return row.start <= t && (row.end ?? elapsed) > t && !waitingAt(row, t, elapsed);
}

/** Whether the in-flight count follows the rows' holds (the scenario reported them). */
export function countsHolds(rows: readonly TimelineRow[]): boolean {
  return rows.some((row) => row.holds !== undefined);
}

/** The most tasks at work at once (not waiting) within each column of the time axis (up to `elapsed`). */
export function concurrency(rows: readonly TimelineRow[], span: number, width: number, elapsed: number): number[] {
  const levels: number[] = [];
  const last = Math.min(width, Math.ceil((elapsed / span) * width));
  for (let c = 0; c < last; c++) {
    const from = (c / width) * span;
    const to = ((c + 1) / width) * span;
    // The peak inside the column: at some task's start within it (or the column's own start).
    const byHolds = countsHolds(rows);
    const starts = rows.flatMap((row) => [
      row.start,
      ...(row.waits ?? []).flatMap((wait) => wait.end ?? []),
      ...(row.holds ?? []).map((hold) => hold.start),
    ]);
    const moments = [from, ...starts.filter((t) => t > from && t < to)];
    levels.push(Math.max(...moments.map((t) => rows.filter((row) => activeAt(row, t, elapsed, byHolds)).length)));
  }
  return levels;
}

function colorOf(state: RowState): "cyan" | "green" | "red" | "yellow" | "dim" {
  return state === "waiting"
    ? "dim"
    : state === "running"
      ? "cyan"
      : state === "done"
        ? "green"
        : state === "failed"
          ? "red"
          : "yellow";
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
