import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** Runs a fixture program in a fresh process: whether AsyncLocalStorage is on, and whether the program has stores of its own, is process-wide. */
function runProgram(name: string): Promise<string> {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script], { timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout + stderr),
    ),
  );
}

describe("a generator-only program never pays for AsyncLocalStorage", () => {
  it("generator-function permit bodies (sem.run, lock.run, limit), waiting or not, keep it off", async () => {
    expect((await runProgram("generator-bodies.mjs")).trim()).toBe("1 2 3 4 5, AsyncLocalStorage stayed off");
  });
});

describe("permit bodies turn AsyncLocalStorage on only for a task", () => {
  it("a program that calls sem.run, lock.run and limit only from plain code, waiting or not, keeps it off", async () => {
    expect((await runProgram("plain-callers.mjs")).trim()).toBe("1 2 3 4 5 6, AsyncLocalStorage stayed off");
  });

  it("a generator task's async body, run at once or after waiting, finds the task after its awaits and is cancelled with it", async () => {
    expect((await runProgram("generator-caller.mjs")).trim()).toBe(
      "inline, limit, waited, cancelled at the body's await, AsyncLocalStorage on",
    );
  });
});

describe("a program without AsyncLocalStorage (as in a browser)", () => {
  it("cancels a caller waiting in a generator permit body or a Future one, reaches the body, and gets every permit back", async () => {
    expect((await runProgram("generator-bodies-cancelled.mjs")).trim()).toBe(
      `${"CancelledError ".repeat(7)}TimeoutError, 5 bodies cancelled, permits back: true`,
    );
  });
});

describe("a program with no AsyncLocalStorage of its own", () => {
  it("runs a run() body that waited for its permit as its caller: the caller's task, or none, and the caller's cancellation reaches it", async () => {
    expect((await runProgram("caller-task-only.mjs")).trim()).toBe(
      "no user store: caller task, caller task after await, no task, caller cancelled, permit back",
    );
  });
});
