import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readmeSnippets, runSnippet } from "@taskio/testkit";
import { describe, expect, it } from "vitest";

/**
 * Runs every ```ts test block of every README in the repository but @taskio/redis's (its package's
 * tests run those against a Redis server, with the same runner), and checks what it prints against
 * its `// prints: …` comments, so the docs cannot drift from the code.
 */
const root = new URL("../../../", import.meta.url);
const allReadmes = [
  "README.md",
  ...["packages", "apps", "tooling"].flatMap((group) =>
    readdirSync(new URL(`${group}/`, root))
      .map((dir) => `${group}/${dir}/README.md`)
      .filter((path) => existsSync(new URL(path, root))),
  ),
];
const readmes = allReadmes.filter((path) => path !== "packages/redis/README.md");
const snippets = readmes.flatMap((path) => readmeSnippets(new URL(path, root), path.replace(/\.md$/, "")));

describe("README snippets", () => {
  it("has snippets to run", () => {
    expect(snippets.length).toBeGreaterThan(5);
  });

  it("leaves no TypeScript block of any README unrun", () => {
    const unrun = allReadmes.flatMap((path) =>
      [...readFileSync(new URL(path, root), "utf8").matchAll(/^```(ts|typescript|js|javascript)( .*)?$/gm)]
        .filter((block) => block[2] !== " test")
        .map((block) => `${path}: ${block[0]}`),
    );
    expect(unrun).toEqual([]);
  });

  it.each(snippets.map((s, i) => [s.name, i] as const))("%s", async (_name, i) => {
    const snippet = snippets[i]!;
    const printed = await runSnippet(snippet, new URL(`.snippets/snippet-${i}.ts`, import.meta.url));
    expect(printed).toEqual(snippet.expected);
  });
});
