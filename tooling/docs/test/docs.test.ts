import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browse } from "@taskio/testkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = join(import.meta.dirname, "..");
const typedoc = join(createRequire(import.meta.url).resolve("typedoc/package.json"), "..", "bin", "typedoc");

interface Run {
  code: number;
  output: string;
}

/** Runs a program to its end (or its deadline: the machine may be loaded) and keeps what it printed. */
function run(file: string, args: string[], deadlineMs = 600_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: here, timeout: deadlineMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** TypeDoc with the repository's settings (typedoc.json), plus `args`. */
const docs = (args: string[]) => run(process.execPath, [typedoc, ...args]);

/** Opens a page of the built reference in headless Chromium, after its script has shown it. */
function browseDocs(page: string, action: string[], profile: string): Promise<Run> {
  // TypeDoc shows the page once its script has run: let the page's clock run that far first.
  return browse(page, ["--virtual-time-budget=5000", ...action], { profile, width: 1280, height: 900 });
}

let scratch: string;
let site: string;
let built: Run;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "taskio-docs-"));
  site = join(scratch, "site");
  built = await docs(["--out", site]);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("pnpm docs builds the API reference from the sources' doc comments", () => {
  it("builds without a warning, one module page per published package", async () => {
    expect(built.output).not.toMatch(/\[warning\]|\[error\]/);
    expect(built.code).toBe(0);
    const pages = await readdir(join(site, "modules"));
    expect(pages.sort()).toEqual(
      ["combinators", "core", "queue", "redis", "semaphore", "timeouts"].map((name) => `_taskio_${name}.html`),
    );
  });

  it("renders in a headless browser: a package's page lists its exports, with their summaries", async () => {
    const page = await browseDocs(join(site, "modules", "_taskio_core.html"), ["--dump-dom"], join(scratch, "dom"));
    expect(page.code).toBe(0);
    expect(page.output).toContain("<title>@taskio/core | taskio</title>");
    expect(page.output).toMatch(/href="[^"]*createTask\.html"/);
    // The navigation tree is drawn by the page's script: it ran.
    expect(page.output).toMatch(/class="[^"]*tsd-navigation/);
  });

  it("renders a function's page to pixels: a screenshot of createTask", async () => {
    const shot = join(scratch, "createTask.png");
    const page = await browseDocs(
      join(site, "functions", "_taskio_core.createTask.html"),
      [`--screenshot=${shot}`],
      join(scratch, "shot"),
    );
    expect(page.code).toBe(0);
    // A blank page compresses to a few hundred bytes; a page of text does not.
    expect((await stat(shot)).size).toBeGreaterThan(20_000);
  });
});

describe("the reference cannot silently go wrong", () => {
  // Its own options file: the repository's settings, over a tsconfig that holds just the fixtures.
  const fixture = (name: string) => [
    "--options",
    join("test", "fixtures", "typedoc.json"),
    "--entryPoints",
    join("test", "fixtures", name),
  ];

  it("fails on an export without a doc comment, naming it", async () => {
    const result = await docs(fixture("undocumented.ts"));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/undocumented.*does not have any documentation/);
  });

  it("fails on a link to nothing, naming it", async () => {
    const result = await docs(fixture("broken-link.ts"));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Failed to resolve link to "nowhere"/);
  });
});
