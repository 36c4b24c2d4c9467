import { expectCancelled, tick } from "@taskio/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTask,
  type ExceptionContext,
  ensureFuture,
  Future,
  run,
  setExceptionHandler,
  shield,
  sleep,
  Task,
} from "../src/index.js";

// asyncio's behaviour: docs/asyncio-semantics.md#shield
describe("shield", () => {
  it("copies the inner outcome: result, the same exception, cancellation", async () => {
    const inner = new Future<number>();
    const outer = shield(inner);
    inner.setResult(42);
    expect(await outer).toBe(42);

    const e = new Error("x");
    const inner2 = new Future();
    const outer2 = shield(inner2);
    inner2.setException(e);
    await expect(outer2).rejects.toBe(e);

    const inner3 = new Future();
    const outer3 = shield(inner3);
    inner3.cancel();
    await expectCancelled(outer3);
  });

  it("wraps a generator or function in a task", async () => {
    expect(
      await shield(
        (function* () {
          yield* tick();
          return "gen";
        })(),
      ),
    ).toBe("gen");
    expect(await shield(async () => "fn")).toBe("fn");
  });

  it("cancelling the outer cancels only the outer, at once, and unlinks it", async () => {
    const inner = new Future<number>();
    const outer = shield(inner);
    await tick();
    expect(outer.cancel()).toBe(true);
    expect(outer.cancelled()).toBe(true);
    expect(inner.done()).toBe(false);
    inner.setResult(1);
    await tick();
    expect(outer.cancelled()).toBe(true);
  });

  it("returns an already-done future itself", () => {
    const f = new Future();
    f.setResult(1);
    expect(shield(f)).toBe(f);
  });

  it("cancelling a task awaiting shield raises at once; the inner runs on undisturbed", async () => {
    let proof = 0;
    const waiter = new Future();
    const inner = createTask(async () => {
      await waiter;
      proof += 1;
    });
    const outer = createTask(async () => {
      await shield(inner);
      proof += 100;
    });
    await tick();
    outer.cancel();
    await expectCancelled(outer);
    expect(inner.done()).toBe(false);
    waiter.setResult(undefined);
    await inner;
    expect(proof).toBe(1);
  });

  it("after the outer was cancelled, the inner keeps its own outcome (a failure nobody reads is reported)", async () => {
    const inner = createTask(async () => {
      await sleep(5);
      throw new Error("late");
    });
    const outer = shield(inner);
    outer.cancel();
    await sleep(10);
    expect(inner.exception()).toMatchObject({ message: "late" });
  });
});

describe("shield: what counts as retrieved", () => {
  const failingInner = {
    generator: () =>
      createTask(function* () {
        yield* sleep(5);
        throw new Error("late");
      }),
    "async function": () =>
      createTask(async () => {
        await sleep(5);
        throw new Error("late");
      }),
  };
  const forms = Object.keys(failingInner) as (keyof typeof failingInner)[];

  function collectReports(): ExceptionContext[] {
    const reports: ExceptionContext[] = [];
    setExceptionHandler((ctx) => reports.push(ctx));
    return reports;
  }

  afterEach(() => setExceptionHandler((ctx) => console.error(ctx.message, ctx.error)));

  it.each(forms)("%s inner: a failure after the outer was cancelled is reported as never retrieved", async (form) => {
    const reports = collectReports();
    let inner: Task<never> | undefined;
    await run(async () => {
      inner = failingInner[form]();
      const outer = shield(inner);
      outer.cancel();
      await sleep(10);
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ message: "Task exception was never retrieved", task: inner });
    expect((reports[0]!.error as Error).message).toBe("late");
  });

  it.each(forms)("%s inner: a failure copied to an awaited outer is not reported", async (form) => {
    const reports = collectReports();
    await run(async () => {
      const outer = shield(failingInner[form]());
      await expect(outer).rejects.toThrow("late");
    });
    expect(reports).toEqual([]);
  });
});

describe("ensureFuture", () => {
  it("returns a Future as it is, wraps coroutines and functions in tasks, follows promises", async () => {
    const f = new Future();
    expect(ensureFuture(f)).toBe(f);
    const t = ensureFuture(async () => 1);
    expect(t).toBeInstanceOf(Task);
    expect(await t).toBe(1);
    const p = ensureFuture(Promise.resolve("p"));
    expect(p).toBeInstanceOf(Future);
    expect(p).not.toBeInstanceOf(Task);
    expect(await p).toBe("p");
    const r = ensureFuture(Promise.reject(new Error("r")));
    await expect(r).rejects.toThrow("r");
  });

  it("rejects anything else with a TypeError", () => {
    expect(() => ensureFuture(42 as never)).toThrow(/expected an awaitable/);
  });
});
