import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The API docs cannot drift from the code: every runtime export of each package is named in the
 * API section of that package's README, and carries TSDoc in the published declarations.
 */
const require = createRequire(import.meta.url);
const packages = [
  "@taskio/core",
  "@taskio/combinators",
  "@taskio/timeouts",
  "@taskio/queue",
  "@taskio/semaphore",
  "@taskio/redis",
];

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/**
 * The identifiers written in code (`like this`) in the README's "## API" section, up to the next
 * section: a name counts only as a whole word there, not as part of another (`run` in `runAll`),
 * as a member of something else (`run` in `asyncio.run`, `now` in `Date.now()`) or as an English
 * word in prose (`any`, `wait`, `now`).
 */
function apiNames(readme: string): Set<string> {
  const section = /^## API\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? "";
  const code = [...section.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return new Set(code.flatMap((span) => span.match(/(?<![\w$.])[A-Za-z_$][\w$]*/g) ?? []));
}

/** The declarations of `name` in a bundled .d.ts, with the text just before each. */
function hasTsDoc(dts: string, name: string): boolean {
  // tsup's bundle declares each export locally (`declare function sleep…`, `declare class Queue…`)
  // and exports it by name at the end; the TSDoc sits right above the local declaration.
  const declaration = new RegExp(
    `/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\s*(?:export\\s+)?declare\\s+(?:abstract\\s+)?(?:function|class|const|let|var)\\s+${name}\\b`,
  );
  return declaration.test(dts);
}

describe("the API-section check", () => {
  it("counts a name only as a whole word in code of the API section, not as a member, a part or prose", () => {
    const readme = [
      "## API",
      "",
      "| `runAll(xs)` | `asyncio.run` | monotonic, not `Date.now()`; wait for any |",
      "| `sleep(ms)` | |",
      "",
      "## Elsewhere",
      "",
      "`run`, `now`, `wait`, `any`",
    ].join("\n");
    const names = apiNames(readme);
    expect([...names].sort()).toEqual(["Date", "asyncio", "ms", "runAll", "sleep", "xs"]);
    for (const name of ["run", "now", "wait", "any"]) expect(names.has(name)).toBe(false);
  });
});

describe.each(packages)("%s docs", (name) => {
  const dir = packageDir(name);
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  // Every declaration file of the build: a package with two entries shares declarations in a chunk.
  const dts = readdirSync(join(dir, "dist"))
    .filter((file) => file.endsWith(".d.ts"))
    .map((file) => readFileSync(join(dir, "dist", file), "utf8"))
    .join("\n");

  it("names every runtime export in the README's API section", async () => {
    const exports = Object.keys(await import(name));
    const named = apiNames(readme);
    expect(named.size).toBeGreaterThan(0);
    const missing = exports.filter((e) => !named.has(e));
    expect(missing).toEqual([]);
  });

  it("has TSDoc on every runtime export", async () => {
    const exports = Object.keys(await import(name));
    const undocumented = exports.filter((e) => !hasTsDoc(dts, e));
    expect(undocumented).toEqual([]);
  });
});
