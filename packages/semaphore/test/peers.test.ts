/**
 * What users of async-mutex and async-sema rely on: `waiting`, `acquire({ priority })`,
 * `waitForUnlock()` and `cancelWaiters()`, on Semaphore, BoundedSemaphore and Lock.
 */
import {
  CancelledError,
  type Coroutine,
  createTask,
  type Future,
  isCancelledError,
  sleep,
  type Task,
} from "@taskio/core";
import { cpuTime, expectCancelled, outcome, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Lock, Semaphore } from "../src/index.js";

interface Takes {
  acquire(options?: { signal?: AbortSignal; priority?: number; weight?: number }): Future<true>;
}

/** A task (generator or async function) that takes a permit with `options`, logs `name`, and keeps it. */
const forms = {
  generator: (sem: Takes, log: string[], name: string, options?: object): Task<void> =>
    createTask(function* (): Coroutine<void> {
      yield* sem.acquire(options);
      log.push(name);
    }),
  "async function": (sem: Takes, log: string[], name: string, options?: object): Task<void> =>
    createTask(async () => {
      await sem.acquire(options);
      log.push(name);
    }),
};
const bothForms = Object.entries(forms);

describe("waiting: how many acquirers are queued", () => {
  it.each(bothForms)("counts queued acquirers of a Semaphore and a Lock, not holders (%s)", async (_, take) => {
    const sem = new Semaphore(1);
    const lock = new Lock();
    const log: string[] = [];
    take(sem, log, "a");
    take(lock, log, "a");
    await tick();
    expect([sem.waiting, lock.waiting]).toEqual([0, 0]);
    const waiters = [take(sem, log, "b"), take(sem, log, "c"), take(lock, log, "b")];
    await tick();
    expect([sem.waiting, lock.waiting]).toEqual([2, 1]);
    waiters[0]!.cancel();
    await tick();
    expect(sem.waiting).toBe(1);
    sem.release();
    lock.release();
    expect([sem.waiting, lock.waiting]).toEqual([0, 0]);
    await Promise.all(waiters.map((w) => outcome(w)));
  });

  it("counts a queued run() call and drops an aborted one", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const call = sem.run(() => "ran", { signal: controller.signal });
    expect(sem.waiting).toBe(1);
    controller.abort(new Error("gave up"));
    expect(sem.waiting).toBe(0);
    expect(await outcome(call)).toEqual({ status: "rejected", error: new Error("gave up") });
  });
});

describe("acquire({ priority }): higher first, FIFO within a priority", () => {
  it.each(bothForms)("serves waiters by priority, then in arrival order (%s)", async (_, take) => {
    const sem = new Semaphore(1);
    const log: string[] = [];
    take(sem, log, "holder");
    await tick();
    take(sem, log, "low", { priority: -1 });
    take(sem, log, "first 0");
    take(sem, log, "high", { priority: 5 });
    take(sem, log, "second 0", { priority: 0 });
    take(sem, log, "mid", { priority: 1 });
    await tick();
    for (let i = 0; i < 5; i++) {
      sem.release();
      await tick();
    }
    expect(log).toEqual(["holder", "high", "mid", "first 0", "second 0", "low"]);
  });

  it.each(bothForms)("orders a Lock's waiters the same way (%s)", async (_, take) => {
    const lock = new Lock();
    const log: string[] = [];
    take(lock, log, "holder");
    await tick();
    take(lock, log, "a");
    take(lock, log, "urgent", { priority: 10 });
    take(lock, log, "b");
    await tick();
    for (let i = 0; i < 3; i++) {
      lock.release();
      await tick();
    }
    expect(log).toEqual(["holder", "urgent", "a", "b"]);
  });

  it("takes a free permit at once whatever the priority, but never past a queued waiter of its priority", async () => {
    const sem = new Semaphore(2);
    expect(sem.acquire({ priority: -3 }).done()).toBe(true);
    const log: string[] = [];
    forms.generator(sem, log, "heavy", { weight: 2 });
    await tick();
    // One permit is free, but the heavy waiter is queued: a newcomer of its priority queues behind it.
    const next = sem.acquire();
    expect(next.done()).toBe(false);
    expect(sem.waiting).toBe(2);
    sem.release();
    await tick();
    expect(log).toEqual(["heavy"]);
    expect(next.done()).toBe(false);
  });

  it.each(bothForms)(
    "serves a waiter that queues ahead of one that does not fit from what is free, as async-mutex does (%s)",
    async (_, take) => {
      const sem = new Semaphore(2);
      await sem.acquire();
      const log: string[] = [];
      const heavy = take(sem, log, "heavy", { weight: 2 });
      await tick();
      // One permit is free; the urgent waiter heads the line, ahead of the heavy one, and fits.
      take(sem, log, "urgent", { priority: 1 });
      await tick();
      expect(log).toEqual(["urgent"]);
      expect(sem.value).toBe(0);
      expect(sem.waiting).toBe(1);
      heavy.cancel();
      await expectCancelled(heavy);
    },
  );

  it("a run() served that way ignores its signal once the body runs, and gives the permit back", async () => {
    const sem = new Semaphore(2);
    await sem.acquire();
    const heavy = sem.acquire({ weight: 2 });
    const controller = new AbortController();
    const call = sem.run(
      async () => {
        await sleep(20);
        return "body's value";
      },
      { priority: 1, signal: controller.signal },
    );
    await sleep(5);
    controller.abort(new Error("aborted while the body runs"));
    expect(await call).toBe("body's value");
    expect(sem.value).toBe(1);
    heavy.cancel();
  });

  it("with weights, a heavy high-priority waiter at the head holds lighter ones back", async () => {
    const sem = new Semaphore(3);
    sem.acquire({ weight: 3 });
    const log: string[] = [];
    forms.generator(sem, log, "light", { weight: 1 });
    forms.generator(sem, log, "heavy", { weight: 3, priority: 1 });
    await tick();
    sem.release(2);
    await tick();
    expect(log).toEqual([]);
    sem.release(1);
    await tick();
    expect(log).toEqual(["heavy"]);
    sem.release(3);
    await tick();
    expect(log).toEqual(["heavy", "light"]);
    expect(sem.value).toBe(2);
  });

  it("a cancelled or aborted high-priority waiter takes nothing and the next in line is served", async () => {
    const sem = new Semaphore(0);
    const log: string[] = [];
    const controller = new AbortController();
    forms["async function"](sem, log, "plain");
    const aborted = forms.generator(sem, log, "aborted", { priority: 2, signal: controller.signal });
    const cancelled = forms.generator(sem, log, "cancelled", { priority: 1 });
    await tick();
    controller.abort(new Error("no"));
    cancelled.cancel();
    await expect(aborted).rejects.toThrow("no");
    await expectCancelled(cancelled);
    sem.release();
    await tick();
    expect(log).toEqual(["plain"]);
    expect(sem.value).toBe(0);
    expect(sem.waiting).toBe(0);
  });

  it("run() takes a priority too", async () => {
    const sem = new Semaphore(1);
    const log: string[] = [];
    const holder = sem.run(() => sleep(10));
    const calls = [
      sem.run(() => log.push("normal")),
      sem.run(() => log.push("first"), { priority: 3 }),
      sem.run(() => log.push("second"), { priority: 3 }),
    ];
    await Promise.all([holder, ...calls]);
    expect(log).toEqual(["first", "second", "normal"]);
  });

  it("an urgent waiter joins a long line of lower-priority ones at once, however long the line", async () => {
    // Each urgent waiter used to walk back past every low-priority one: 30,000 of each took
    // about 15 s on one core, with the event loop blocked throughout.
    const sem = new Semaphore(0);
    const low = Array.from({ length: 30_000 }, () => sem.acquire({ priority: 0 }));
    const urgent: Future<true>[] = [];
    const used = await cpuTime(() => {
      for (let i = 0; i < 30_000; i++) urgent.push(sem.acquire({ priority: 1 + (i % 3) }));
    });
    // Generous for a loaded machine: the linear queue takes tens of milliseconds.
    expect(used).toBeLessThan(2_000);
    expect(sem.waiting).toBe(60_000);
    const done = new Error("done");
    sem.cancelWaiters(done);
    expect([...low, ...urgent].every((waiter) => waiter.exception() === done)).toBe(true);
  });

  it("waiters that each bring a priority of their own queue at once, and are served highest first", async () => {
    // Each such waiter used to scan every priority queued: 50,000 took about 19 s.
    const sem = new Semaphore(0);
    const priorities = Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 50_000);
    const waiters: Future<true>[] = [];
    const used = await cpuTime(() => {
      for (const priority of priorities) waiters.push(sem.acquire({ priority }));
    });
    // Generous for a loaded machine: the index takes under 100 milliseconds.
    expect(used).toBeLessThan(2_000);
    const served: number[] = [];
    for (const [i, waiter] of waiters.entries()) waiter.addDoneCallback(() => served.push(priorities[i]!));
    sem.release(50_000);
    await tick();
    expect(served).toEqual([...priorities].sort((a, b) => b - a));
  });

  it("serves mixed priorities in order while urgent waiters keep passing a backlog", async () => {
    const sem = new Semaphore(0);
    const log: string[] = [];
    const take = (name: string, priority: number) => sem.acquire({ priority }).then(() => log.push(name));
    const waits = [take("low 1", 0), take("low 2", 0), take("urgent 1", 2), take("mid 1", 1)];
    sem.release();
    await tick();
    waits.push(take("urgent 2", 2), take("low 3", 0), take("mid 2", 1));
    for (let i = 0; i < 6; i++) sem.release();
    await Promise.all(waits);
    expect(log).toEqual(["urgent 1", "urgent 2", "mid 1", "mid 2", "low 1", "low 2", "low 3"]);
  });

  it("refuses a priority that is not a number, naming it", () => {
    const sem = new Semaphore();
    expect(() => sem.acquire({ priority: "high" as never })).toThrow(
      /Semaphore\.acquire\(\): priority must be a number.*got "high"/,
    );
    expect(() => new Lock().acquire({ priority: Number.NaN })).toThrow(RangeError);
  });
});

describe("waitForUnlock(): resolves when a permit could be taken, without taking it", () => {
  it.each(bothForms)("resolves once the holder releases, and takes nothing (%s)", async (_, take) => {
    const sem = new Semaphore(1);
    const lock = new Lock();
    const log: string[] = [];
    take(sem, log, "sem holder");
    take(lock, log, "lock holder");
    await tick();
    const semUnlocked = sem.waitForUnlock();
    const lockUnlocked = lock.waitForUnlock();
    await tick();
    expect([semUnlocked.done(), lockUnlocked.done()]).toEqual([false, false]);
    sem.release();
    lock.release();
    expect(await semUnlocked).toBe(true);
    expect(await lockUnlocked).toBe(true);
    expect([sem.value, sem.locked(), lock.locked()]).toEqual([1, false, false]);
  });

  it("is already done when nothing holds or waits", () => {
    expect(new Semaphore(2).waitForUnlock().done()).toBe(true);
    expect(new Lock().waitForUnlock().done()).toBe(true);
  });

  it("waits behind queued acquirers: it resolves only when nobody is ahead", async () => {
    const lock = new Lock();
    const log: string[] = [];
    await lock.acquire();
    forms.generator(lock, log, "next");
    await tick();
    const unlocked = lock.waitForUnlock();
    lock.release();
    await tick();
    expect(log).toEqual(["next"]);
    expect(unlocked.done()).toBe(false);
    lock.release();
    expect(await unlocked).toBe(true);
  });

  it("with a weight, resolves once that many permits are free", async () => {
    const sem = new BoundedSemaphore(3);
    await sem.acquire({ weight: 3 });
    const two = sem.waitForUnlock({ weight: 2 });
    sem.release();
    await tick();
    expect(two.done()).toBe(false);
    sem.release();
    expect(await two).toBe(true);
    expect(sem.value).toBe(2);
    expect(() => sem.waitForUnlock({ weight: 4 })).toThrow(/weight 4 is more than the 3 permits/);
  });

  it("resolves every watcher a release satisfies, lightest first and in arrival order within a weight", async () => {
    const sem = new Semaphore(0);
    const log: string[] = [];
    const watch = (name: string, weight: number) => sem.waitForUnlock({ weight }).then(() => log.push(name));
    const watched = [watch("3 a", 3), watch("1 a", 1), watch("5", 5), watch("3 b", 3), watch("1 b", 1)];
    sem.release(3);
    await tick();
    expect(log).toEqual(["1 a", "1 b", "3 a", "3 b"]);
    sem.release(2);
    await Promise.all(watched);
    expect(log).toEqual(["1 a", "1 b", "3 a", "3 b", "5"]);
  });

  it("a release does not look again at watchers it cannot satisfy, however many there are", async () => {
    // Each release used to walk every watcher: 30,000 watchers for more than is ever free and
    // 30,000 single releases took about 6 s on one core, with the event loop blocked.
    const sem = new Semaphore(0);
    const heavy = Array.from({ length: 30_000 }, () => sem.waitForUnlock({ weight: 30_001 }));
    const light = sem.waitForUnlock();
    const used = await cpuTime(() => {
      for (let i = 0; i < 30_000; i++) sem.release();
    });
    // Generous for a loaded machine: this takes a few milliseconds.
    expect(used).toBeLessThan(2_000);
    expect(await light).toBe(true);
    expect(heavy.some((watcher) => watcher.done())).toBe(false);
    sem.release();
    expect(await Promise.all(heavy)).toEqual(heavy.map(() => true));
  });

  it("is cancellable and abortable, and a withdrawn watcher changes nothing", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const cancelled = sem.waitForUnlock();
    const aborted = sem.waitForUnlock({ signal: controller.signal });
    const kept = sem.waitForUnlock();
    expect(cancelled.cancel()).toBe(true);
    controller.abort(new Error("stop"));
    await expectCancelled(cancelled);
    expect(await outcome(aborted)).toEqual({ status: "rejected", error: new Error("stop") });
    sem.release();
    expect(await kept).toBe(true);
    expect(sem.value).toBe(1);
  });

  it("a task cancelled while it waits for the unlock is cancelled, and the lock is untouched", async () => {
    const lock = new Lock();
    await lock.acquire();
    const task = createTask(function* () {
      yield* lock.waitForUnlock();
    });
    await tick();
    task.cancel();
    await expectCancelled(task);
    lock.release();
    expect(lock.locked()).toBe(false);
  });
});

describe("cancelWaiters(reason?): rejects every queued acquirer at once", () => {
  it.each(bothForms)(
    "without a reason, each waiter ends with a CancelledError and takes nothing (%s)",
    async (_, take) => {
      const sem = new Semaphore(1);
      const log: string[] = [];
      take(sem, log, "holder");
      await tick();
      const waiters = [take(sem, log, "a"), take(sem, log, "b", { weight: 2, priority: 2 })];
      const call = sem.run(() => log.push("body"));
      await tick();
      sem.cancelWaiters();
      for (const waiter of waiters)
        expect(isCancelledError(((await outcome(waiter)) as { error: unknown }).error)).toBe(true);
      await expectCancelled(call);
      expect([sem.value, sem.waiting]).toEqual([0, 0]);
      sem.release();
      expect([sem.value, sem.locked()]).toEqual([1, false]);
      expect(log).toEqual(["holder"]);
    },
  );

  it.each(bothForms)(
    "with a reason, each waiter rejects with exactly it; the Lock holder keeps the lock (%s)",
    async (_, take) => {
      const lock = new Lock();
      const log: string[] = [];
      take(lock, log, "holder");
      await tick();
      const waiter = take(lock, log, "a");
      const call = lock.run(() => log.push("body"));
      await tick();
      const reason = new Error("shutting down");
      lock.cancelWaiters(reason);
      expect(await outcome(waiter)).toEqual({ status: "rejected", error: reason });
      expect((await outcome(call)) as { error: unknown }).toMatchObject({ error: reason });
      expect(lock.locked()).toBe(true);
      lock.release();
      expect(lock.locked()).toBe(false);
      expect(log).toEqual(["holder"]);
    },
  );

  it("a waiter already handed its permit keeps it", async () => {
    const sem = new Semaphore(0);
    const log: string[] = [];
    const woken = forms.generator(sem, log, "woken");
    const queued = forms.generator(sem, log, "queued");
    await tick();
    sem.release(); // handed to `woken`, which has not resumed yet
    sem.cancelWaiters(new Error("x"));
    await woken;
    expect(await outcome(queued)).toEqual({ status: "rejected", error: new Error("x") });
    expect(log).toEqual(["woken"]);
    expect(sem.value).toBe(0);
  });

  it("keeps a given CancelledError as the very error", async () => {
    const sem = new Semaphore(0);
    const waiter = sem.acquire();
    const reason = new CancelledError("closing");
    sem.cancelWaiters(reason);
    expect((await outcome(waiter)) as { error: unknown }).toEqual({ status: "rejected", error: reason });
  });

  it("leaves waitForUnlock() watchers waiting, and wakes them once nobody is ahead", async () => {
    const sem = new Semaphore(1);
    sem.acquire({ weight: 1 });
    sem.acquire();
    const watcher = sem.waitForUnlock();
    sem.cancelWaiters();
    await tick();
    expect(watcher.done()).toBe(false);
    sem.release();
    expect(await watcher).toBe(true);
  });

  it("a rejected waiter stops listening to its signal: aborting it later changes nothing", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const waiter = sem.acquire({ signal: controller.signal, weight: 2 });
    sem.cancelWaiters(new Error("closed"));
    controller.abort(new Error("late"));
    expect(await outcome(waiter)).toEqual({ status: "rejected", error: new Error("closed") });
    sem.release(2);
    expect([sem.value, sem.waiting]).toEqual([2, 0]);
  });

  it("with nobody waiting, does nothing", () => {
    const sem = new BoundedSemaphore(2);
    sem.cancelWaiters();
    expect(String(sem)).toBe("<BoundedSemaphore [unlocked, value:2]>");
  });
});
