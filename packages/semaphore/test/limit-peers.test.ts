/** What p-limit users rely on: a settable `concurrency`, `clearQueue()` and `limit.map()`. */
import { type Coroutine, createTask, Future, isCancelledError, sleep } from "@taskio/core";
import { expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { limit } from "../src/index.js";

describe("limit(n).concurrency: settable while calls wait", () => {
  it("raising it starts waiting calls at once, before any running call ends", async () => {
    const limited = limit(1);
    const tl = timeline();
    const job = async (name: string) => {
      tl.log(`start ${name}`);
      await sleep(10);
    };
    const calls = ["a", "b", "c", "d"].map((name) => limited(job, name));
    await tick();
    expect([limited.activeCount, limited.pendingCount]).toEqual([1, 3]);
    limited.concurrency = 3;
    await tick();
    expect([limited.activeCount, limited.pendingCount, limited.concurrency]).toEqual([3, 1, 3]);
    await Promise.all(calls);
    expect(tl.stamped()).toEqual(["start a@0", "start b@0", "start c@0", "start d@10"]);
  });

  it("lowering it lets running calls finish and starts none until fewer than the new limit run", async () => {
    const limited = limit(3);
    const tl = timeline();
    let running = 0;
    let most = 0;
    const job = function* (name: string, ms: number): Coroutine<void> {
      most = Math.max(most, ++running);
      tl.log(`start ${name}`);
      try {
        yield* sleep(ms);
      } finally {
        running--;
      }
    };
    const calls = [limited(job, "a", 10), limited(job, "b", 20), limited(job, "c", 30), limited(job, "d", 10)];
    await tick();
    limited.concurrency = 1;
    const later = limited(job, "e", 10);
    await Promise.all([...calls, later]);
    expect(tl.stamped()).toEqual(["start a@0", "start b@0", "start c@0", "start d@30", "start e@40"]);
    expect(limited.activeCount).toBe(0);
    most = 0;
    await Promise.all([limited(job, "f", 1), limited(job, "g", 1)]);
    expect(most).toBe(1);
  });

  it("goes from Infinity to a finite limit and back, counting the calls that run", async () => {
    const limited = limit(Infinity);
    const gates = [new Future<void>(), new Future<void>(), new Future<void>()];
    const calls = gates.map((gate) => limited(() => gate));
    expect(limited.activeCount).toBe(3);
    limited.concurrency = 2;
    const waiting = limited(() => "ran");
    await tick();
    expect(limited.pendingCount).toBe(1);
    gates[0]!.setResult();
    await tick();
    expect(limited.pendingCount).toBe(1); // 2 still run: the limit is 2
    limited.concurrency = Infinity;
    expect(await waiting).toBe("ran");
    gates[1]!.setResult();
    gates[2]!.setResult();
    await Promise.all(calls);
  });

  it("a call cancelled while the limit is lowered takes no slot", async () => {
    const limited = limit(2);
    const gate = new Future<void>();
    const running = [limited(() => gate), limited(() => gate)];
    limited.concurrency = 1;
    const cancelled = limited(() => "never");
    const next = limited(() => "next");
    cancelled.cancel();
    await expectCancelled(cancelled);
    gate.setResult();
    await Promise.all(running);
    expect(await next).toBe("next");
    expect([limited.activeCount, limited.pendingCount]).toEqual([0, 0]);
  });

  it("refuses a concurrency that is not an integer >= 1, and keeps the old one", () => {
    const limited = limit(2);
    expect(() => {
      limited.concurrency = 0;
    }).toThrow(/limit\(\)\.concurrency must be an integer >= 1 \(or Infinity\), got 0/);
    expect(() => {
      limited.concurrency = "3" as never;
    }).toThrow(TypeError);
    expect(limited.concurrency).toBe(2);
  });
});

describe("clearQueue(): cancels the calls still waiting", () => {
  it("ends waiting calls cancelled; running ones go on and free their slots", async () => {
    const limited = limit(1);
    const log: string[] = [];
    const running = limited(async () => {
      await sleep(5);
      log.push("running");
    });
    const waiting = [limited(() => log.push("a")), limited(() => log.push("b"))];
    limited.clearQueue();
    expect(limited.pendingCount).toBe(0);
    for (const call of waiting) await expectCancelled(call);
    await running;
    expect(log).toEqual(["running"]);
    expect(await limited(() => "free")).toBe("free");
  });
});

const mappers = {
  "async function": async (x: number, i: number) => {
    await sleep(x);
    return `${x}@${i}`;
  },
  generator: function* (x: number, i: number): Coroutine<string> {
    yield* sleep(x);
    return `${x}@${i}`;
  },
};

describe("limit.map(items, fn, options?): results in input order", () => {
  it.each(Object.entries(mappers))("passes item and index and keeps input order (%s)", async (_, mapper) => {
    const limited = limit(2);
    const result = await limited.map([30, 10, 20, 5], mapper as (x: number, i: number) => Promise<string>);
    expect(result).toEqual(["30@0", "10@1", "20@2", "5@3"]);
  });

  it("never runs more than the limit, sharing it with the other calls", async () => {
    const limited = limit(2);
    let running = 0;
    let most = 0;
    const other = limited(() => sleep(15));
    const result = await limited.map(new Set([1, 2, 3, 4, 5]), async (x) => {
      most = Math.max(most, ++running);
      await sleep(5);
      running--;
      return x * 2;
    });
    await other;
    expect(result).toEqual([2, 4, 6, 8, 10]);
    expect(most).toBe(1 + 0 + 1); // one slot is the other call's until 15
  });

  it("resolves [] for an empty input, calling nothing", async () => {
    const limited = limit(1);
    const result = limited.map([], () => {
      throw new Error("not called");
    });
    expect(result.done()).toBe(true);
    expect(await result).toEqual([]);
  });

  it("a throwing mapper rejects it and withdraws the calls still waiting", async () => {
    const limited = limit(1);
    const started: number[] = [];
    const boom = new Error("boom");
    const result = limited.map([1, 2, 3, 4], async (x) => {
      started.push(x);
      await sleep(1);
      if (x === 2) throw boom;
      return x;
    });
    expect(await outcome(result)).toEqual({ status: "rejected", error: boom });
    await sleep(10);
    expect(started).toEqual([1, 2]);
    expect([limited.activeCount, limited.pendingCount]).toEqual([0, 0]);
  });

  it.each(Object.entries(mappers))(
    "aborting its signal rejects with the reason and withdraws the waiting calls (%s)",
    async (_, mapper) => {
      const limited = limit(1);
      const controller = new AbortController();
      const result = limited.map([10, 10, 10], mapper as (x: number, i: number) => Promise<string>, {
        signal: controller.signal,
      });
      await sleep(5);
      controller.abort(new Error("enough"));
      expect(await outcome(result)).toEqual({ status: "rejected", error: new Error("enough") });
      expect(limited.pendingCount).toBe(0);
      await sleep(10);
      expect(limited.activeCount).toBe(0);
    },
  );

  it("a signal already aborted rejects at once and calls nothing", async () => {
    const limited = limit(1);
    let called = false;
    const result = limited.map(
      [1],
      () => {
        called = true;
      },
      { signal: AbortSignal.abort(new Error("early")) },
    );
    expect(await outcome(result)).toEqual({ status: "rejected", error: new Error("early") });
    expect(called).toBe(false);
  });

  it("cancelling it, or the task awaiting it, withdraws the waiting calls", async () => {
    const limited = limit(1);
    const started: number[] = [];
    const task = createTask(function* (): Coroutine<number[]> {
      return yield* limited.map([1, 2, 3], async (x) => {
        started.push(x);
        await sleep(10);
        return x;
      });
    });
    await sleep(5);
    task.cancel();
    const error = await expectCancelled(task);
    expect(isCancelledError(error)).toBe(true);
    await sleep(20);
    expect(started).toEqual([1]);
    expect([limited.activeCount, limited.pendingCount]).toEqual([0, 0]);
  });

  it("refuses input that is not iterable and a mapper that is not a function", () => {
    const limited = limit(1);
    expect(() => limited.map(42 as never, (x) => x)).toThrow(/limit\(\)\.map\(items, fn\): items must be iterable/);
    expect(() => limited.map([1], "f" as never)).toThrow(/limit\(\)\.map\(items, fn\): fn must be a function/);
  });
});
