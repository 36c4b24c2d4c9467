import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { currentClock } from "@taskio/testkit";
import { describe, expect, test } from "vitest";
import { EXIT, main } from "../src/main.js";
import type { Scenario } from "../src/scenario.js";
import { scenarios } from "../src/scenarios/index.js";

/** A test that starts processes (node, pnpm, tsx) gets minutes: the machine may be loaded. */
const CHILD_TIMEOUT = 120_000;

/** Runs the CLI in-process and captures what it writes. */
async function cli(
  argv: string[],
  options: { scenarios?: readonly Scenario[]; scale?: number; cwd?: string; columns?: number } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    color: false,
    scale: 0.2,
    slack: 250,
    ...options,
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const passing: Scenario = { name: "passing", title: "always passes", run: async () => [] };
const failing: Scenario = {
  name: "failing",
  title: "always fails",
  run: async ({ log }) => {
    log("about to fail");
    return [{ name: "the answer is 42", passed: false, details: "got 41" }];
  },
};

test("--list prints every scenario with its title", async () => {
  const { code, stdout } = await cli(["--list"]);
  expect(code).toBe(EXIT.ok);
  for (const scenario of scenarios) expect(stdout).toContain(`${scenario.name}  `);
  for (const scenario of scenarios) expect(stdout).toContain(scenario.title);
});

test("--list --json prints the names and titles as JSON", async () => {
  const { code, stdout } = await cli(["--list", "--json"]);
  expect(code).toBe(EXIT.ok);
  expect(JSON.parse(stdout)).toEqual({ scenarios: scenarios.map(({ name, title }) => ({ name, title })) });
});

test("--help and -h print the usage", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout } = await cli([flag]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^Usage: pnpm demo/);
    expect(stdout).toContain("--json");
  }
});

test("an unknown scenario is a usage error that lists the real ones", async () => {
  const { code, stdout, stderr } = await cli(["gather", "nope", "nada"]);
  expect(code).toBe(EXIT.usage);
  expect(stdout).toBe("");
  expect(stderr).toMatch(/^Unknown scenarios: nope, nada/);
  expect(stderr).toContain("as-completed");
});

test("an unknown option is a usage error", async () => {
  const { code, stderr } = await cli(["--fast"]);
  expect(code).toBe(EXIT.usage);
  expect(stderr).toContain("--fast");
  expect(stderr).toContain("Usage: pnpm demo");
});

test('a leading "--" (from `pnpm demo -- --list`) is not the end of the options', async () => {
  const { code, stdout } = await cli(["--", "--list"]);
  expect(code).toBe(EXIT.ok);
  expect(stdout).toContain("concurrent");
});

test("--json runs the chosen scenario and prints one JSON document", async () => {
  // A real HTTP scenario: see scenarios.test.ts for why it runs on the real clock. At full scale its
  // time limit (10 s) and latencies leave room for a loaded machine.
  currentClock()?.uninstall();
  const { code, stdout, stderr } = await cli(["--json", "gather"], { scale: 1 });
  expect(stderr).toBe("");
  expect(code).toBe(EXIT.ok);
  const report = JSON.parse(stdout);
  expect(report).toEqual({
    passed: true,
    durationMs: expect.any(Number),
    server: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    scenarios: [
      {
        name: "gather",
        title: "gather with returnExceptions",
        passed: true,
        durationMs: expect.any(Number),
        checks: expect.arrayContaining([{ name: "no task left running", passed: true, details: "none" }]),
        output: expect.arrayContaining([expect.stringContaining("returnExceptions")]),
      },
    ],
  });
  for (const check of report.scenarios[0].checks) {
    expect(Object.keys(check).sort()).toEqual(["details", "name", "passed"]);
    expect(check.passed).toBe(true);
  }
});

test("a failed check makes the exit status 1, and the text report says which", async () => {
  const { code, stdout } = await cli([], { scenarios: [passing, failing] });
  expect(code).toBe(EXIT.failed);
  expect(stdout).toContain("━━ 2/2  failing — always fails");
  expect(stdout).toContain("  about to fail");
  expect(stdout).toContain("✗ the answer is 42 — got 41");
  expect(stdout).toContain("FAILED");
  expect(stdout).toContain("1 of 2 scenarios passed");
});

test("--json reports a failure too, with exit status 1", async () => {
  const { code, stdout } = await cli(["--json", "failing"], { scenarios: [passing, failing] });
  expect(code).toBe(EXIT.failed);
  const report = JSON.parse(stdout);
  expect(report.passed).toBe(false);
  expect(report.scenarios.map((s: { name: string }) => s.name)).toEqual(["failing"]);
  expect(report.scenarios[0].output).toEqual(["about to fail"]);
});

test("--html writes the timelines to a self-contained page, relative to where the command was typed, and prints its full path", async () => {
  const dir = await mkdtemp(join(tmpdir(), "taskio-demo-"));
  try {
    const file = join(dir, "tour.html");
    const { code, stdout } = await cli(["--html", "tour.html"], { scenarios: [passing, failing], cwd: dir });
    expect(code).toBe(EXIT.failed);
    expect(stdout).toContain(`the timelines are in ${file}`);
    const page = await readFile(file, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("✓ passing");
    expect(page).toContain("✗ the answer is 42");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("--html to a place it cannot write fails the run with a clear message", async () => {
  const { code, stderr } = await cli(["--html", "/nonexistent-dir/tour.html"], { scenarios: [passing] });
  expect(code).toBe(EXIT.failed);
  expect(stderr).toMatch(/^--html: cannot write \/nonexistent-dir\/tour\.html: ENOENT/);
});

test("one unknown name among known ones: the list, exit 2, and nothing runs", async () => {
  const { code, stdout, stderr } = await cli(["semaphore", "nope"]);
  expect(code).toBe(EXIT.usage);
  expect(stdout).toBe("");
  expect(stderr).toMatch(/^Unknown scenario: nope\n\nScenarios/);
  for (const scenario of scenarios) expect(stderr).toContain(scenario.name);
});

test(
  "the real command sets the process exit status",
  async () => {
    const run = promisify(execFile);
    const cwd = fileURLToPath(new URL("..", import.meta.url));
    const list = await run(process.execPath, ["--import", "tsx", "src/cli.ts", "--list"], { cwd });
    expect(list.stdout).toContain("semaphore");
    const unknown = await run(process.execPath, ["--import", "tsx", "src/cli.ts", "nope"], { cwd }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(unknown).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining("Unknown scenario: nope") });
  },
  CHILD_TIMEOUT,
);

test("--json names the page --html wrote", async () => {
  const dir = await mkdtemp(join(tmpdir(), "taskio-demo-"));
  try {
    const { stdout } = await cli(["--json", "--html", "tour.html"], { scenarios: [passing], cwd: dir });
    expect(JSON.parse(stdout).html).toBe(join(dir, "tour.html"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the text fits the terminal's width, wrapped between words", async () => {
  const wordy: Scenario = {
    name: "wordy",
    title: "a scenario whose lines are long",
    run: async ({ log }) => {
      log("a story line that goes on and on, well past the edge of a narrow terminal window, to be wrapped");
      return [
        { name: "a check with a long name", passed: true, details: "and details long enough to pass 80 columns" },
      ];
    },
  };
  for (const columns of [80, 60]) {
    const { stdout } = await cli([], { scenarios: [wordy], columns });
    const lines = stdout.split("\n");
    expect(lines.filter((line) => [...line].length > columns)).toEqual([]);
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(stdout)).toEqual(
      expect.arrayContaining([
        ...words("a story line that goes on and on, well past the edge of a narrow terminal window, to be wrapped"),
      ]),
    );
    expect(stdout).toContain("\n    ");
  }
});

/** Runs a command to its end, with a generous deadline (a loaded machine), and keeps its output apart. */
function spawned(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return promisify(execFile)(file, args, { ...options, timeout: 120_000 }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

const demoDir = fileURLToPath(new URL("..", import.meta.url));
const pnpm = process.env.npm_execpath || "pnpm";

describe("through pnpm (pnpm demo inside apps/demo)", () => {
  test(
    "--json is the only thing on stdout: pnpm's own lines go to stderr",
    async () => {
      // A real HTTP scenario: see scenarios.test.ts for why it runs on the real clock.
      currentClock()?.uninstall();
      const { code, stdout } = await spawned(pnpm, ["demo", "--", "--json", "gather"], { cwd: demoDir });
      expect(code).toBe(EXIT.ok);
      expect(JSON.parse(stdout)).toMatchObject({ passed: true, scenarios: [{ name: "gather", passed: true }] });
    },
    CHILD_TIMEOUT,
  );

  test(
    "an unknown scenario exits 2 through pnpm",
    async () => {
      const { code, stdout, stderr } = await spawned(pnpm, ["demo", "--", "nosuch"], { cwd: demoDir });
      expect(code).toBe(EXIT.usage);
      expect(stdout).toBe("");
      expect(stderr).toContain("Unknown scenario: nosuch");
    },
    CHILD_TIMEOUT,
  );

  test(
    "--html writes where the command was typed (pnpm's INIT_CWD), and says the full path",
    async () => {
      currentClock()?.uninstall();
      const dir = await mkdtemp(join(tmpdir(), "taskio-demo-"));
      try {
        const { code, stdout } = await spawned(pnpm, ["--dir", demoDir, "demo", "--", "--html", "out.html", "gather"], {
          cwd: dir,
        });
        expect(code).toBe(EXIT.ok);
        expect(stdout).toContain(`the timelines are in ${join(dir, "out.html")}`);
        expect(await readFile(join(dir, "out.html"), "utf8")).toMatch(/^<!doctype html>/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    CHILD_TIMEOUT,
  );
});
