import { createTask, now, sleep, type Task } from "@taskio/core";
import { currentClock, expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../src/index.js";

/** Starts `n` tasks that each acquire once and log `label i` when granted. */
function acquirers(rate: RateLimiter, tl: ReturnType<typeof timeline>, labels: string[]): Task<void>[] {
  return labels.map((label) =>
    createTask(async () => {
      await rate.acquire();
      tl.log(label);
    }),
  );
}

describe("RateLimiter, sliding window (an extra, not in asyncio)", () => {
  it("grants `limit` at once, then each one `interval` after the one `limit` places before it", async () => {
    const rate = new RateLimiter({ limit: 2, interval: 100 });
    const tl = timeline();
    await Promise.all(acquirers(rate, tl, ["a", "b", "c", "d", "e"]));
    expect(tl.stamped()).toEqual(["a@0", "b@0", "c@100", "d@100", "e@200"]);
  });

  it("counts any `interval` window, not fixed buckets", async () => {
    const rate = new RateLimiter({ limit: 2, interval: 100 });
    const tl = timeline();
    await rate.acquire();
    tl.log("a");
    await sleep(50);
    await rate.acquire();
    tl.log("b");
    await sleep(10);
    await Promise.all(acquirers(rate, tl, ["c", "d", "e"]));
    expect(tl.stamped()).toEqual(["a@0", "b@50", "c@100", "d@150", "e@200"]);
  });

  it("a free slot with nobody waiting returns a done Future: a generator task does not suspend", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 1000 });
    const log: string[] = [];
    await createTask(function* () {
      createTask(function* () {
        log.push("other task");
      });
      const first = rate.acquire();
      expect(first.done()).toBe(true);
      yield* first;
      log.push("acquired");
      yield* sleep(0);
    });
    expect(log).toEqual(["acquired", "other task"]);
    expect(rate.acquire().done()).toBe(false);
    await sleep(1000);
  });

  it("is FIFO: a newcomer queues behind waiters even if a slot frees as it arrives", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 100 });
    const tl = timeline();
    const early = acquirers(rate, tl, ["a", "b", "c"]);
    await sleep(100);
    const late = acquirers(rate, tl, ["late"]);
    await Promise.all([...early, ...late]);
    expect(tl.stamped()).toEqual(["a@0", "b@100", "c@200", "late@300"]);
  });

  it("a cancelled waiter uses no slot: the next waiter gets the same time", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 100 });
    const tl = timeline();
    const [a, b, c] = acquirers(rate, tl, ["a", "b", "c"]);
    await sleep(10);
    b!.cancel();
    await Promise.all([a, c, outcome(b!)]);
    expect(b!.cancelled()).toBe(true);
    expect(tl.stamped()).toEqual(["a@0", "c@100"]);
  });

  it("an aborted waiter rejects with the signal's reason and uses no slot", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 100 });
    await rate.acquire();
    const controller = new AbortController();
    const reason = new Error("no longer needed");
    const waiting = rate.acquire({ signal: controller.signal });
    const next = rate.acquire();
    await sleep(30);
    controller.abort(reason);
    expect(await outcome(waiting)).toEqual({ status: "rejected", error: reason });
    expect(await next).toBe(true);
    expect(now()).toBe(100);
    expect(rate.acquire({ signal: AbortSignal.abort(reason) }).exception()).toBe(reason);
  });

  it("when the last waiter leaves, its timer goes too: time does not move", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 100 });
    const clock = currentClock()!;
    clock.autoAdvance = false;
    await rate.acquire();
    const waiting = rate.acquire();
    waiting.cancel();
    clock.autoAdvance = true;
    await clock.runUntilIdle();
    expect(now()).toBe(0);
    await sleep(100);
    expect(rate.acquire().done()).toBe(true);
  });

  it("run(fn) takes a slot, then runs the body as a task; cancelled before its slot, the body never runs", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 100 });
    const tl = timeline();
    const bodies = [1, 2, 3].map((n) =>
      rate.run(async (signal) => {
        tl.log(`body ${n}`);
        return signal.aborted ? -n : n;
      }),
    );
    await tick();
    bodies[1]!.cancel();
    expect(await outcome(bodies[0]!)).toEqual({ status: "fulfilled", value: 1 });
    await expectCancelled(bodies[1]!);
    expect(await bodies[2]).toBe(3);
    expect(tl.stamped()).toEqual(["body 1@0", "body 3@100"]);
  });

  it("a run() body granted its slot but cancelled before it resumes never runs (the slot is spent)", async () => {
    const rate = new RateLimiter({ limit: 2, interval: 100 });
    await rate.acquire();
    await rate.acquire();
    let ran = false;
    const ahead = rate.acquire();
    const task = rate.run(() => {
      ran = true;
    });
    // Granted in the same instant as `task`, just before it: cancel `task` before it resumes.
    ahead.addDoneCallback(() => task.cancel());
    await expectCancelled(task);
    expect(ran).toBe(false);
    expect(now()).toBe(100);
    const after = rate.acquire();
    expect(after.done()).toBe(false);
    await after;
    expect(now()).toBe(200);
  });
});

describe("RateLimiter, sliding window: memory follows the grants, not `limit`", () => {
  it("a huge limit costs nothing up front, and grants at one instant share one entry", async () => {
    const rate = new RateLimiter({ limit: 1e9, interval: 1000 });
    for (let i = 0; i < 10_000; i++) await rate.acquire();
    // Internal storage, looked at directly: one entry for the 10,000 grants made at time 0.
    expect(rate._stamps.length).toBe(1);
  });

  it("grants that left the window are forgotten, and the window still counts exactly", async () => {
    const rate = new RateLimiter({ limit: 3, interval: 100 });
    const tl = timeline();
    for (let i = 0; i < 300; i++) {
      await rate.acquire();
      tl.log(String(i));
      await sleep(7);
    }
    // 3 per any 100 ms: i is granted no earlier than 100 ms after grant i - 3.
    const times = tl.stamped().map((entry) => Number(entry.split("@")[1]));
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(100);
    expect(rate._stamps.length - rate._index).toBeLessThanOrEqual(3);
    expect(rate._stamps.length).toBeLessThan(80);
  });
});

describe("RateLimiter, fixed window", () => {
  it("admits `limit` per window; the window opens at the first acquisition", async () => {
    const rate = new RateLimiter({ limit: 2, interval: 100, window: "fixed" });
    const tl = timeline();
    await sleep(30);
    await Promise.all(acquirers(rate, tl, ["a", "b", "c", "d", "e"]));
    expect(tl.stamped()).toEqual(["a@30", "b@30", "c@130", "d@130", "e@230"]);
  });

  it("differs from sliding: a late acquisition in a window does not push the next window back", async () => {
    const rate = new RateLimiter({ limit: 2, interval: 100, window: "fixed" });
    const tl = timeline();
    await rate.acquire();
    tl.log("a");
    await sleep(90);
    await rate.acquire();
    tl.log("b");
    await Promise.all(acquirers(rate, tl, ["c", "d", "e"]));
    expect(tl.stamped()).toEqual(["a@0", "b@90", "c@100", "d@100", "e@200"]);
  });

  it("after an idle gap the next window opens at the next acquisition", async () => {
    const rate = new RateLimiter({ limit: 1, interval: 100, window: "fixed" });
    const tl = timeline();
    await rate.acquire();
    await sleep(250);
    await Promise.all(acquirers(rate, tl, ["a", "b"]));
    expect(tl.stamped()).toEqual(["a@250", "b@350"]);
  });
});

describe("RateLimiter: bad options", () => {
  it("names the option and what was expected", () => {
    expect(() => new RateLimiter(undefined as never)).toThrow(TypeError);
    expect(() => new RateLimiter({ limit: 0, interval: 10 })).toThrow(/options.limit must be an integer >= 1/);
    expect(() => new RateLimiter({ limit: 1.5, interval: 10 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, interval: 0 })).toThrow(/options.interval must be a finite number/);
    expect(() => new RateLimiter({ limit: 1, interval: Infinity })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, interval: "1s" as never })).toThrow(TypeError);
    expect(() => new RateLimiter({ limit: 1, interval: 10, window: "rolling" as never })).toThrow(
      /"sliding" or "fixed"/,
    );
    expect(() => new RateLimiter({ limit: 1, interval: 10 }).run(1 as never)).toThrow(TypeError);
  });

  it("prints its settings", () => {
    expect(String(new RateLimiter({ limit: 10, interval: 1000 }))).toBe("<RateLimiter [10 per 1000ms sliding]>");
  });
});
