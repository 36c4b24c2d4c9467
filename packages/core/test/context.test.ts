import { AsyncLocalStorage } from "node:async_hooks";
import { execFile } from "node:child_process";
import v8 from "node:v8";
import vm from "node:vm";
import { settle } from "@taskio/testkit";
import { describe, expect, it, vi } from "vitest";
import {
  configure,
  createTask,
  currentTask,
  Future,
  InvalidStateError,
  setExceptionHandler,
  sleep,
} from "../src/index.js";

/** Runs a fixture program in a fresh process: whether AsyncLocalStorage is on is process-wide. */
function runProgram(name: string): Promise<string> {
  const script = new URL(`./fixtures/${name}`, import.meta.url);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script.pathname], { timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout + stderr),
    ),
  );
}

describe("async context", () => {
  it("tasks run every step in the creator's context; done-callbacks in the registrar's", async () => {
    const requestId = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const f = new Future<number>();
    await requestId.run("req-1", async () => {
      const gen = createTask(function* () {
        seen.push(requestId.getStore());
        yield* sleep(1);
        seen.push(requestId.getStore());
      });
      const fn = createTask(async () => {
        seen.push(requestId.getStore());
        await sleep(2);
        seen.push(requestId.getStore());
      });
      f.addDoneCallback(() => seen.push(requestId.getStore()));
      await requestId.run("req-2", async () => {
        await Promise.all([gen, fn]);
      });
    });
    f.setResult(1);
    await settle();
    expect(seen).toEqual(["req-1", "req-1", "req-1", "req-1", "req-1"]);
  });

  it.each(["generator", "async function"] as const)(
    "what a task's first step enters in a store of its own stays entered after its awaits (%s)",
    async (form) => {
      const span = new AsyncLocalStorage<string>();
      const seen: (string | undefined)[] = [];
      const body =
        form === "generator"
          ? createTask(function* () {
              span.enterWith("entered in the task");
              yield* sleep(1);
              seen.push(span.getStore());
            })
          : createTask(async () => {
              span.enterWith("entered in the task");
              await sleep(1);
              seen.push(span.getStore());
            });
      await span.run("the caller's", async () => {
        await body;
        seen.push(span.getStore());
      });
      expect(seen).toEqual(["entered in the task", "the caller's"]);
    },
  );

  it("a Future's then() callbacks run in the context of the then() call, not of the task that completed it", async () => {
    const requestId = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const f = new Future<number>();
    const failed = new Future<number>();
    const waiter = createTask(
      async () => {
        await requestId.run("req-then", () =>
          Promise.all([
            f.then(() => seen.push(`${requestId.getStore()} as ${currentTask()?.getName()}`)),
            failed.catch(() => seen.push(`${requestId.getStore()} as ${currentTask()?.getName()}`)),
          ]),
        );
      },
      { name: "waiter" },
    );
    const completer = createTask(
      async () => {
        await sleep(1);
        requestId.run("req-complete", () => {
          f.setResult(1);
          failed.setException(new Error("boom"));
        });
      },
      { name: "completer" },
    );
    await Promise.all([waiter, completer]);
    expect(seen).toEqual(["req-then as waiter", "req-then as waiter"]);
  });

  it("a Future's then() callback runs as the code that called then() in a program with no store of its own, and the completing task's cancellation does not reach its awaits; a done-callback registered before any async context runs in none; each task runs as itself", async () => {
    expect((await runProgram("then-callbacks.mjs")).trim().split("\n")).toEqual([
      "plain: none, done-callback: none, callback: waiter, callback after await: waiter",
      "parent, child, child, child, parent",
    ]);
  });

  it("a generator-only program's tasks keep the user's store of their creation, without taskio's AsyncLocalStorage", async () => {
    const output = await runProgram("generator-context.mjs");
    expect(output.trim().split("\n")).toEqual(["a req-a", "a req-a", "a req-a", "b req-b", "b req-b", "b req-b"]);
  });

  it("a program of generator functions (run(function* main), createTask(function* …)) never turns taskio's AsyncLocalStorage on", async () => {
    expect((await runProgram("generator-functions.mjs")).trim()).toBe("total 6, AsyncLocalStorage stayed off");
  });

  it("configure({ asyncContext: false }) after async context is on is an InvalidStateError", async () => {
    await createTask(async () => 1);
    expect(() => configure({ asyncContext: false })).toThrow(InvalidStateError);
    expect(() => configure({ asyncContext: "no" as never })).toThrow(TypeError);
  });
});

describe("unretrieved exceptions", () => {
  it("are reported when the failed task is garbage-collected, with its name and error", async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const handler = vi.fn();
    setExceptionHandler(handler);
    try {
      await (async () => {
        const t = createTask(
          async () => {
            throw new Error("lost");
          },
          { name: "forgotten" },
        );
        await new Promise<void>((resolve) => t.addDoneCallback(() => resolve()));
      })();
      for (let i = 0; i < 20 && handler.mock.calls.length === 0; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 0));
      }
      expect(handler).toHaveBeenCalledWith(
        expect.objectContaining({
          message: "Task exception was never retrieved",
          error: expect.objectContaining({ message: "lost" }),
        }),
      );
      expect(handler.mock.calls[0]![0].task.getName()).toBe("forgotten");
    } finally {
      setExceptionHandler((ctx) => console.error(ctx.message, ctx.error));
    }
  });

  it("are not reported once retrieved, or after cancel() on the done task", async () => {
    const handler = vi.fn();
    setExceptionHandler(handler);
    try {
      const a = createTask(async () => {
        throw new Error("a");
      });
      const b = createTask(async () => {
        throw new Error("b");
      });
      await settle();
      expect(a.exception()).toBeInstanceOf(Error);
      expect(b.cancel()).toBe(false);
    } finally {
      setExceptionHandler((ctx) => console.error(ctx.message, ctx.error));
    }
  });
});
