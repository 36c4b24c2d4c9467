import { createTask, now, sleep } from "@taskio/core";
import { expectCancelled, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue } from "../src/index.js";
import { forms } from "./helpers.js";

// asyncio's behaviour: docs/asyncio-semantics.md#queue
describe.each([Queue, LifoQueue, PriorityQueue])("task accounting: %o", (Cls) => {
  it("join() on a queue never used is done at once, again and again", () => {
    const q = new Cls<number>();
    expect(q.join().done()).toBe(true);
    expect(q.join().done()).toBe(true);
  });

  it("taskDone() with nothing unfinished is a RangeError", () => {
    const q = new Cls<number>();
    expect(() => q.taskDone()).toThrow(RangeError);
    expect(() => q.taskDone()).toThrow("taskDone() called more times than items were put in the queue");
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    expect(() => q.taskDone()).toThrow(RangeError);
  });

  it.each(forms)("two %s workers over 100 items: join() resolves once every item is done", async (form) => {
    const q = new Cls<number>();
    let sum = 0;
    const worker = () =>
      form === "generator"
        ? createTask(function* () {
            for (;;) {
              const n = yield* q.get();
              yield* sleep(1);
              sum += n;
              q.taskDone();
            }
          })
        : createTask(async () => {
            for (;;) {
              const n = await q.get();
              await sleep(1);
              sum += n;
              q.taskDone();
            }
          });
    const workers = [worker(), worker()];
    for (let i = 0; i < 100; i++) q.putNowait(i);
    await q.join();
    expect(sum).toBe(4950);
    expect(now()).toBe(50);
    for (const w of workers) w.cancel();
    await Promise.all(workers.map((w) => expectCancelled(w)));
  });
});

describe("join()", () => {
  it("counts items handed straight to a waiting getter and items admitted from waiting putters", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    const g = q.get();
    q.putNowait(1);
    expect(g.result()).toBe(1);
    q.putNowait(2);
    const p = q.put(3);
    expect(String(q)).toContain("tasks=2");
    q.getNowait();
    expect(p.done()).toBe(true);
    expect(String(q)).toContain("tasks=3");
    q.getNowait();
    const joined = q.join();
    q.taskDone();
    q.taskDone();
    expect(joined.done()).toBe(false);
    q.taskDone();
    expect(joined.done()).toBe(true);
  });

  it("a cancelled or aborted put is not counted", () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    q.put(2).cancel();
    q.getNowait();
    q.taskDone();
    expect(q.join().done()).toBe(true);
  });

  it("wakes every waiting join, and a cancelled join leaves the others waiting", async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    const joins = [q.join(), q.join(), q.join()];
    joins[1]!.cancel();
    q.getNowait();
    q.taskDone();
    await tick();
    expect(joins.map((j) => (j.cancelled() ? "cancelled" : j.done() ? "done" : "pending"))).toEqual([
      "done",
      "cancelled",
      "done",
    ]);
  });

  it("a task waiting in join() can be cancelled", async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    const t = createTask(function* () {
      yield* q.join();
    });
    await tick();
    t.cancel();
    await expectCancelled(t);
    expect(q.qsize()).toBe(1);
  });
});
