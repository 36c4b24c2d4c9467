import { readmeSnippets, runSnippet } from "@taskio/testkit";
import { describe, expect, it } from "vitest";

/**
 * Runs every ```ts test block of every README but @taskio/redis's (its package's tests run those
 * against a Redis server), and checks what it prints against its `// prints: …` comments, so the
 * docs cannot drift from the code.
 */
const readmes = [
  "README.md",
  ...["taskio", "core", "combinators", "timeouts", "queue", "semaphore"].map((name) => `packages/${name}/README.md`),
  "apps/demo/README.md",
  "tooling/testkit/README.md",
];
const root = new URL("../../../", import.meta.url);
const snippets = readmes.flatMap((path) => readmeSnippets(new URL(path, root), path.replace(/\.md$/, "")));

describe("README snippets", () => {
  it("has snippets to run", () => {
    expect(snippets.length).toBeGreaterThan(5);
  });

  it.each(snippets.map((s, i) => [s.name, i] as const))("%s", async (_name, i) => {
    const snippet = snippets[i]!;
    const printed = await runSnippet(snippet, new URL(`.snippets/snippet-${i}.ts`, import.meta.url));
    expect(printed).toEqual(snippet.expected);
  });
});
