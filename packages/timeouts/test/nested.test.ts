import { createTask, isCancelledError, now, sleep, type Task, TimeoutError } from "@taskio/core";
import { outcome, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { type Timeout, timeout, timeoutAt } from "../src/index.js";

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("nested scopes expiring together: only the outermost converts", () => {
  it("generator bodies with the same deadline: the inner lets CancelledError through, the outer raises TimeoutError", async () => {
    const deadline = now() + 10;
    let outer!: Timeout;
    let inner!: Timeout;
    let innerTask!: Task<void>;
    let seen: unknown;
    const task = timeoutAt(deadline, function* (o) {
      outer = o;
      innerTask = timeoutAt(deadline, function* (i) {
        inner = i;
        yield* sleep(10_000);
      });
      try {
        yield* innerTask;
      } catch (error) {
        seen = error;
        throw error;
      }
    });
    const result = await outcome(task);
    expect(result.status).toBe("rejected");
    expect((result as { error: unknown }).error).toBeInstanceOf(TimeoutError);
    expect(isCancelledError(seen)).toBe(true);
    expect(innerTask.cancelled()).toBe(true);
    expect(outer.expired()).toBe(true);
    expect(inner.expired()).toBe(true);
    expect(now()).toBe(10);
  });

  it("async bodies with the same deadline: the same", async () => {
    const deadline = now() + 10;
    let inner!: Timeout;
    let seen: unknown;
    const task = timeoutAt(deadline, async () => {
      try {
        await timeoutAt(deadline, async (i) => {
          inner = i;
          await sleep(10_000);
        });
      } catch (error) {
        seen = error;
        throw error;
      }
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(isCancelledError(seen)).toBe(true);
    expect(inner.expired()).toBe(true);
  });

  it("the inner timer fires first while the outer is due in the same turn: code after the inner scope never runs", async () => {
    const tl = timeline();
    let outer!: Timeout;
    let inner!: Timeout;
    let seen: unknown;
    const task = timeout(null, function* (o) {
      outer = o;
      try {
        yield* timeout(10, function* (i) {
          inner = i;
          o.reschedule(now() + 10); // the outer's timer now comes after the inner's, at the same time
          yield* sleep(10_000);
        });
      } catch (error) {
        seen = error;
        throw error;
      }
      tl.log("after the inner scope");
      yield* sleep(10_000);
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(isCancelledError(seen)).toBe(true);
    expect(tl.labels()).toEqual([]);
    expect(outer.expired()).toBe(true);
    expect(inner.expired()).toBe(true);
    expect(now()).toBe(10);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("nested scopes with different deadlines each report their own", () => {
  it("outer shorter: the inner (not expired) passes CancelledError, the outer raises its TimeoutError", async () => {
    let inner!: Timeout;
    let seen: unknown;
    const task = timeout(5, function* () {
      try {
        yield* timeout(10, function* (i) {
          inner = i;
          yield* sleep(10_000);
        });
      } catch (error) {
        seen = error;
        throw error;
      }
    });
    const result = await outcome(task);
    expect((result as { error: Error }).error.message).toBe("timeout() timed out after 5 ms");
    expect(isCancelledError(seen)).toBe(true);
    expect(inner.expired()).toBe(false);
    expect(now()).toBe(5);
  });

  it("inner shorter: the inner raises its TimeoutError, the outer body catches it and finishes normally", async () => {
    let outer!: Timeout;
    let seen: unknown;
    const task = timeout(10, async (o) => {
      outer = o;
      try {
        await timeout(5, async () => {
          await sleep(10_000);
        });
      } catch (error) {
        seen = error;
      }
      await sleep(1);
      return "outer finished";
    });
    expect(await task).toBe("outer finished");
    expect(seen).toBeInstanceOf(TimeoutError);
    expect((seen as Error).message).toBe("timeout() timed out after 5 ms");
    expect(outer.expired()).toBe(false);
    expect(now()).toBe(6);
  });

  it("a timeout inside the cleanup of an expired timeout works on its own", async () => {
    const tl = timeline();
    let innerError: unknown;
    const task = timeout(10, function* () {
      try {
        yield* sleep(1_000);
      } finally {
        try {
          yield* timeout(10, function* () {
            yield* sleep(10_000);
          });
        } catch (error) {
          innerError = error;
          tl.log("inner timed out");
        }
      }
    });
    const result = await outcome(task);
    const error = (result as { error: TimeoutError }).error;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isCancelledError(error.cause)).toBe(true);
    expect(innerError).toBeInstanceOf(TimeoutError);
    expect(innerError).not.toBe(error);
    expect(tl.stamped()).toEqual(["inner timed out@20"]);
  });

  it("a scope in a task the body spawned but does not await is independent", async () => {
    let child!: Task<string>;
    const task = timeout(10, function* () {
      child = createTask(function* () {
        return yield* timeout(10, function* () {
          yield* sleep(20);
          return "not reached";
        });
      });
      yield* sleep(1);
      return "parent done";
    });
    expect(await task).toBe("parent done");
    await expect(child).rejects.toBeInstanceOf(TimeoutError);
    expect(now()).toBe(10);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("scopes are tasks", () => {
  it("a generator scope whose deadline already passed fires before a nested scope's task starts: it never runs", async () => {
    let innerRan = false;
    let inner!: Task<void>;
    const task = timeout(0, function* () {
      inner = timeout(null, function* () {
        innerRan = true;
        yield* sleep(1);
      });
      yield* inner;
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(inner.cancelled()).toBe(true);
    expect(innerRan).toBe(false);
  });
});
