import { type Coroutine, createTask, Future, now, shield, sleep, type Task, TimeoutError } from "@taskio/core";
import { expectCancelled, outcome, settle } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { asCompleted, gather, wait } from "../src/index.js";

function* delayed<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

// asyncio's behaviour: docs/asyncio-semantics.md#ascompleted
describe("asCompleted: plain iteration", () => {
  it("resolves the fresh Futures in completion order", async () => {
    const values: string[] = [];
    for (const next of asCompleted([delayed(10, "b"), delayed(150, "c"), delayed(10, "a")])) values.push(await next);
    expect(new Set(values.slice(0, 2))).toEqual(new Set(["a", "b"]));
    expect(values[2]).toBe("c");
    expect(now()).toBe(150);
  });

  it("gives the first outcome to the Future awaited first", async () => {
    const futs = [...asCompleted([delayed(50, "a"), delayed(100, "b")])];
    expect(await futs[1]!).toBe("a");
    expect(now()).toBe(50);
    expect(await futs[0]!).toBe("b");
    expect(now()).toBe(100);
  });

  it("never hands out an input object", async () => {
    const task = createTask(delayed(10, "t"));
    const handed = [...asCompleted([task, delayed(5, "c")])];
    expect(handed).not.toContain(task);
    expect(await gather(handed)).toEqual(["c", "t"]);
  });

  it("rejects the rest with TimeoutError at the deadline and cancels nothing", async () => {
    const b = createTask(delayed(150, "b"));
    const results = [];
    for (const next of asCompleted([delayed(100, "a"), b], { timeout: 120 })) results.push(await outcome(next));
    expect(now()).toBe(120);
    expect(results[0]).toEqual({ status: "fulfilled", value: "a" });
    expect(results[1]!.status).toBe("rejected");
    expect((results[1] as { error: unknown }).error).toBeInstanceOf(TimeoutError);
    expect(b.done()).toBe(false);
    expect(await b).toBe("b");
  });

  it("times out each remaining awaitable", async () => {
    const b = createTask(delayed(150, "b"));
    const c = createTask(delayed(200, "c"));
    const statuses: string[] = [];
    for (const next of asCompleted([delayed(50, "a"), b, c], { timeout: 100 })) {
      try {
        statuses.push(await next);
      } catch (e) {
        statuses.push(e instanceof TimeoutError ? "TO" : "other");
      }
    }
    expect(statuses).toEqual(["a", "TO", "TO"]);
    expect(b.done() || c.done()).toBe(false);
    await gather([b, c]);
  });

  it("clears its timer once everything finished", async () => {
    const values: string[] = [];
    for (const next of asCompleted([delayed(10, "a"), delayed(20, "b")], { timeout: 60_000 })) values.push(await next);
    expect(values).toEqual(["a", "b"]);
    await settle();
    expect(now()).toBe(20); // no timer left for the auto-advancing clock to jump to
  });

  it("resumes after a break", async () => {
    const ac = asCompleted([delayed(10, "a"), delayed(20, "b"), delayed(30, "c")]);
    const values: string[] = [];
    for (const next of ac) {
      values.push(await next);
      break;
    }
    for (const next of ac) values.push(await next);
    expect(values).toEqual(["a", "b", "c"]);
  });

  it("gives distinct outcomes to Futures awaited together", async () => {
    const futs = [...asCompleted([delayed(10, "a"), delayed(10, "b"), delayed(20, "c")])];
    const [done, pending] = await wait(futs);
    expect(pending.size).toBe(0);
    expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(["a", "b", "c"]));
  });

  it("counts duplicates once", async () => {
    const c = delayed(10, "ham");
    const values: string[] = [];
    for (const next of asCompleted([c, c, delayed(5, "spam")])) values.push(await next);
    expect(values).toEqual(["spam", "ham"]);
  });

  it("passes failures and cancellations through to the fresh Futures", async () => {
    const error = new RangeError("bad");
    const failing = createTask(async () => {
      await sleep(10);
      throw error;
    });
    const cancelled = createTask(() => sleep(1000));
    const [first, second] = [...asCompleted([failing, cancelled])];
    expect(await outcome(first!)).toEqual({ status: "rejected", error });
    cancelled.cancel("stop");
    const error2 = await expectCancelled(second!);
    expect(error2.message).toBe("stop");
    expect(second!.cancelled()).toBe(true);
  });

  it("passes an outcome on when the Future meant for it is cancelled, and hands out one Future per input", async () => {
    const b = createTask(delayed(20, "b"));
    const ac = asCompleted([delayed(10, "a"), b]);
    const [f0, f1] = [...ac];
    const watching = outcome(f0!);
    expect(f0!.cancel()).toBe(true);
    expect((await watching).status).toBe("cancelled");
    expect(await f1!).toBe("a");
    // The cancelled Future used up its turn, as in asyncio: "b" is read from its task.
    expect([...ac]).toHaveLength(0);
    expect(await b).toBe("b");
  });

  it("ends after one Future per input even when every one of them is cancelled", () => {
    const hangs = new Future<string>();
    let handedOut = 0;
    for (const next of asCompleted([hangs, hangs, new Future<string>()])) {
      handedOut++;
      expect(handedOut).toBeLessThanOrEqual(2);
      next.cancel();
    }
    expect(handedOut).toBe(2);
  });

  it("serves Futures nobody awaits yet in the order they were handed out", async () => {
    const [f0, f1] = [...asCompleted([delayed(10, "a"), delayed(20, "b")])];
    // shield() and a function-form task follow a Future without calling then() on it.
    const s1 = shield(f1!);
    const t0 = createTask(() => f0!);
    expect(await t0).toBe("a");
    expect(await s1).toBe("b");
  });

  it("starts the inputs at the call, not at the first step", async () => {
    let started = 0;
    const ac = asCompleted([
      async () => {
        started++;
      },
      async () => {
        started++;
      },
    ]);
    await settle();
    expect(started).toBe(2);
    for (const next of ac) await next;
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#ascompleted
describe("asCompleted: async iteration", () => {
  it("yields the inputs in completion order", async () => {
    const values: unknown[] = [];
    for await (const done of asCompleted([delayed(10, "b"), delayed(150, "c"), delayed(10, "a")])) {
      expect(done.done()).toBe(true);
      values.push(done.result());
    }
    expect(new Set(values.slice(0, 2))).toEqual(new Set(["a", "b"]));
    expect(values[2]).toBe("c");
    expect(now()).toBe(150);
  });

  it("yields the original Task, and new Tasks for coroutines", async () => {
    const task = createTask(delayed(10, "t"));
    // TypeScript types a `for await` variable as the awaited value; next() keeps the Future type.
    const iterator = asCompleted([task, delayed(5, "c")])[Symbol.asyncIterator]();
    const seen: Future<string>[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) seen.push(step.value);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(task);
    expect(seen[0]).not.toBe(task);
    expect(await seen[0]!).toBe("c");
  });

  it("throws TimeoutError from the loop at the deadline, cancelling nothing", async () => {
    const b = createTask(delayed(150, "b"));
    const values: string[] = [];
    await expect(async () => {
      for await (const done of asCompleted([delayed(100, "a"), b], { timeout: 120 })) values.push(await done);
    }).rejects.toThrow(TimeoutError);
    expect(values).toEqual(["a"]);
    expect(now()).toBe(120);
    expect(await b).toBe("b");
  });

  it("yields failed inputs without reading them", async () => {
    const error = new Error("boom");
    const failing = createTask(async () => {
      throw error;
    });
    for await (const done of asCompleted([failing])) {
      expect(done).toBe(failing);
      await expect(done).rejects.toBe(error);
    }
  });

  it("ends at once for no input", async () => {
    const values = [];
    for await (const done of asCompleted([])) values.push(done);
    for (const next of asCompleted([])) values.push(next);
    expect(values).toEqual([]);
  });

  it("resumes after a break, and shares its position with plain iteration", async () => {
    const ac = asCompleted([delayed(10, "a"), delayed(20, "b"), delayed(30, "c")]);
    const values: string[] = [];
    for await (const done of ac) {
      values.push(await done);
      break;
    }
    for (const next of ac) {
      values.push(await next);
      break;
    }
    for await (const done of ac) values.push(await done);
    expect(values).toEqual(["a", "b", "c"]);
  });

  it("is cancelled with the task looping on it, and loses no completion", async () => {
    const ac = asCompleted([delayed(100, "a"), delayed(200, "b")]);
    const seen: string[] = [];
    const consumer = createTask(async () => {
      for await (const done of ac) seen.push(await done);
    });
    await sleep(50);
    consumer.cancel();
    await expectCancelled(consumer);
    const rest: string[] = [];
    for await (const done of ac) rest.push(await done);
    expect(seen).toEqual([]);
    expect(rest).toEqual(["a", "b"]);
  });

  it("refuses what is not an iterable of awaitables", () => {
    const fut = new Future<number>();
    expect(() => asCompleted(fut as never)).toThrow(/asCompleted\(aws\): expected an array \(or iterable\)/);
    expect(() => asCompleted(Promise.resolve(1) as never)).toThrow(TypeError);
    expect(() => asCompleted(42 as never)).toThrow(TypeError);
    expect(() => asCompleted([1] as never)).toThrow(/element 0 is not awaitable/);
    expect(() => asCompleted([fut], { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => asCompleted([fut], 5 as never)).toThrow(TypeError);
  });

  it("keeps typing and identity for Task inputs", async () => {
    const tasks: Task<number>[] = [createTask(delayed(2, 2)), createTask(delayed(1, 1))];
    const order: Task<number>[] = [];
    for await (const done of asCompleted(tasks)) order.push(done as Task<number>);
    expect(order).toEqual([tasks[1], tasks[0]]);
  });
});
