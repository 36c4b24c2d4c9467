import { expectCancelled } from "@taskio/testkit";
import { describe, expect, it, vi } from "vitest";
import { createTask, InvalidStateError, run, setExceptionHandler, sleep } from "../src/index.js";

describe("run", () => {
  it("returns main's result and cancels leftover tasks, running their finally blocks", async () => {
    const log: string[] = [];
    const result = await run(async () => {
      createTask(async () => {
        try {
          await sleep(10_000);
        } finally {
          await sleep(1);
          log.push("child cleaned");
        }
      });
      createTask(function* () {
        createTask(async () => {
          try {
            await sleep(10_000);
          } finally {
            log.push("grandchild cleaned");
          }
        });
        yield* sleep(10_000);
      });
      await sleep(5);
      return "main";
    });
    expect(result).toBe("main");
    expect(log.sort()).toEqual(["child cleaned", "grandchild cleaned"]);
  });

  it("also cancels tasks created after an await, by main and by its children", async () => {
    const log: string[] = [];
    const sleeper = (name: string) => async () => {
      try {
        await sleep(10_000);
      } finally {
        log.push(name);
      }
    };
    await run(async () => {
      await sleep(1);
      createTask(sleeper("child"));
      createTask(async () => {
        await sleep(1);
        createTask(sleeper("grandchild"));
        await sleep(10_000);
      });
      await sleep(5);
    });
    expect(log.sort()).toEqual(["child", "grandchild"]);
  });

  it("rejects with main's error", async () => {
    await expect(
      run(function* () {
        yield* sleep(1);
        throw new TypeError("bad");
      }),
    ).rejects.toThrow(TypeError);
  });

  it("leaves other runs' tasks alone", async () => {
    let otherDone = false;
    const other = run(async () => {
      await sleep(50);
      otherDone = true;
    });
    await run(async () => {
      await sleep(1);
    });
    expect(otherDone).toBe(false);
    await other;
    expect(otherDone).toBe(true);
  });

  it("inside a task is an InvalidStateError", async () => {
    const t = createTask(async () => run(async () => 1));
    await expect(t).rejects.toThrow(InvalidStateError);
  });

  it("reports a child's unretrieved failure before it returns", async () => {
    const handler = vi.fn();
    setExceptionHandler(handler);
    try {
      await run(async () => {
        createTask(async () => {
          throw new Error("nobody reads me");
        });
        await sleep(1);
      });
      expect(handler).toHaveBeenCalledTimes(1);
      expect(handler.mock.calls[0]![0]).toMatchObject({
        message: "Task exception was never retrieved",
        error: expect.objectContaining({ message: "nobody reads me" }),
      });
    } finally {
      setExceptionHandler((ctx) => console.error(ctx.message, ctx.error));
    }
  });

  it("a task cancelled from outside ends the run with CancelledError", async () => {
    const controller = new AbortController();
    const p = run(() => sleep(1000), { signal: controller.signal });
    await sleep(1);
    controller.abort();
    await expectCancelled(p);
  });
});

describe("run at process exit", () => {
  it("rejects with an InvalidStateError naming what the main task waits on, instead of exiting silently", async () => {
    const { execFile } = await import("node:child_process");
    const script = new URL("./fixtures/stuck-run.mjs", import.meta.url);
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [script.pathname], (error, stdout, stderr) =>
        error ? reject(error) : resolve(stdout + stderr),
      ),
    );
    expect(output).toMatch(/InvalidStateError: run\(\): the process is about to exit/);
    expect(output).toMatch(/<Task pending name='main'>: awaiting <Future pending>/);
  });

  it("rejects even when main waits on a foreign promise nobody settles, and the code after run() runs", async () => {
    const { execFile } = await import("node:child_process");
    const script = new URL("./fixtures/stuck-foreign.mjs", import.meta.url);
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(process.execPath, [script.pathname], { timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
      ),
    );
    expect(output).toMatch(/InvalidStateError: run\(\): the process is about to exit but the main task never finished/);
    expect(output).toMatch(/<Task pending name='main'>: awaiting a promise outside taskio/);
    expect(output).toMatch(/<Task pending name='sleeper'>: waiting in sleep\(Infinity\)/);
    expect(output).toContain("the code after run() ran");
    expect(code).toBe(0);
  });
});

describe("a failure nobody awaited, outside any run()", () => {
  it("is reported when the process is about to exit", async () => {
    const { execFile } = await import("node:child_process");
    const script = new URL("./fixtures/unretrieved-at-exit.mjs", import.meta.url);
    const stderr = await new Promise<string>((resolve) =>
      execFile(process.execPath, ["--expose-gc", script.pathname], { timeout: 30_000 }, (_error, _stdout, err) =>
        resolve(err),
      ),
    );
    expect(stderr).toMatch(/Task exception was never retrieved \(orphan\)/);
    expect(stderr).toMatch(/Error: nobody awaited me/);
    expect(stderr.match(/never retrieved/g)).toHaveLength(1);
  });
});
