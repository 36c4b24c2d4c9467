import { createTask, Future, isCancelledError, now, sleep } from "@taskio/core";
import { expectCancelled, outcome, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue } from "../src/index.js";
import { drain, forms, getter, putter, waiters } from "./helpers.js";

// asyncio's behaviour: docs/asyncio-semantics.md#scheduling
describe("operations that need not wait do not suspend (generator tasks)", () => {
  it("get on a non-empty queue and put on a non-full one finish inside the same step", async () => {
    const q = new Queue<number>({ maxsize: 2 });
    q.putNowait(1);
    const log: string[] = [];
    const task = createTask(function* () {
      const before = new Future<void>();
      before.setResult(undefined);
      before.addDoneCallback(() => log.push("callback queued before"));
      const item = yield* q.get();
      log.push(`got ${item}`);
      yield* q.put(2);
      yield* q.put(3);
      log.push("put 2 and 3");
    });
    await task;
    expect(log).toEqual(["got 1", "put 2 and 3", "callback queued before"]);
  });

  it("a get on an empty queue does suspend", async () => {
    const q = new Queue<number>();
    const log: string[] = [];
    const task = createTask(function* () {
      const before = new Future<void>();
      before.setResult(undefined);
      before.addDoneCallback(() => log.push("callback"));
      log.push(`got ${yield* q.get()}`);
    });
    await tick();
    expect(log).toEqual(["callback"]);
    q.putNowait(7);
    await task;
    expect(log).toEqual(["callback", "got 7"]);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#queue and #waitfor
describe.each(forms)("%s tasks", (form) => {
  it("put waits while the queue is full and resumes once a get frees a slot", async () => {
    const q = new Queue<number>({ maxsize: 2 });
    const havePut: number[] = [];
    const producer =
      form === "generator"
        ? createTask(function* () {
            for (const i of [0, 1, 2]) {
              yield* q.put(i);
              havePut.push(i);
            }
          })
        : createTask(async () => {
            for (const i of [0, 1, 2]) {
              await q.put(i);
              havePut.push(i);
            }
          });
    await tick();
    expect(havePut).toEqual([0, 1]);
    expect(await q.get()).toBe(0);
    await tick();
    expect(havePut).toEqual([0, 1, 2]);
    expect(await q.get()).toBe(1);
    expect(await q.get()).toBe(2);
    await producer;
  });

  it.each([1, 2])("a bounded producer/consumer pair (maxsize %i) never deadlocks", async (maxsize) => {
    const q = new Queue<number>({ maxsize });
    const got: number[] = [];
    const producer = createTask(async () => {
      for (let i = 0; i < 50; i++) await q.put(i);
    });
    const consumer =
      form === "generator"
        ? createTask(function* () {
            for (let i = 0; i < 50; i++) got.push(yield* q.get());
          })
        : createTask(async () => {
            for (let i = 0; i < 50; i++) got.push(await q.get());
          });
    await Promise.all([producer, consumer]);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("get waits while the queue is empty; a put wakes the first getter with the item", async () => {
    const q = new Queue<string>();
    const t = getter(q, form);
    await tick();
    expect(t.done()).toBe(false);
    await q.put("a");
    expect(await t).toBe("a");
    expect(q.qsize()).toBe(0);
  });

  it("a put from a timer wakes a blocked get", async () => {
    const q = new Queue<number>();
    sleep(10).addDoneCallback(() => q.putNowait(1));
    expect(await getter(q, form)).toBe(1);
    expect(now()).toBe(10);
  });

  it("waiting getters are served first come, first served", async () => {
    const q = new Queue<number>();
    const tasks = [getter(q, form), getter(q, form), getter(q, form)];
    await tick();
    expect(waiters(q).getters).toBe(3);
    for (const n of [1, 2, 3]) q.putNowait(n);
    expect(await Promise.all(tasks)).toEqual([1, 2, 3]);
  });

  it("each get admits exactly one waiting putter, in call order", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    q.putNowait("first");
    const a = putter(q, "a", form);
    const b = putter(q, "b", form);
    await tick();
    expect(waiters(q).putters).toBe(2);
    expect(q.getNowait()).toBe("first");
    expect(q.qsize()).toBe(1);
    expect(waiters(q).putters).toBe(1);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    await Promise.all([a, b]);
  });

  it("a waiting getter that was cancelled is skipped; the item goes to the next", async () => {
    const q = new Queue<string>();
    const t1 = getter(q, form);
    const t2 = getter(q, form);
    await tick();
    t1.cancel();
    await tick();
    await q.put("a");
    await tick();
    expect(await t2).toBe("a");
    await expectCancelled(t1);
    expect(q.qsize()).toBe(0);
  });

  it("a getter woken with an item and then cancelled keeps the item (nothing dropped)", async () => {
    const q = new Queue<number>();
    const reader = getter(q, form);
    await tick();
    q.putNowait(1);
    q.putNowait(2);
    expect(reader.cancel()).toBe(true);
    // The item is already in the reader's Future: the task resumes with it (DESIGN: no completed value dropped).
    expect(await reader).toBe(1);
    expect(reader.cancelled()).toBe(false);
    expect(await q.get()).toBe(2);
  });

  it("of three readers, the cancelled one takes nothing and the others get exactly the items", async () => {
    const q = new Queue<number>();
    const [r1, r2, r3] = [getter(q, form), getter(q, form), getter(q, form)];
    await tick();
    r1.cancel();
    q.putNowait(1);
    q.putNowait(2);
    await expectCancelled(r1);
    expect(new Set([await r2, await r3])).toEqual(new Set([1, 2]));
    expect(q.empty()).toBe(true);
  });

  it("of three readers woken by two puts, cancelling a woken one loses nothing", async () => {
    const q = new Queue<number>();
    const [r1, r2, r3] = [getter(q, form), getter(q, form), getter(q, form)];
    await tick();
    q.putNowait(1);
    q.putNowait(2);
    r1.cancel();
    r3.cancel();
    const results = await Promise.all([outcome(r1), outcome(r2), outcome(r3)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "cancelled"]);
    expect(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []))).toEqual([1, 2]);
    expect(q.qsize()).toBe(0);
    expect(waiters(q).getters).toBe(0);
  });

  it("a putter woken with a slot and then cancelled keeps its item in (no lost slot)", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    const w = putter(q, 2, form);
    await tick();
    expect(q.getNowait()).toBe(1);
    expect(q.qsize()).toBe(1);
    w.cancel();
    await w;
    expect(w.cancelled()).toBe(false);
    expect(q.getNowait()).toBe(2);
    expect(q.qsize()).toBe(0);
  });

  it("a putter cancelled while waiting frees nothing and a retried put succeeds", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    const w = putter(q, 2, form);
    await tick();
    w.cancel();
    await expectCancelled(w);
    expect(q.getNowait()).toBe(1);
    await q.put(2);
    expect(q.getNowait()).toBe(2);
    expect(q.qsize()).toBe(0);
  });

  it("a waiting putter that was cancelled never inserts and does not block those behind it", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    await q.put("a");
    const putB = putter(q, "b", form);
    const putX = putter(q, "X", form);
    const putC = putter(q, "c", form);
    await tick();
    putX.cancel();
    await tick();
    expect(q.getNowait()).toBe("a");
    await tick();
    expect(q.getNowait()).toBe("b");
    expect(putB.done()).toBe(true);
    await tick();
    expect(q.getNowait()).toBe("c");
    await expectCancelled(putX);
    await Promise.all([putB, putC]);
    expect(q.qsize()).toBe(0);
  });

  it("cancelled getters and putters leave the waiter lists", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    const gets = Array.from({ length: 100 }, () => getter(q, form));
    await tick();
    expect(waiters(q).getters).toBe(100);
    for (const t of gets) t.cancel();
    expect(waiters(q).getters).toBe(0);
    await Promise.all(gets.map((t) => expectCancelled(t)));
    q.putNowait(0);
    const puts = Array.from({ length: 100 }, (_, i) => putter(q, i + 1, form));
    await tick();
    expect(waiters(q).putters).toBe(100);
    for (const t of puts) t.cancel();
    expect(waiters(q).putters).toBe(0);
    await Promise.all(puts.map((t) => expectCancelled(t)));
    expect(drain(q)).toEqual([0]);
    expect(String(q)).toBe("<Queue maxsize=1 tasks=1>");
  });

  it("a getter whose task gives up after a time-out leaves no stale getter (waitFor emulated)", async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 20; i++) {
      const t = getter(q, form);
      await sleep(100);
      t.cancel("timed out");
      await expectCancelled(t);
    }
    expect(waiters(q).getters).toBe(0);
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
    expect(now()).toBe(2000);
  });

  it("a cancellation caught by the consumer does not lose the next item", async () => {
    const q = new Queue<number>();
    const t =
      form === "generator"
        ? createTask(function* () {
            try {
              yield* q.get();
            } catch (e) {
              if (!isCancelledError(e)) throw e;
            }
            return yield* q.get();
          })
        : createTask(async () => {
            try {
              await q.get();
            } catch (e) {
              if (!isCancelledError(e)) throw e;
            }
            return await q.get();
          });
    await tick();
    t.cancel();
    await tick();
    q.putNowait(5);
    expect(await t).toBe(5);
  });

  it("createTask(() => q.get()): cancelling the task withdraws the getter", async () => {
    const q = new Queue<number>();
    const t = createTask(() => q.get());
    await tick();
    expect(waiters(q).getters).toBe(1);
    t.cancel();
    await expectCancelled(t);
    expect(waiters(q).getters).toBe(0);
  });
});

describe("waiter Futures used directly", () => {
  it("cancelling a get() Future withdraws it at once", async () => {
    const q = new Queue<number>();
    const first = q.get();
    const second = q.get();
    expect(first.cancel()).toBe(true);
    expect(waiters(q).getters).toBe(1);
    q.putNowait(1);
    expect(await second).toBe(1);
    expect(first.cancelled()).toBe(true);
  });

  it("outside any task a waiting get() or put() is also a native promise; cancelled unawaited, it raises no unhandled rejection", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    const dropped = q.get();
    const kept = q.get();
    expect(kept).toBeInstanceOf(Future);
    expect(kept).toBeInstanceOf(Promise);
    expect(Promise.resolve(kept)).toBe(kept);
    dropped.cancel();
    q.putNowait(1);
    expect(await kept).toBe(1);
    q.putNowait(2);
    const put = q.put(3);
    expect(put).toBeInstanceOf(Promise);
    expect(q.getNowait()).toBe(2);
    await put;
    expect(q.getNowait()).toBe(3);
    await tick();
    expect(dropped.cancelled()).toBe(true);
  });

  it("inside a task a waiting get() is a plain Future, so cancelling the task withdraws it", async () => {
    const q = new Queue<number>();
    let inside: Future<number> | undefined;
    const task = createTask(async () => {
      inside = q.get();
      return await inside;
    });
    await tick();
    expect(inside).not.toBeInstanceOf(Promise);
    task.cancel();
    await expectCancelled(task);
    expect(waiters(q).getters).toBe(0);
  });

  it("cancelling a put() Future never adds its item", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    const p = q.put(2);
    expect(p.cancel("no")).toBe(true);
    expect(q.getNowait()).toBe(1);
    expect(q.empty()).toBe(true);
    expect(String(q)).toBe("<Queue maxsize=1 tasks=1>");
  });

  it("a done put() or get() Future cannot be cancelled", async () => {
    const q = new Queue<number>();
    const p = q.put(1);
    expect(p.done()).toBe(true);
    expect(p.cancel()).toBe(false);
    const g = q.get();
    expect(g.result()).toBe(1);
    expect(g.cancel()).toBe(false);
  });

  it("thousands of cancelled waiters do not pile up internally", () => {
    const q = new Queue<number>();
    const keep = q.get();
    for (let i = 0; i < 10_000; i++) q.get().cancel();
    const list = (q as unknown as { _getters: { _entries: { size: number } } })._getters._entries;
    expect(list.size).toBeLessThan(40);
    q.putNowait(1);
    expect(keep.result()).toBe(1);
    expect(list.size).toBe(0);
  });
});

describe("every queue kind hands items to waiters the same way", () => {
  it.each([Queue, LifoQueue, PriorityQueue])("%o", async (Cls) => {
    const q = new Cls<number>({ maxsize: 1 });
    const g = q.get();
    q.putNowait(5);
    expect(g.result()).toBe(5);
    q.putNowait(1);
    const p = q.put(2);
    expect(p.done()).toBe(false);
    expect(q.getNowait()).toBe(1);
    expect(p.done()).toBe(true);
    expect(q.getNowait()).toBe(2);
  });
});
