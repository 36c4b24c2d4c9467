import { createTask, currentTask, Future, sleep, Task } from "@taskio/core";
import { expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { limit } from "../src/index.js";

describe("limit(n): p-limit on taskio (an extra)", () => {
  it("runs at most n functions at once, in call order, passing the arguments", async () => {
    const limited = limit(2);
    const tl = timeline();
    const job = async (name: string, ms: number) => {
      tl.log(`start ${name}`);
      await sleep(ms);
      return name.toUpperCase();
    };
    const tasks = [limited(job, "a", 30), limited(job, "b", 10), limited(job, "c", 10), limited(job, "d", 10)];
    expect(tasks[0]).toBeInstanceOf(Future);
    expect(tasks[0]).not.toBeInstanceOf(Task);
    expect(await Promise.all(tasks)).toEqual(["A", "B", "C", "D"]);
    expect(tl.stamped()).toEqual(["start a@0", "start b@0", "start c@10", "start d@20"]);
  });

  it("calls fn with exactly the arguments given, none when none were, whether it ran at once or waited", async () => {
    const limited = limit(1);
    const seen: unknown[][] = [];
    const record = (...args: unknown[]) => {
      seen.push(args);
      args.push("pushed by the body");
    };
    await Promise.all([limited(record), limited(record), limited(record, 1, 2), limited(record)]);
    expect(seen).toEqual([
      ["pushed by the body"],
      ["pushed by the body"],
      [1, 2, "pushed by the body"],
      ["pushed by the body"],
    ]);
  });

  it("reports activeCount and pendingCount right when a call returns, as p-limit does", async () => {
    const limited = limit(1);
    expect([limited.activeCount, limited.pendingCount, limited.concurrency]).toEqual([0, 0, 1]);
    const a = limited(() => sleep(10));
    expect([limited.activeCount, limited.pendingCount]).toEqual([1, 0]);
    const b = limited(() => sleep(10));
    expect([limited.activeCount, limited.pendingCount]).toEqual([1, 1]);
    await a;
    await b;
    expect([limited.activeCount, limited.pendingCount]).toEqual([0, 0]);
  });

  it("takes generator functions and plain functions too", async () => {
    const limited = limit(1);
    const g = limited(function* (x: number) {
      yield* sleep(5);
      return x * 2;
    }, 21);
    const p = limited((s: string) => s.length, "four");
    expect(await Promise.all([g, p])).toEqual([42, 4]);
  });

  it("frees the slot when a function fails", async () => {
    const limited = limit(1);
    const boom = new Error("boom");
    const bad = limited(async () => {
      throw boom;
    });
    const good = limited(() => "ok");
    expect(await outcome(bad)).toEqual({ status: "rejected", error: boom });
    expect(await good).toBe("ok");
    expect(limited.activeCount).toBe(0);
  });

  it("a call cancelled while waiting never runs and frees its place in line", async () => {
    const limited = limit(1);
    const log: string[] = [];
    const first = limited(() => sleep(10));
    const second = limited(() => log.push("second"));
    const third = limited(() => log.push("third"));
    await tick();
    expect(second.cancel()).toBe(true);
    await expectCancelled(second);
    expect(limited.pendingCount).toBe(1);
    await first;
    await third;
    expect(log).toEqual(["third"]);
  });

  it("a call woken with its slot but cancelled before it starts never runs and is not counted", async () => {
    const limited = limit(1);
    const gate = new Future<string>();
    let ran = false;
    const first = limited(() => gate);
    const second = limited(() => {
      ran = true;
    });
    await tick();
    // Registered after `first`'s wake-up: runs once `first` has handed its slot to `second`.
    gate.addDoneCallback(() => second.cancel());
    gate.setResult("first");
    expect(await first).toBe("first");
    await expectCancelled(second);
    expect(ran).toBe(false);
    expect([limited.activeCount, limited.pendingCount]).toEqual([0, 0]);
    expect(await limited(() => "next")).toBe("next");
  });

  it("clearQueue() cancels every call that has not started; running ones finish", async () => {
    const limited = limit(1);
    const running = limited(async () => {
      await sleep(10);
      return "done";
    });
    const queued = [limited(() => "x"), limited(() => "y")];
    await tick();
    limited.clearQueue();
    expect(limited.pendingCount).toBe(0);
    for (const task of queued) await expectCancelled(task);
    expect(await running).toBe("done");
  });

  it("a free slot runs the function at once, inline, before the call returns", () => {
    const limited = limit(1);
    const log: string[] = [];
    const call = limited((x: string) => log.push(x), "inline");
    expect(log).toEqual(["inline"]);
    expect(call.done()).toBe(true);
    expect(limited.activeCount).toBe(0);
  });

  it.each(["generator", "async"] as const)(
    "the function runs in the caller's %s task, waiting or not: currentTask() is the caller",
    async (form) => {
      const limited = limit(1);
      const seen: unknown[] = [];
      const look = () => seen.push(currentTask());
      const caller =
        form === "generator"
          ? createTask(function* () {
              yield* limited(() => sleep(5));
              yield* limited(look);
            })
          : createTask(async () => {
              const first = limited(() => sleep(5));
              await Promise.all([first, limited(look)]);
            });
      await caller;
      expect(seen).toEqual([caller]);
      expect(limited(() => currentTask()).result()).toBeUndefined();
    },
  );

  it("a call withdrawn while it waits leaves the limiter at once, holding nothing", () => {
    const limited = limit(1);
    const running = limited(() => sleep(10));
    const abandoned = Array.from({ length: 1000 }, () => limited(() => "never"));
    expect(limited.pendingCount).toBe(1000);
    for (const call of abandoned) expect(call.cancel()).toBe(true);
    expect(limited.pendingCount).toBe(0);
    expect(abandoned.every((call) => call.cancelled())).toBe(true);
    running.cancel();
  });

  it("accepts Infinity and refuses anything that is not an integer >= 1", () => {
    expect(limit(Infinity).concurrency).toBe(Infinity);
    expect(() => limit(0)).toThrow(RangeError);
    expect(() => limit(1.5)).toThrow(/integer >= 1 \(or Infinity\)/);
    expect(() => limit("2" as never)).toThrow(TypeError);
    expect(() => limit(1)(42 as never)).toThrow(/fn must be a function/);
  });
});
