import { createTask } from "@taskio/core";
import { outcome, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueShutDown } from "../src/index.js";
import { forms, getter, putter } from "./helpers.js";

// asyncio's behaviour: docs/asyncio-semantics.md#queue
describe.each(forms)("graceful shutdown, %s tasks", (form) => {
  it("an empty queue: the waiting get rejects with QueueShutDown and join() is done", async () => {
    const q = new Queue<number>();
    const g = getter(q, form);
    await tick();
    q.shutdown();
    expect(await outcome(g)).toMatchObject({ status: "rejected", error: expect.any(QueueShutDown) });
    expect(q.join().done()).toBe(true);
    expect(() => q.getNowait()).toThrow(QueueShutDown);
    expect((await outcome(q.get())).status).toBe("rejected");
  });

  it("a full queue: the waiting put rejects, the item already in is still returned", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    q.putNowait("data");
    const p = putter(q, "late", form);
    await tick();
    q.shutdown();
    expect(await outcome(p)).toMatchObject({ status: "rejected", error: expect.any(QueueShutDown) });
    expect(await q.get()).toBe("data");
    expect(q.qsize()).toBe(0);
  });

  it("every waiting putter is rejected, none of their items is added", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(0);
    const puts = [1, 2, 3].map((n) => putter(q, n, form));
    await tick();
    q.shutdown();
    const results = await Promise.all(puts.map((p) => outcome(p)));
    expect(results.every((r) => r.status === "rejected" && r.error instanceof QueueShutDown)).toBe(true);
    expect(q.getNowait()).toBe(0);
    expect(q.empty()).toBe(true);
  });

  it("every waiting getter is rejected", async () => {
    const q = new Queue<number>();
    const gets = [getter(q, form), getter(q, form), getter(q, form)];
    await tick();
    q.shutdown();
    const results = await Promise.all(gets.map((g) => outcome(g)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
  });

  it("leaves the unfinished count alone: join() waits for every taskDone()", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    q.putNowait("data");
    const join = createTask(function* () {
      yield* q.join();
    });
    await tick();
    q.shutdown();
    expect(await q.get()).toBe("data");
    await tick();
    expect(join.done()).toBe(false);
    q.taskDone();
    await join;
    expect(() => q.taskDone()).toThrow(RangeError);
  });
});

describe("after shutdown", () => {
  it("put and putNowait raise QueueShutDown even when not full", async () => {
    const q = new Queue<number>();
    q.shutdown();
    expect(() => q.putNowait(1)).toThrow(QueueShutDown);
    expect(q.put(1).exception()).toBeInstanceOf(QueueShutDown);
    expect(q.qsize()).toBe(0);
  });

  it("gets drain the queued items and then raise QueueShutDown, not QueueEmpty", () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown();
    expect(q.get().result()).toBe(1);
    expect(q.getNowait()).toBe(2);
    const error = (() => {
      try {
        q.getNowait();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(QueueShutDown);
    expect(error).not.toBeInstanceOf(QueueEmpty);
  });

  it("shutdown is idempotent and can be made immediate later", () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.shutdown();
    q.shutdown();
    expect(q.qsize()).toBe(1);
    q.shutdown(true);
    expect(q.qsize()).toBe(0);
    expect(q.join().done()).toBe(true);
  });

  it("rejects a malformed argument", () => {
    const q = new Queue<number>();
    expect(() => q.shutdown(1 as never)).toThrow(/expected a boolean or \{ immediate: boolean \}, got 1/);
    expect(() => q.shutdown({ immediate: "yes" as never })).toThrow(/options\.immediate must be a boolean/);
    expect(String(q)).toBe("<Queue maxsize=0>");
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#queue
describe.each([
  ["true", true],
  ["{ immediate: true }", { immediate: true }],
] as const)("immediate shutdown(%s)", (_, arg) => {
  it.each([Queue, LifoQueue, PriorityQueue])("%o: discards the items, each counting as done", async (Cls) => {
    const q = new Cls<number>();
    q.putNowait(1);
    const join = q.join();
    q.shutdown(arg);
    expect(q.qsize()).toBe(0);
    await tick();
    expect(join.done()).toBe(true);
    expect(() => q.taskDone()).toThrow(RangeError);
    expect(() => q.getNowait()).toThrow(QueueShutDown);
  });

  it("items already taken but not done still hold join() back", async () => {
    const q = new Queue<string>();
    q.putNowait("one");
    q.putNowait("two");
    expect(q.getNowait()).toBe("one");
    const join = q.join();
    q.shutdown(arg);
    await tick();
    expect(join.done()).toBe(false);
    q.taskDone();
    await tick();
    expect(join.done()).toBe(true);
    expect(() => q.taskDone()).toThrow(RangeError);
  });

  it.each(forms)("%s tasks: waiting putters and getters are rejected", async (form) => {
    const full = new Queue<number>({ maxsize: 1 });
    full.putNowait(1);
    const p = putter(full, 2, form);
    const empty = new Queue<number>();
    const g = getter(empty, form);
    await tick();
    full.shutdown(arg);
    empty.shutdown(arg);
    expect(await outcome(p)).toMatchObject({ status: "rejected", error: expect.any(QueueShutDown) });
    expect(await outcome(g)).toMatchObject({ status: "rejected", error: expect.any(QueueShutDown) });
    expect(full.qsize()).toBe(0);
    expect(full.join().done()).toBe(true);
  });
});

describe("shutdown(true) wakes in asyncio's order", () => {
  it("join() first, then the waiting putters", async () => {
    const log: string[] = [];
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    q.put(2).addDoneCallback(() => log.push("putter"));
    q.join().addDoneCallback(() => log.push("join"));
    q.shutdown(true);
    await tick();
    expect(log).toEqual(["join", "putter"]);
  });
});
