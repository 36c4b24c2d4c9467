import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { warmUp } from "./client.js";
import { type HtmlEntry, renderHtml } from "./html.js";
import { type LiveTimeline, liveTimeline, MIN_COLUMNS } from "./live.js";
import { listing, painter, scenarioHeading, scenarioVerdict, summary } from "./report.js";
import { type Scenario, stopwatch } from "./scenario.js";
import { scenarios as tour } from "./scenarios/index.js";
import { startLibraryServer } from "./server.js";
import { runTour, type ScenarioResult } from "./tour.js";
import { wrapText } from "./wrap.js";

/** Where the CLI writes, and how fast it runs (the tests pass a small `scale`). */
export interface CliOptions {
  stdout?(text: string): void;
  stderr?(text: string): void;
  /** Colour the text output (default: stdout is a terminal and NO_COLOR is unset). */
  color?: boolean;
  /**
   * Draw a live timeline of each scenario's tasks (default: writing to process.stdout, a terminal
   * of at least 80 columns; never with --json).
   * The lines then go straight to process.stdout, where the picture is drawn.
   */
  live?: boolean;
  /** Multiplies every latency and delay of the scenarios (default 1). */
  scale?: number;
  /** Milliseconds of scheduling noise the timing checks tolerate (default 100). */
  slack?: number;
  /** The scenarios to choose from (default: the tour's). */
  scenarios?: readonly Scenario[];
  /** Text lines are wrapped at spaces to fit (default: the terminal's width, 80 when not a terminal). */
  columns?: number;
  /**
   * Where a relative `--html` path points from (default: the directory `pnpm demo` was typed in,
   * which pnpm passes as INIT_CWD, else the process's own).
   */
  cwd?: string;
}

/** Exit codes: every check passed, a check failed, the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const usage = `Usage: pnpm demo [-- [options] [scenario ...]]

The taskio tour: asyncio's patterns, live, against a library service on 127.0.0.1.
With no scenario it runs them all; each checks its own outcome.

Options:
  -l, --list       list the scenarios
      --json       print the results as one JSON document (output included)
      --html FILE  also write every scenario's task timeline to FILE, one
                   self-contained page, and print its full path
  -h, --help       show this help

Exit status: 0 when every check passed, 1 when one failed, 2 on a usage error.`;

/**
 * The demo's command line: parses `argv` (without node and the script), runs the chosen scenarios
 * and returns the exit status.
 */
export async function main(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const columns =
    options.columns ?? (process.stdout.isTTY === true ? Math.max(40, process.stdout.columns) : MIN_COLUMNS);
  const write = options.stdout ?? ((text: string) => process.stdout.write(`${text}\n`));
  const complain = options.stderr ?? ((text: string) => process.stderr.write(`${text}\n`));
  const stdout = (text: string) => write(wrapText(text, columns));
  const stderr = (text: string) => complain(wrapText(text, columns));
  const scenarios = options.scenarios ?? tour;
  const color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  const paint = painter(color);

  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    stderr(`${(error as Error).message}\n\n${usage}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout(usage);
    return EXIT.ok;
  }
  if (values.list) {
    if (values.json)
      write(JSON.stringify({ scenarios: scenarios.map(({ name, title }) => ({ name, title })) }, null, 2));
    else stdout(listing(scenarios).join("\n"));
    return EXIT.ok;
  }
  const unknown = positionals.filter((name) => !scenarios.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    stderr(
      `Unknown scenario${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}\n\n${listing(scenarios).join("\n")}`,
    );
    return EXIT.usage;
  }
  const selected = positionals.length === 0 ? scenarios : scenarios.filter((s) => positionals.includes(s.name));

  const live =
    !values.json &&
    (options.live ??
      (options.stdout === undefined && process.stdout.isTTY === true && process.stdout.columns >= MIN_COLUMNS));
  let picture: LiveTimeline | undefined;
  const pages: HtmlEntry[] = [];
  const server = await startLibraryServer();
  try {
    await warmUp(server.url("/warm-up", { latency: 5 }));
    const elapsed = stopwatch();
    if (!values.json) {
      stdout(paint.bold(`taskio tour — ${selected.length} asyncio pattern${selected.length > 1 ? "s" : ""}, live`));
      stdout(paint.dim(`a library service is listening on ${server.origin} (loopback only)`));
    }
    // A timeline is recorded when it is drawn live or written to --html.
    let watched: Scenario | undefined;
    const watch = (scenario: Scenario) => {
      watched = scenario;
      if (live || values.html !== undefined)
        picture = liveTimeline(scenario, { scale: options.scale, color, draw: live });
    };
    const unwatch = (result: ScenarioResult) => {
      const timeline = picture?.finish();
      picture = undefined;
      if (timeline) pages.push({ result, timeline, story: watched?.story, code: watched?.code });
    };
    const results = await runTour(
      selected,
      server,
      values.json
        ? { scale: options.scale, slack: options.slack, onStart: watch, onResult: unwatch, trace: () => picture?.trace }
        : {
            scale: options.scale,
            slack: options.slack,
            trace: () => picture?.trace,
            onStart: (scenario, index) => {
              stdout(scenarioHeading(scenario, index, selected.length, paint));
              watch(scenario);
            },
            onLine: (line) => (live && picture ? picture.line(wrapText(`  ${line}`, columns)) : stdout(`  ${line}`)),
            onResult: (result) => {
              unwatch(result);
              stdout(scenarioVerdict(result, paint).join("\n"));
            },
          },
    );
    let passed = results.every((result) => result.passed);
    let html: string | undefined;
    if (values.html !== undefined) {
      const file = path.resolve(options.cwd ?? process.env.INIT_CWD ?? process.cwd(), values.html);
      try {
        await writeFile(file, renderHtml(pages));
        html = file;
        if (!values.json) stdout(paint.dim(`the timelines are in ${file}`));
      } catch (error) {
        stderr(`--html: cannot write ${file}: ${(error as Error).message}`);
        passed = false;
      }
    }
    const durationMs = Math.round(elapsed());
    if (values.json)
      write(
        JSON.stringify(
          { passed, durationMs, server: server.origin, ...(html === undefined ? {} : { html }), scenarios: results },
          null,
          2,
        ),
      );
    else {
      stdout(summary(results, durationMs, paint).join("\n"));
      if (selected.length > 1)
        stdout(paint.dim("one scenario: pnpm demo -- <name>   all names: --list   for machines: --json"));
    }
    return passed ? EXIT.ok : EXIT.failed;
  } finally {
    picture?.finish();
    await server.close();
  }
}

function parse(argv: readonly string[]) {
  // `pnpm demo -- --list` may hand the script a leading "--": it is not the end of the options here.
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      list: { type: "boolean", short: "l" },
      json: { type: "boolean" },
      html: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
