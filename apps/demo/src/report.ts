import pc from "picocolors";
import type { Scenario } from "./scenario.js";
import type { ScenarioResult } from "./tour.js";

/** ANSI styles, applied only when the output is a terminal that wants colour. */
export interface Painter {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
}

/** A painter that colours (`on`) or leaves text as it is. */
export function painter(on: boolean): Painter {
  const { bold, dim, green, red } = pc.createColors(on);
  return { bold, dim, green, red };
}

/** `1512` → `"1.5 s"`, `80` → `"80 ms"`. */
export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

/** The heading printed before a scenario runs. */
export function scenarioHeading(scenario: Scenario, index: number, count: number, paint: Painter): string {
  return `\n${paint.bold(`━━ ${index + 1}/${count}  ${scenario.name}`)} — ${scenario.title}`;
}

/** The checks and verdict printed after a scenario ran. */
export function scenarioVerdict(result: ScenarioResult, paint: Painter): string[] {
  const lines = result.checks.map(
    (check) =>
      `  ${check.passed ? paint.green("✓") : paint.red("✗")} ${check.name}${check.details ? paint.dim(` — ${check.details}`) : ""}`,
  );
  if (result.error) lines.push(paint.red(`  ✗ threw: ${result.error.replaceAll("\n", "\n    ")}`));
  lines.push(
    result.passed
      ? paint.green(`  passed in ${formatDuration(result.durationMs)}`)
      : paint.red(`  FAILED after ${formatDuration(result.durationMs)}`),
  );
  return lines;
}

/** The summary table at the end of the tour. */
export function summary(results: readonly ScenarioResult[], durationMs: number, paint: Painter): string[] {
  const width = Math.max(...results.map((result) => result.name.length));
  const passed = results.filter((result) => result.passed).length;
  const lines = [`\n${paint.bold("━━ summary")}`];
  for (const result of results) {
    const mark = result.passed ? paint.green("✓") : paint.red("✗");
    lines.push(
      `  ${mark} ${result.name.padEnd(width)}  ${formatDuration(result.durationMs).padStart(7)}  ${paint.dim(result.title)}`,
    );
  }
  const verdict = `${passed} of ${results.length} scenarios passed in ${formatDuration(durationMs)}`;
  lines.push(passed === results.length ? paint.green(verdict) : paint.red(verdict));
  return lines;
}

/** `--list`: every scenario's name and title. */
export function listing(all: readonly Scenario[]): string[] {
  const width = Math.max(...all.map((scenario) => scenario.name.length));
  return [
    "Scenarios (run one with `pnpm demo -- <name>`):",
    ...all.map((scenario) => `  ${scenario.name.padEnd(width)}  ${scenario.title}`),
  ];
}
