import type { Family, Impl, Role } from "./scenario.js";
import { contextOf } from "./scenario.js";

/** One table row: one implementation in one scenario. */
export interface Row {
  family: string;
  scenario: string;
  op: string;
  impl: string;
  role: Role;
  context: string;
  /** Median over rounds of ops/s; null when not measured (see `note`). */
  opsPerSec: number | null;
  /** Half the range of the rounds' ops/s, relative to the median. */
  spread: number | null;
  samples: number[];
  /** The same median by the other clock (see Measurements.clock). */
  otherClockOpsPerSec: number | null;
  peakRssMiB: number | null;
  /** Median heap bytes per operation held while pending (memory scenarios only). */
  heapBytesPerOp: number | null;
  /** Cost ratio: time per op over the baseline's time per op (1 = as fast as the baseline). */
  xBaseline: number | null;
  /** For an async-context row: cost ratio to the baseline measured in an async-context process too. */
  xContextBaseline: number | null;
  /** Cost ratio to the fastest peer of the scenario (below 1 = ahead of every peer). */
  xBestPeer: number | null;
  bestPeer: string | null;
  targets: TargetResult[];
  note?: string;
}

export interface TargetResult {
  /** e.g. "≤3× baseline" or "ahead of peers". */
  label: string;
  pass: boolean;
  /** What was measured, e.g. "2.1×" or "0.6× effect …". */
  measured: string;
}

export interface Measurements {
  nodeMajor: number;
  /** The clock whose figures drive the table; the other one is kept in the JSON. */
  clock: "cpu" | "wall";
  /** ops/s per round by the CPU clock, per `${scenario}\u0000${impl}`. */
  cpu: Map<string, number[]>;
  /** ops/s per round by the wall clock. */
  wall: Map<string, number[]>;
  /** KiB per `${scenario}\u0000${impl}`. */
  rss: Map<string, number>;
  /** Heap bytes per operation per round, for scenarios that report them. */
  bytes: Map<string, number[]>;
  /** Implementations whose process turned AsyncLocalStorage on although it should be plain. */
  leaked: Set<string>;
}

export const key = (scenario: string, impl: string) => `${scenario}\u0000${impl}`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Turns the raw measurements into rows with ratios and target verdicts. */
export function buildRows(families: readonly Family[], m: Measurements): Row[] {
  const rows: Row[] = [];
  const samplesOf = m.clock === "cpu" ? m.cpu : m.wall;
  const otherOf = m.clock === "cpu" ? m.wall : m.cpu;
  for (const family of families) {
    for (const scenario of family.scenarios) {
      const ops = new Map<string, number>();
      for (const impl of scenario.impls) {
        const s = samplesOf.get(key(scenario.id, impl.name));
        if (s?.length) ops.set(impl.name, median(s));
      }
      if (ops.size === 0) continue;
      const baseline = scenario.impls.find((i) => i.role === "baseline");
      const baselineOps = baseline ? ops.get(baseline.name) : undefined;
      const contextBaseline = scenario.impls.find((i) => i.contextBaseline);
      const contextBaselineOps = contextBaseline ? ops.get(contextBaseline.name) : undefined;
      let bestPeer: string | null = null;
      let bestPeerOps = 0;
      for (const impl of scenario.impls) {
        const value = ops.get(impl.name);
        if (impl.role === "peer" && value !== undefined && value > bestPeerOps) {
          bestPeer = impl.name;
          bestPeerOps = value;
        }
      }
      for (const impl of scenario.impls) {
        const k = key(scenario.id, impl.name);
        const s = samplesOf.get(k) ?? [];
        const other = otherOf.get(k);
        const value = ops.get(impl.name);
        const rss = m.rss.get(k);
        const bytes = m.bytes.get(k);
        const row: Row = {
          family: family.name,
          scenario: scenario.id,
          op: scenario.op,
          impl: impl.name,
          role: impl.role,
          context: contextOf(impl),
          opsPerSec: value ?? null,
          spread: value ? (Math.max(...s) - Math.min(...s)) / 2 / value : null,
          samples: s,
          otherClockOpsPerSec: other?.length ? median(other) : null,
          peakRssMiB: rss === undefined ? null : rss / 1024,
          heapBytesPerOp: bytes?.length ? median(bytes) : null,
          xBaseline: value && baselineOps ? baselineOps / value : null,
          xContextBaseline:
            value && contextBaselineOps && contextOf(impl) === "async-context" ? contextBaselineOps / value : null,
          xBestPeer: value && bestPeer && impl.role !== "peer" ? bestPeerOps / value : null,
          bestPeer: impl.role !== "peer" ? bestPeer : null,
          targets: [],
        };
        if (impl.notComparable) row.note = impl.notComparable;
        else if (value === undefined) row.note = "not measured (see errors)";
        if (m.leaked.has(k)) row.note = "AsyncLocalStorage was on in this plain process: not a clean figure";
        if (value !== undefined && impl.target) {
          const inContext =
            row.xContextBaseline === null ? "" : `, ${row.xContextBaseline.toFixed(2)}× the ALS-on baseline`;
          const limit = impl.target.baseline?.(m.nodeMajor);
          if (limit !== undefined && row.xBaseline !== null) {
            row.targets.push({
              label: `≤${limit}× baseline`,
              pass: row.xBaseline <= limit,
              measured: `${row.xBaseline.toFixed(2)}×${inContext}`,
            });
          }
          const contextLimit = impl.target.contextBaseline?.(m.nodeMajor);
          if (contextLimit !== undefined && row.xContextBaseline !== null) {
            row.targets.push({
              label: `≤${contextLimit}× the ALS-on baseline`,
              pass: row.xContextBaseline <= contextLimit,
              measured: `${row.xContextBaseline.toFixed(2)}× (${row.xBaseline?.toFixed(2)}× the plain baseline)`,
            });
          }
          const relative = impl.target.relative;
          const otherOps = relative ? ops.get(relative.to) : undefined;
          if (relative && otherOps !== undefined) {
            const times = otherOps / value;
            row.targets.push({
              label: relative.label,
              pass: times <= relative.max,
              measured: `${times.toFixed(2)}× ${relative.to}`,
            });
          }
          const peers = impl.target.peers;
          if (peers === true && row.xBestPeer !== null) {
            row.targets.push({
              label: "ahead of every peer",
              pass: row.xBestPeer < 1,
              measured: `${row.xBestPeer.toFixed(2)}× ${bestPeer}`,
            });
          } else if (Array.isArray(peers)) {
            const named = scenario.impls.filter(
              (i) => i.role === "peer" && ops.has(i.name) && peers.some((p) => i.name.startsWith(p)),
            );
            const best = named.reduce<Impl | undefined>(
              (a, b) => (a === undefined || ops.get(b.name)! > ops.get(a.name)! ? b : a),
              undefined,
            );
            if (best !== undefined) {
              const times = ops.get(best.name)! / value;
              row.targets.push({
                label: `ahead of ${peers.join(" and ")}`,
                pass: times < 1,
                measured: `${times.toFixed(2)}× ${best.name}`,
              });
            }
          }
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

function formatOps(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

const ratio = (value: number | null) => (value === null ? "" : `${value.toFixed(2)}×`);

/** The table as text: one block per scenario, headed by what one operation is. */
export function formatTable(rows: readonly Row[]): string {
  const header = ["implementation", "ctx", "ops/s", "±", "peak RSS", "heap B/op", "× base", "× best peer", "targets"];
  const rightAligned = new Set([2, 3, 4, 5, 6, 7]);
  type Line = { heading: string } | { cells: string[] } | { name: string; span: string };
  const lines: Line[] = [];
  let current = "";
  for (const row of rows) {
    if (row.scenario !== current) {
      current = row.scenario;
      lines.push({ heading: `${row.scenario}: ${row.op}` });
    }
    const name = `${row.role === "taskio" ? "» " : "  "}${row.impl}`;
    if (row.opsPerSec === null) {
      lines.push({ name, span: row.note ?? "" });
      continue;
    }
    const inContext = row.xContextBaseline === null ? "" : ` (${row.xContextBaseline.toFixed(2)}× the ALS-on baseline)`;
    const targets = row.targets.map((t) => `${t.pass ? "PASS" : "FAIL"} ${t.label}`).join("; ") + inContext;
    lines.push({
      cells: [
        name,
        row.context === "plain" ? "" : "ALS",
        formatOps(row.opsPerSec),
        row.spread === null ? "" : `${(row.spread * 100).toFixed(1)}%`,
        row.peakRssMiB === null ? "" : `${row.peakRssMiB.toFixed(1)} MiB`,
        row.heapBytesPerOp === null ? "" : row.heapBytesPerOp.toFixed(0),
        row.role === "baseline" ? "1.00×" : ratio(row.xBaseline),
        ratio(row.xBestPeer),
        row.note ? `${targets} (${row.note})` : targets,
      ],
    });
  }
  const widths = header.map((h) => h.length);
  for (const line of lines) {
    if ("cells" in line) {
      for (const [c, cell] of line.cells.entries()) widths[c] = Math.max(widths[c]!, cell.length);
    } else if ("name" in line) widths[0] = Math.max(widths[0]!, line.name.length);
  }
  const pad = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const out = [pad(header)];
  for (const line of lines) {
    if ("heading" in line) out.push("", line.heading);
    else if ("cells" in line) out.push(pad(line.cells));
    else out.push(`${line.name.padEnd(widths[0]!)}  ${line.span}`);
  }
  return out.join("\n");
}

/** Every verdict, for the summary line. */
export function verdicts(rows: readonly Row[]): { row: Row; target: TargetResult }[] {
  return rows.flatMap((row) => row.targets.map((target) => ({ row, target })));
}
