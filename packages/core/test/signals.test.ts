import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";

/**
 * Ctrl-C reaches the program as a cancellation of run()'s main task. Each case runs a real Node
 * process (signals cannot be faked in-process) with a generous deadline: the machine may be loaded.
 */
const fixture = new URL("./fixtures/interrupt.mjs", import.meta.url).pathname;
const DEADLINE = 30_000;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Children still running when their case ends (it failed): killed, so that none outlives the suite. */
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  started.clear();
});

function start(mode: string): { child: ChildProcess; output: (text: string) => Promise<void>; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [fixture, mode], { stdio: ["ignore", "pipe", "pipe"] });
  started.add(child);
  let stdout = "";
  let stderr = "";
  const waiting: [string, () => void][] = [];
  child.stdout!.on("data", (chunk) => {
    stdout += chunk;
    for (const [text, resolve] of waiting) if (stdout.includes(text)) resolve();
  });
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  const ended = new Promise<Ended>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const output = (text: string) =>
    new Promise<void>((resolve) => {
      if (stdout.includes(text)) resolve();
      else waiting.push([text, resolve]);
    });
  return { child, output, ended };
}

describe("run() and Ctrl-C", () => {
  it(
    "cancels main at the first SIGINT: its finally block runs, run rejects with CancelledError, the exit code is 130",
    async () => {
      const { child, output, ended } = start("cleanup");
      await output("ready");
      child.kill("SIGINT");
      const result = await ended;
      expect(result.stdout).toContain("cleanup");
      expect(result.stdout).not.toContain("not reached");
      expect(result.stderr).toMatch(/CancelledError: run\(\): interrupted by SIGINT/);
      expect(result.code).toBe(130);
    },
    DEADLINE,
  );

  it(
    "exits at once at a second SIGINT, even while main's cleanup still waits",
    async () => {
      const { child, output, ended } = start("slow-cleanup");
      await output("ready");
      child.kill("SIGINT");
      await output("cleanup");
      child.kill("SIGINT");
      const result = await ended;
      expect(result.code).toBe(130);
    },
    DEADLINE,
  );

  it(
    "treats SIGTERM the same way, with exit code 143",
    async () => {
      const { child, output, ended } = start("cleanup");
      await output("ready");
      child.kill("SIGTERM");
      const result = await ended;
      expect(result.stdout).toContain("cleanup");
      expect(result.code).toBe(143);
    },
    DEADLINE,
  );

  it(
    "exits at once at a first SIGTERM that comes once main is done, while the run cancels what main left",
    async () => {
      const { child, output, ended } = start("stubborn-leftover");
      await output("ready");
      child.kill("SIGTERM");
      const result = await ended;
      expect(result.stdout).not.toContain("not reached");
      expect(result.code).toBe(143);
    },
    DEADLINE,
  );

  it(
    "hands the handlers to a run still going when the run that had them ends",
    async () => {
      const { child, output, ended } = start("two-runs");
      await output("ready");
      child.kill("SIGINT");
      const result = await ended;
      expect(result.stdout).toContain("cleanup");
      expect(result.stdout).not.toContain("not reached");
      expect(result.stderr).toMatch(/CancelledError: run\(\): interrupted by SIGINT/);
      expect(result.code).toBe(130);
    },
    DEADLINE,
  );

  it(
    "sends a signal that comes while one run cleans up after its main to another run's main",
    async () => {
      const { child, output, ended } = start("two-runs-one-cleaning-up");
      await output("ready");
      child.kill("SIGINT");
      const result = await ended;
      expect(result.stdout).toContain("cleanup");
      expect(result.stdout).not.toContain("not reached");
      expect(result.code).toBe(130);
    },
    DEADLINE,
  );

  it(
    "leaves a SIGINT handler the application installed alone: it wins",
    async () => {
      const { child, output, ended } = start("app-handler");
      await output("ready");
      child.kill("SIGINT");
      const result = await ended;
      expect(result.stdout).toContain("the application's handler");
      expect(result.stdout).not.toContain("cleanup");
      expect(result.code).toBe(7);
    },
    DEADLINE,
  );

  it(
    "keeps Node's own handling with { handleSignals: false }",
    async () => {
      const { child, output, ended } = start("opt-out");
      await output("ready");
      child.kill("SIGINT");
      const result = await ended;
      expect(result.stdout).not.toContain("cleanup");
      expect(result.signal).toBe("SIGINT");
    },
    DEADLINE,
  );
});

describe("run() signal handlers", () => {
  it("are removed when the run ends", async () => {
    const { run } = await import("../src/index.js");
    const before = process.listenerCount("SIGINT");
    await run(async () => {
      expect(process.listenerCount("SIGINT")).toBe(before === 0 ? 1 : before);
    });
    expect(process.listenerCount("SIGINT")).toBe(before);
  });

  it("refuse a handleSignals that is not a boolean", async () => {
    const { run } = await import("../src/index.js");
    // @ts-expect-error handleSignals is a boolean
    await expect(run(async () => 1, { handleSignals: "no" })).rejects.toThrow(
      /options\.handleSignals must be a boolean, got "no" \(string\)/,
    );
  });
});
