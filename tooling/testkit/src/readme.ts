/**
 * The one way the repository runs its READMEs' examples: every ```ts test block is a program that
 * runs as written, and what it prints must match its `// prints: …` comments, in order.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { format } from "node:util";
import { sleep } from "@taskio/core";
import { vi } from "vitest";

/** One ```ts test block of a README. */
export interface Snippet {
  /** The README's label, the block's number in it and its first line of code. */
  name: string;
  code: string;
  /** What it must print, one entry per `console.log` call. */
  expected: string[];
}

/** The ```ts test blocks of `readme`, named after `label` (for example `packages/queue/README`). */
export function readmeSnippets(readme: URL, label: string): Snippet[] {
  const text = readFileSync(readme, "utf8");
  return [...text.matchAll(/^```ts test\n([\s\S]*?)^```$/gm)].map((block, i) => {
    const code = block[1]!;
    const expected = [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!);
    const first = code.split("\n").find((line) => line && !line.startsWith("import"));
    return { name: `${label} #${i + 1}: ${first}`, code, expected };
  });
}

/**
 * A stand-in for the network, so examples can call `fetch` as real code does: it answers 200 with a
 * body naming the URL after `?latency=` milliseconds (default 10) of taskio time, and rejects with
 * the signal's reason as soon as its signal aborts.
 */
export function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const signal = init?.signal ?? undefined;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const latency = sleep(Number(url.searchParams.get("latency") ?? 10));
    const abort = () => {
      latency.cancel();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
    latency.then(
      () => {
        signal?.removeEventListener("abort", abort);
        resolve(new Response(`the page at ${url.href}`, { status: 200 }));
      },
      () => {},
    );
  });
}

/**
 * Runs `snippet` as a module written to `file` (so its imports resolve from that directory), with
 * `fetch` replaced by {@link fakeFetch}, and returns what it printed with `console.log`.
 */
export async function runSnippet(snippet: Snippet, file: URL): Promise<string[]> {
  mkdirSync(new URL(".", file), { recursive: true });
  writeFileSync(file, snippet.code);
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
  vi.stubGlobal("fetch", fakeFetch);
  try {
    await import(/* @vite-ignore */ `${file.href}?t=${Date.now()}`);
  } finally {
    vi.unstubAllGlobals();
    log.mockRestore();
  }
  return printed;
}
