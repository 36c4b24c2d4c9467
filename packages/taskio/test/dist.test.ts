import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { inspect, promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * What the published packages look like from outside, checked on the built `dist` folders (the
 * files npm ships), not on the sources the other tests import.
 */
const packagesDir = new URL("../../", import.meta.url);

interface Published {
  name: string;
  dir: URL;
  /** Subpath ("." or "./internal") → the .js and .d.ts files its export condition names. */
  entries: { subpath: string; js: URL; dts: URL }[];
}

const published: Published[] = readdirSync(packagesDir)
  .map((folder) => new URL(`${folder}/`, packagesDir))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) }))
  .filter(({ manifest }) => !manifest.private)
  .map(({ dir, manifest }) => ({
    name: manifest.name,
    dir,
    entries: Object.entries(manifest.exports as Record<string, string | { types: string; default: string }>)
      .filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === "object")
      .map(([subpath, target]) => ({ subpath, js: new URL(target.default, dir), dts: new URL(target.types, dir) })),
  }));

const specifier = (pkg: Published, subpath: string) => (subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);

it("finds the seven published packages", () => {
  expect(published.map((p) => p.name).sort()).toEqual([
    "@taskio/combinators",
    "@taskio/core",
    "@taskio/queue",
    "@taskio/redis",
    "@taskio/semaphore",
    "@taskio/timeouts",
    "taskio",
  ]);
});

describe("the published packages are ESM only", () => {
  it.each(published.map((p) => [p.name, p] as const))(
    "%s: exports name no require condition and no .cjs file",
    (_name, pkg) => {
      const manifest = readFileSync(new URL("package.json", pkg.dir), "utf8");
      expect(manifest).not.toMatch(/"require"|\.c[jt]s"/);
      expect(readdirSync(new URL("dist/", pkg.dir)).filter((file) => /\.c[jt]s$/.test(file))).toEqual([]);
    },
  );

  it("a CommonJS program can require() every package with the Node running the tests", async () => {
    const names = published.map((pkg) => pkg.name);
    const program = `
      const { inspect } = require("node:util");
      const loaded = ${JSON.stringify(names)}.map((name) => [name, Object.keys(require(name)).length]);
      const { CancelledError } = require("@taskio/core");
      console.log(JSON.stringify({ loaded, error: inspect(new CancelledError("x")).split("\\n")[0] }));
    `;
    // From the umbrella package, whose node_modules links every published package.
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", program], {
      cwd: new URL("../", import.meta.url),
      timeout: 60_000,
    });
    const result = JSON.parse(stdout) as { loaded: [string, number][]; error: string };
    expect(result.loaded.filter(([, exports]) => exports === 0)).toEqual([]);
    expect(result.loaded.map(([name]) => name)).toEqual(names);
    expect(result.error).toBe("CancelledError: x");
  }, 60_000);
});

describe("names in logs are the source's names", () => {
  it("an error prints as `CancelledError: x`, not under a bundler's renamed class", async () => {
    const core = await import(new URL("../../core/dist/index.js", import.meta.url).href);
    expect(inspect(new core.CancelledError("x")).split("\n")[0]).toBe("CancelledError: x");
    expect(String(new core.TimeoutError("late"))).toBe("TimeoutError: late");
  });

  it("a stack frame in a task's step names Task, not a bundler's renamed class", async () => {
    const core = await import(new URL("../../core/dist/index.js", import.meta.url).href);
    const error: Error = await core
      .createTask(() => {
        throw new Error("from the body");
      })
      .catch((e: Error) => e);
    expect(error.stack).toMatch(/at Task\./);
    expect(error.stack).not.toMatch(/\b_(Task|Future|CancelledError|ExceptionGroup)\b/);
  });

  it.each(published.flatMap((pkg) => pkg.entries.map((entry) => [specifier(pkg, entry.subpath), entry.js] as const)))(
    "%s: every exported class keeps its exported name",
    async (_name, js) => {
      const module: Record<string, unknown> = await import(js.href);
      const renamed = Object.entries(module)
        .filter(([exported, value]) => typeof value === "function" && /^[A-Z]/.test(exported))
        .filter(([exported, value]) => (value as { name: string }).name !== exported)
        .map(([exported, value]) => `${exported} is named ${(value as { name: string }).name}`);
      expect(renamed).toEqual([]);
    },
  );
});

/**
 * The members a .d.ts shows beyond the public API: underscore names, `private` members and
 * `#private` fields. The one convention for internals is an `@internal` underscore member, which
 * the build strips; a private constructor is the exception, kept so that `new` of a class users
 * get from a factory (TaskGroup) does not compile.
 */
function nonPublicMembers(dts: string): string[] {
  const source = ts.createSourceFile("index.d.ts", dts, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name) {
      for (const member of node.members) {
        if (ts.isConstructorDeclaration(member)) continue;
        const name =
          member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))
            ? member.name.text
            : undefined;
        const isPrivate =
          ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
        if (isPrivate || name?.startsWith("_") || name?.startsWith("#")) found.push(`${node.name.text}.${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the published .d.ts files hold the public API only", () => {
  it("the check sees underscore, private and #private members, and lets a private constructor be", () => {
    const dts = "export declare class A { #private; private constructor(); _step(): void; private hidden; b: number }";
    expect(nonPublicMembers(dts)).toEqual(["A.#private", "A._step", "A.hidden"]);
  });

  it.each(published.flatMap((pkg) => pkg.entries.map((entry) => [specifier(pkg, entry.subpath), entry.dts] as const)))(
    "%s: no class or interface shows an underscore, private or #private member",
    (_name, dts) => {
      expect(nonPublicMembers(readFileSync(dts, "utf8"))).toEqual([]);
    },
  );
});
