import {
  CancelledError,
  type Coroutine,
  createTask,
  ExceptionGroup,
  Future,
  isCancelledError,
  now,
  sleep,
} from "@taskio/core";
import { expectCancelled, outcome, settle, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { any, race } from "../src/index.js";

function* delayed<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

/** A child that needs `cleanupMs` to clean up after a cancellation, logging what happened. */
function slowToStop(log: ReturnType<typeof timeline>, name: string, ms: number, cleanupMs: number) {
  return async () => {
    try {
      await sleep(ms);
      return name;
    } catch (e) {
      log.log(`${name} cancelled`);
      await sleep(cleanupMs);
      log.log(`${name} cleaned up`);
      throw e;
    }
  };
}

describe("race", () => {
  it("settles like the first to finish, after cancelling and awaiting the others", async () => {
    const log = timeline();
    const loser = createTask(slowToStop(log, "slow", 1000, 50));
    const winner = await race([delayed(10, "fast"), loser]);
    log.log("race settled");
    expect(winner).toBe("fast");
    expect(loser.cancelled()).toBe(true);
    expect(log.stamped()).toEqual(["slow cancelled@10", "slow cleaned up@60", "race settled@60"]);
  });

  it("rejects with the first failure, after stopping the others", async () => {
    const log = timeline();
    const error = new RangeError("first");
    const r = race([
      slowToStop(log, "slow", 1000, 20),
      async () => {
        await sleep(10);
        throw error;
      },
    ]);
    expect(await outcome(r)).toEqual({ status: "rejected", error });
    expect(now()).toBe(30);
  });

  it("discards what the losers return or throw while stopping", async () => {
    const r = race([
      delayed(10, "winner"),
      async () => {
        try {
          await sleep(1000);
        } catch {}
        return "swallowed the cancel";
      },
      async () => {
        try {
          await sleep(1000);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: a loser failing in its cleanup
          throw new Error("cleanup failed");
        }
      },
    ]);
    expect(await r).toBe("winner");
    // The leak check would fail the test if the cleanup error had not been marked retrieved.
  });

  it("rejects with a child's CancelledError when a child is cancelled from outside first", async () => {
    const victim = createTask(() => sleep(1000));
    const r = race([victim, delayed(500, "late")]);
    await tick();
    victim.cancel("from outside");
    const result = await outcome(r);
    expect(result.status).toBe("rejected");
    expect(r.cancelled()).toBe(false);
    expect((r.exception() as Error).message).toBe("from outside");
    expect(isCancelledError(r.exception())).toBe(true);
  });

  it("picks the first already-done awaitable in input order", async () => {
    const a = new Future<string>();
    const b = new Future<string>();
    a.setResult("a");
    b.setResult("b");
    const pending = new Future<string>();
    const r = race([pending, b, a]);
    expect(pending.cancelled()).toBe(true);
    expect(await r).toBe("b");
    expect(race([a, b]).done()).toBe(true);
  });

  it("cancel() is a request: it stops the children, waits for them, then ends cancelled", async () => {
    const log = timeline();
    const r = race([slowToStop(log, "a", 1000, 30), slowToStop(log, "b", 1000, 10)]);
    await tick();
    expect(r.cancel("enough")).toBe(true);
    expect(r.done()).toBe(false);
    const error = await expectCancelled(r);
    expect(error.message).toBe("enough");
    expect(now()).toBe(30);
    expect(log.labels()).toEqual(["a cancelled", "b cancelled", "b cleaned up", "a cleaned up"]);
    expect(r.cancel()).toBe(false);
  });

  it("is cancelled with the task awaiting it, once its children have stopped", async () => {
    for (const kind of ["generator", "async"]) {
      const log = timeline();
      const child = createTask(slowToStop(log, "child", 1000, 20));
      const waiter =
        kind === "generator"
          ? createTask(function* () {
              return yield* race([child, delayed(500, "x")]);
            })
          : createTask(async () => await race([child, delayed(500, "x")]));
      await sleep(5);
      waiter.cancel();
      await expectCancelled(waiter);
      expect(child.done()).toBe(true);
      expect(log.labels()).toEqual(["child cancelled", "child cleaned up"]);
    }
  });

  it("refuses cancel() once a winner is decided; the winner's value stands", async () => {
    const log = timeline();
    const r = race([delayed(10, "won"), slowToStop(log, "loser", 1000, 50)]);
    await sleep(20);
    expect(r.done()).toBe(false); // still waiting for the loser to stop
    expect(r.cancel()).toBe(false);
    expect(await r).toBe("won");
  });

  it("refuses bad input", async () => {
    expect(() => race([])).toThrow(RangeError);
    expect(() => race(new Future() as never)).toThrow(/race\(aws\): aws must be an array/);
    expect(() => race([1] as never)).toThrow(/race\(aws\): element 0 is not awaitable/);
    expect(() => any([])).toThrow(/any\(aws\): aws must not be empty/);
    await settle();
  });
});

describe("any", () => {
  it("resolves to the first success, ignoring earlier failures, and stops the others", async () => {
    const log = timeline();
    const result = await any([
      async () => {
        await sleep(5);
        throw new Error("first attempt failed");
      },
      delayed(20, "second"),
      slowToStop(log, "third", 1000, 10),
    ]);
    expect(result).toBe("second");
    expect(now()).toBe(30);
    expect(log.stamped()).toEqual(["third cancelled@20", "third cleaned up@30"]);
  });

  it("rejects with an ExceptionGroup of every failure, in input order, when all fail", async () => {
    const e1 = new Error("one");
    const e2 = new TypeError("two");
    const cancelled = createTask(() => sleep(1000));
    const a = any([
      async () => {
        await sleep(20);
        throw e1;
      },
      function* () {
        yield* sleep(10);
        throw e2;
      },
      cancelled,
    ]);
    await tick();
    cancelled.cancel("gave up");
    const result = await outcome(a);
    expect(result.status).toBe("rejected");
    const group = (result as { error: ExceptionGroup }).error;
    expect(group).toBeInstanceOf(ExceptionGroup);
    expect(group.exceptions.slice(0, 2)).toEqual([e1, e2]);
    expect(group.exceptions[2]).toBeInstanceOf(CancelledError);
  });

  it("cancel() is a request that ends it cancelled", async () => {
    const a = any([delayed(100, 1), delayed(200, 2)]);
    await tick();
    expect(a.cancel()).toBe(true);
    await expectCancelled(a);
    expect(a.cancelled()).toBe(true);
  });

  it("accepts promises (which it cannot stop) and Futures", async () => {
    const fut = new Future<number>();
    const result = await any([Promise.reject(new Error("no")), fut, Promise.resolve(7)]);
    expect(result).toBe(7);
    expect(fut.cancelled()).toBe(true);
  });
});
