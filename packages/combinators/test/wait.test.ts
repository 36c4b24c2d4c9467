import { type Coroutine, createTask, Future, now, sleep, type Task } from "@taskio/core";
import { expectCancelled, outcome, settle, tick } from "@taskio/testkit";
import { describe, expect, it, vi } from "vitest";
import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, wait } from "../src/index.js";

function delayed<T>(ms: number, value: T): Task<T> {
  return createTask(function* (): Coroutine<T> {
    yield* sleep(ms);
    return value;
  });
}

function failAfter(ms: number, error: Error): Task<never> {
  return createTask(async () => {
    await sleep(ms);
    throw error;
  });
}

// asyncio's behaviour: docs/asyncio-semantics.md#wait
describe("wait", () => {
  it("waits for everything by default and returns [done, pending]", async () => {
    const b = delayed(150, "b");
    const a = delayed(100, "a");
    const [done, pending] = await wait([b, a]);
    expect(now()).toBe(150);
    expect(done).toEqual(new Set([a, b]));
    expect(pending.size).toBe(0);
    expect([a.result(), b.result()]).toEqual(["a", "b"]);
    // Everything already done: no time passes.
    const [again] = await wait([a, b], { returnWhen: ALL_COMPLETED });
    expect(again.size).toBe(2);
    expect(now()).toBe(150);
  });

  it("accepts any iterable and collapses duplicates", async () => {
    const c = delayed(10, "c");
    const d = delayed(20, "d");
    const [done] = await wait([c, c, d]);
    expect(done.size).toBe(2);
    function* tasks() {
      yield c;
      yield d;
    }
    expect((await wait(tasks()))[0].size).toBe(2);
    expect((await wait(new Set([c, d]).values()))[0].size).toBe(2);
  });

  it("refuses bad arguments with typed errors", async () => {
    const task = delayed(10, 1);
    expect(() => wait([])).toThrow(RangeError);
    expect(() => wait([])).toThrow(/must not be empty/);
    expect(() => wait([task], { returnWhen: "SOMETIMES" as never })).toThrow(RangeError);
    expect(() => wait(task as never)).toThrow(/expected an iterable of Futures/);
    expect(() => wait([async () => 1] as never)).toThrow(/wrap a coroutine or function with createTask\(\)/);
    expect(() => wait([Promise.resolve(1)] as never)).toThrow(/a promise with ensureFuture\(\)/);
    expect(() => wait(42 as never)).toThrow(TypeError);
    expect(() => wait([task], { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => wait([task], { timeout: "1" as never })).toThrow(TypeError);
    await task;
  });

  it("returns at the first completion with FIRST_COMPLETED and cancels nothing", async () => {
    const b = delayed(100, "b");
    const a = delayed(10_000, "a");
    const [done, pending] = await wait([b, a], { returnWhen: FIRST_COMPLETED });
    expect(now()).toBe(100);
    expect(done).toEqual(new Set([b]));
    expect(pending).toEqual(new Set([a]));
    expect(a.done()).toBe(false);
    expect(await a).toBe("a");
  });

  it("sorts done and pending when it returns, not when the first Future finished", async () => {
    // a finishes first; b finishes in a callback queued before wait resolves, so it is done too.
    const gate = new Future<void>();
    const gate2 = new Future<void>();
    const a = createTask(function* () {
      yield* gate;
      return "a";
    });
    const b = createTask(function* () {
      yield* gate;
      yield* gate2;
      return "b";
    });
    await settle();
    gate.addDoneCallback(() => gate2.setResult());
    const waiting = wait([b, a], { returnWhen: FIRST_COMPLETED });
    gate.setResult();
    const [done, pending] = await waiting;
    expect(done).toEqual(new Set([a, b]));
    expect(pending.size).toBe(0);
  });

  it("returns at the first failure with FIRST_EXCEPTION, even one that failed before the call", async () => {
    const a = delayed(10_000, "a");
    const early = new Future<number>();
    early.setException(new Error("already failed"));
    let [done, pending] = await wait([a, early], { returnWhen: FIRST_EXCEPTION });
    expect(now()).toBe(0);
    expect(done).toEqual(new Set([early]));
    expect(pending).toEqual(new Set([a]));

    const b = failAfter(10, new Error("b failed"));
    [done, pending] = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
    expect(now()).toBe(10);
    expect(done).toEqual(new Set([b]));
    expect(pending).toEqual(new Set([a]));
    expect(b.exception()).toBeInstanceOf(Error);
    a.cancel();
    await outcome(a);
  });

  it("does not count a cancellation as an exception with FIRST_EXCEPTION", async () => {
    const a = delayed(10_000, "a");
    const b = delayed(50, "b");
    sleep(10).addDoneCallback(() => a.cancel());
    const [done, pending] = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
    expect(now()).toBe(50);
    expect(done).toEqual(new Set([a, b]));
    expect(pending.size).toBe(0);
    expect(a.cancelled()).toBe(true);
  });

  it("never throws the Futures' errors", async () => {
    const error = new TypeError("kept inside");
    const bad = failAfter(10, error);
    const good = delayed(20, "ok");
    const [done] = await wait([bad, good]);
    expect(done.size).toBe(2);
    expect(bad.exception()).toBe(error);
  });

  it("returns at the timeout without raising and cancels nothing", async () => {
    const a = delayed(100, "a");
    const b = delayed(150, "b");
    const [done, pending] = await wait([a, b], { timeout: 110 });
    expect(now()).toBe(110);
    expect(done).toEqual(new Set([a]));
    expect(pending).toEqual(new Set([b]));
    expect(await b).toBe("b");
    expect(now()).toBe(150);
  });

  it("counts a Future finishing at the deadline as done", async () => {
    const a = delayed(100, "a");
    const b = delayed(150, "b");
    await tick(); // the tasks' timers start before wait's, as in asyncio's test
    const [done, pending] = await wait([a, b], { timeout: 100 });
    expect(done).toEqual(new Set([a]));
    expect(pending).toEqual(new Set([b]));
    await b;
  });

  it("with timeout 0 returns the classification as it stands", async () => {
    const finished = new Future<number>();
    finished.setResult(1);
    const running = delayed(100, "r");
    const [done, pending] = await wait([finished, running], { timeout: 0 });
    expect(done).toEqual(new Set([finished]));
    expect(pending).toEqual(new Set([running]));
    expect(running.done()).toBe(false);
    expect(now()).toBe(0);
    await running;
  });

  it("removes its callbacks and its timer when it returns", async () => {
    const fut = new Future<number>();
    const remove = vi.spyOn(fut, "removeDoneCallback");
    const quick = delayed(10, "q");
    await wait([fut, quick], { returnWhen: FIRST_COMPLETED, timeout: 60_000 });
    // It removed the one callback it had registered, and none is left behind.
    expect(remove).toHaveBeenCalledTimes(1);
    expect(remove.mock.results[0]!.value).toBe(1);
    expect(fut.removeDoneCallback(remove.mock.calls[0]![0])).toBe(0);
    // No timer is left: the auto-advancing clock has nowhere to jump.
    await settle();
    expect(now()).toBe(10);
    fut.setResult(1);
  });

  it("is cancelled alone: the task awaiting it is cancelled, the Futures are not", async () => {
    for (const kind of ["generator", "async"]) {
      let proof = 0;
      const waiter = new Future<void>();
      const inner = createTask(async () => {
        await waiter;
        proof += 1;
      });
      const outer =
        kind === "generator"
          ? createTask(function* () {
              yield* wait([inner]);
              proof += 100;
            })
          : createTask(async () => {
              await wait([inner]);
              proof += 100;
            });
      await tick();
      outer.cancel();
      await expectCancelled(outer);
      expect(inner.done()).toBe(false);
      waiter.setResult();
      await inner;
      expect(proof).toBe(1);
    }
  });

  it("cancel() cancels the wait at once and detaches it", async () => {
    const fut = new Future<number>();
    const remove = vi.spyOn(fut, "removeDoneCallback");
    const w = wait([fut], { timeout: 1000 });
    expect(w.cancel()).toBe(true);
    expect(w.cancelled()).toBe(true);
    expect(remove).toHaveBeenCalledTimes(1);
    expect(fut.done()).toBe(false);
    expect(w.cancel()).toBe(false);
    await settle();
    expect(now()).toBe(0);
  });

  it("works outside any task and with yield*", async () => {
    const a = delayed(5, 1);
    const task = createTask(function* () {
      const [done] = yield* wait([a]);
      return done.has(a);
    });
    expect(await task).toBe(true);
  });
});
