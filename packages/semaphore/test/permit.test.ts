/** `hold()`: a permit as a disposable, released exactly once. */
import { type Coroutine, createTask, isCancelledError, sleep } from "@taskio/core";
import { expectCancelled, outcome, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Lock, Permit, Semaphore } from "../src/index.js";

describe("hold(): a permit released by `using`", () => {
  it("a generator task's `using` releases the permit when the block ends, even on a throw", async () => {
    const sem = new Semaphore(1);
    const task = createTask(function* (): Coroutine<void> {
      using permit = yield* sem.hold();
      expect(permit).toBeInstanceOf(Permit);
      expect(sem.value).toBe(0);
      yield* sleep(5);
      throw new Error("boom");
    });
    expect(await outcome(task)).toEqual({ status: "rejected", error: new Error("boom") });
    expect(sem.value).toBe(1);
  });

  it("an async function's `using` releases the lock when the block ends", async () => {
    const lock = new Lock();
    const task = createTask(async () => {
      using held = await lock.hold();
      expect(lock.locked()).toBe(true);
      await sleep(5);
      return held.weight;
    });
    expect(await task).toBe(1);
    expect(lock.locked()).toBe(false);
  });

  it("a second release() of the same permit is a no-op, on a BoundedSemaphore and a Lock", async () => {
    const sem = new BoundedSemaphore(2);
    const permit = await sem.hold({ weight: 2 });
    permit.release();
    permit.release();
    permit[Symbol.dispose]();
    expect(permit.released).toBe(true);
    expect(sem.value).toBe(2);
    const lock = new Lock();
    const held = await lock.hold();
    held.release();
    expect(() => held.release()).not.toThrow();
    expect(lock.locked()).toBe(false);
  });

  it("waits in line like acquire(), by priority", async () => {
    const sem = new Semaphore(1);
    const first = await sem.hold();
    const log: string[] = [];
    const later = sem.hold().then((p) => {
      log.push("later");
      return p;
    });
    const urgent = sem.hold({ priority: 1 }).then((p) => {
      log.push("urgent");
      return p;
    });
    expect(sem.waiting).toBe(2);
    first.release();
    (await urgent).release();
    (await later).release();
    expect(log).toEqual(["urgent", "later"]);
    expect(sem.value).toBe(1);
  });

  it.each(["cancel", "abort"])("a hold withdrawn (%s) while it waits takes nothing", async (how) => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const hold = sem.hold({ signal: controller.signal });
    if (how === "cancel") expect(hold.cancel()).toBe(true);
    else controller.abort(new Error("gave up"));
    const end = await outcome(hold);
    if (how === "cancel") expect(isCancelledError((end as { error: unknown }).error)).toBe(true);
    else expect(end).toEqual({ status: "rejected", error: new Error("gave up") });
    expect(sem.waiting).toBe(0);
    sem.release();
    expect(sem.value).toBe(1);
  });

  it("a hold cancelled after its permit was handed over passes the permit on", async () => {
    const sem = new Semaphore(0);
    const hold = sem.hold();
    const next = sem.hold();
    sem.release(); // handed to `hold`, whose Future has not settled yet
    expect(hold.cancel()).toBe(true);
    await expectCancelled(hold);
    const permit = await next;
    expect(sem.value).toBe(0);
    permit.release();
    expect(sem.value).toBe(1);
  });

  it("a generator task cancelled while its hold waits takes nothing", async () => {
    const sem = new Semaphore(0);
    const task = createTask(function* (): Coroutine<void> {
      using _permit = yield* sem.hold({ weight: 2 });
    });
    await tick();
    task.cancel();
    await expectCancelled(task);
    sem.release(2);
    expect(sem.value).toBe(2);
  });

  it("cancelWaiters() rejects a waiting hold, which takes nothing", async () => {
    const lock = new Lock();
    const held = await lock.hold();
    const waiting = lock.hold();
    lock.cancelWaiters(new Error("closing"));
    expect(await outcome(waiting)).toEqual({ status: "rejected", error: new Error("closing") });
    held.release();
    expect(lock.locked()).toBe(false);
  });

  it("refuses bad options, naming the method", () => {
    expect(() => new Semaphore().hold({ weight: 0 })).toThrow(/Semaphore\.hold\(\): weight must be an integer >= 1/);
    expect(() => new Lock().hold({ priority: "x" as never })).toThrow(/Lock\.hold\(\): priority must be a number/);
  });
});
