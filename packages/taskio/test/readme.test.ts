import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { format } from "node:util";
import { describe, expect, it, vi } from "vitest";

/**
 * Runs every ```ts test block of the root README and the packages' READMEs, and checks what it prints
 * against its `// prints: …` comments, so the docs cannot drift from the code.
 */
const readmes = [
  "../../../README.md",
  "../README.md",
  ...["core", "combinators", "timeouts", "queue", "semaphore"].map((name) => `../../${name}/README.md`),
].map((path) => new URL(path, import.meta.url));
const snippetDir = new URL("./.snippets/", import.meta.url);
mkdirSync(snippetDir, { recursive: true });

interface Snippet {
  name: string;
  code: string;
  expected: string[];
}

function extract(readme: URL, label: string): Snippet[] {
  const text = readFileSync(readme, "utf8");
  const blocks = [...text.matchAll(/^```ts test\n([\s\S]*?)^```$/gm)];
  return blocks.map((block, i) => {
    const code = block[1]!;
    const expected = [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!);
    return {
      name: `${label} #${i + 1}: ${code.split("\n").find((l) => l && !l.startsWith("import"))}`,
      code,
      expected,
    };
  });
}

const snippets = readmes.flatMap((readme) =>
  extract(
    readme,
    readme.pathname.replace(/.*\/(packages\/[^/]+\/)?README\.md$/, (_, dir) => `${dir ?? ""}README`),
  ),
);

describe("README snippets", () => {
  it("has snippets to run", () => {
    expect(snippets.length).toBeGreaterThan(5);
  });

  it.each(snippets.map((s, i) => [s.name, i] as const))("%s", async (_name, i) => {
    const snippet = snippets[i]!;
    const file = new URL(`snippet-${i}.ts`, snippetDir);
    writeFileSync(file, snippet.code);
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      printed.push(format(...args));
    });
    try {
      await import(/* @vite-ignore */ `${file.href}?t=${Date.now()}`);
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual(snippet.expected);
  });
});
