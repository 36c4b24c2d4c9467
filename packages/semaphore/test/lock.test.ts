import { CancelledError, createTask, InvalidStateError, sleep, type Task } from "@taskio/core";
import { expectCancelled, outcome, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Lock } from "../src/index.js";

function taker(lock: Lock, got: number[], n: number): Task<boolean> {
  return createTask(function* () {
    yield* lock.acquire();
    got.push(n);
    return true;
  });
}

// asyncio's behaviour: docs/asyncio-semantics.md#scheduling
describe("Lock", () => {
  it("starts unlocked, prints like asyncio, and locks on acquire", async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    expect(String(lock)).toBe("<Lock [unlocked]>");
    const got = lock.acquire();
    expect(got.done()).toBe(true);
    expect(await got).toBe(true);
    expect(String(lock)).toBe("<Lock [locked]>");
    const waiting = lock.acquire();
    expect(String(lock)).toBe("<Lock [locked, waiters:1]>");
    waiting.cancel();
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("an uncontended acquire does not suspend a generator task", async () => {
    const lock = new Lock();
    const log: string[] = [];
    await createTask(function* () {
      createTask(function* () {
        log.push("other task");
      });
      yield* lock.acquire();
      log.push("acquired");
      lock.release();
      yield* sleep(0);
    });
    expect(log).toEqual(["acquired", "other task"]);
  });

  it("wakes waiters one release at a time, in arrival order", async () => {
    const lock = new Lock();
    const got: number[] = [];
    expect(await lock.acquire()).toBe(true);
    const t1 = taker(lock, got, 1);
    const t2 = taker(lock, got, 2);
    await tick();
    expect(got).toEqual([]);

    lock.release();
    await tick();
    expect(got).toEqual([1]);
    await tick();
    expect(got).toEqual([1]);

    const t3 = taker(lock, got, 3);
    lock.release();
    await tick();
    expect(got).toEqual([1, 2]);

    lock.release();
    await tick();
    expect(got).toEqual([1, 2, 3]);
    expect(await Promise.all([t1, t2, t3])).toEqual([true, true, true]);
    lock.release();
  });

  it("release() of an unlocked lock is an InvalidStateError", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(InvalidStateError);
    expect(() => lock.release()).toThrow(/not acquired/);
  });

  it("as in asyncio, locked() is false between a release and the woken waiter resuming, yet newcomers wait", async () => {
    const lock = new Lock();
    await lock.acquire();
    const waiting = lock.acquire();
    lock.release();
    expect(lock.locked()).toBe(false);
    const newcomer = lock.acquire();
    expect(newcomer.done()).toBe(false);
    expect(() => lock.release()).toThrow(InvalidStateError);
    await tick();
    expect(waiting.result()).toBe(true);
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(await newcomer).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("a cancelled acquire leaves no waiter behind", async () => {
    const lock = new Lock();
    await lock.acquire();
    const task = createTask(() => lock.acquire());
    await tick();
    task.cancel();
    await expectCancelled(task);
    expect(String(lock)).toBe("<Lock [locked]>");
    lock.release();
  });

  it("a waiter cancelled as the holder releases is skipped: the next one gets the lock", async () => {
    const lock = new Lock();
    const blocker = createTask(() => sleep(Infinity));
    const lockit = (blockOn?: Task<unknown>) =>
      createTask(function* () {
        yield* lock.acquire();
        try {
          if (blockOn) yield* outcomeOf(blockOn);
        } finally {
          lock.release();
        }
      });
    const ta = lockit(blocker);
    await tick();
    expect(lock.locked()).toBe(true);
    const tb = lockit();
    await tick();
    const tc = lockit();
    await tick();
    expect(String(lock)).toBe("<Lock [locked, waiters:2]>");

    blocker.cancel(); // A is about to release...
    tb.cancel(); // ...and B is cancelled in the same iteration
    await tick();
    expect(ta.done()).toBe(true);
    expect(tb.cancelled()).toBe(true);
    await tc;
    expect(lock.locked()).toBe(false);
  });

  it("cancel one waiter and release in one callback: exactly one task takes the lock", async () => {
    const lock = new Lock();
    let calls = 0;
    let locks = 0;
    const lockit = () =>
      createTask(async () => {
        calls++;
        await lock.acquire();
        locks++;
      });
    await lock.acquire();
    const [t1, t2, t3] = [lockit(), lockit(), lockit()];
    await tick();
    t1.cancel();
    lock.release();
    await expectCancelled(t1);
    expect(locks).toBe(1);
    expect(calls).toBe(3);
    expect(t2.done()).toBe(true);
    t3.cancel();
    await expectCancelled(t3);
    lock.release();
  });

  it("a waiter cancelled before a release does not strand the one behind it", async () => {
    const lock = new Lock();
    await lock.acquire();
    const tb = createTask(() => lock.acquire());
    await tick();
    const tc = createTask(() => lock.acquire());
    tb.cancel();
    lock.release();
    await tick();
    expect(lock.locked()).toBe(true);
    expect(tb.cancelled()).toBe(true);
    expect(await tc).toBe(true);
    lock.release();
  });

  it("a raw acquire woken then cancelled still owns the lock; its finally hands it on", async () => {
    const lock = new Lock();
    await lock.acquire();
    const log: string[] = [];
    const first = createTask(function* () {
      yield* lock.acquire();
      log.push("first has it");
      try {
        yield* sleep(100);
      } finally {
        lock.release();
      }
    });
    const second = createTask(async () => {
      await lock.acquire();
      log.push("second has it");
      lock.release();
    });
    await tick();
    lock.release();
    first.cancel();
    await expectCancelled(first);
    await second;
    expect(log).toEqual(["first has it", "second has it"]);
    expect(lock.locked()).toBe(false);
  });

  it("{ signal }: already aborted rejects at once; aborted while waiting withdraws", async () => {
    const lock = new Lock();
    const reason = new Error("abort");
    expect(lock.acquire({ signal: AbortSignal.abort(reason) }).exception()).toBe(reason);
    expect(lock.locked()).toBe(false);
    await lock.acquire();
    const controller = new AbortController();
    const waiting = lock.acquire({ signal: controller.signal });
    const next = lock.acquire();
    controller.abort(reason);
    expect(await outcome(waiting)).toEqual({ status: "rejected", error: reason });
    lock.release();
    expect(await next).toBe(true);
    lock.release();
    expect(() => lock.acquire({ signal: "x" as never })).toThrow(TypeError);
  });

  it("outside any task, a waiting acquire() is also a native promise; cancelled, it takes nothing", async () => {
    const lock = new Lock();
    await lock.acquire();
    const dropped = lock.acquire();
    const next = lock.acquire();
    expect(dropped).toBeInstanceOf(Promise);
    dropped.cancel();
    await expect(dropped).rejects.toBeInstanceOf(CancelledError);
    lock.release();
    expect(await next).toBe(true);
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });
});

/** Waits for `task` to end, whatever its outcome, without throwing. */
function* outcomeOf(task: Task<unknown>) {
  try {
    yield* task;
  } catch {
    // only the wait matters here
  }
}
