import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  isCancelledError,
  sleep,
  type Task,
} from "@taskio/core";
import { expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Semaphore } from "../src/index.js";

/** One loop iteration for the test body (asyncio's `await asyncio.sleep(0)`). */
/** A generator task that takes a permit, records `n`, and keeps the permit. */
function taker(sem: Semaphore, got: number[], n: number): Task<boolean> {
  return createTask(function* () {
    yield* sem.acquire();
    got.push(n);
    return true;
  });
}

// asyncio's behaviour: docs/asyncio-semantics.md#semaphore-and-lock
describe("Semaphore: construction and inspection", () => {
  it("defaults to one permit and is locked at zero", () => {
    expect(new Semaphore().value).toBe(1);
    expect(new Semaphore().locked()).toBe(false);
    expect(new Semaphore(0).locked()).toBe(true);
    expect(new Semaphore(5).value).toBe(5);
    expect(new Semaphore(Infinity).locked()).toBe(false);
  });

  it("refuses a negative, fractional or NaN value with a RangeError, a non-number with a TypeError", () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(/integer >= 0/);
    expect(() => new Semaphore(Number.NaN)).toThrow(RangeError);
    expect(() => new Semaphore("2" as unknown as number)).toThrow(TypeError);
    expect(() => new Semaphore("2" as unknown as number)).toThrow(/got "2" \(string\)/);
  });

  it("names the class that was constructed in the error", () => {
    expect(() => new BoundedSemaphore(null as unknown as number)).toThrow(/^BoundedSemaphore\(value\): value/);
    expect(() => new BoundedSemaphore(-1)).toThrow(/^BoundedSemaphore\(value\): value must be an integer >= 0/);
    expect(() => new Semaphore(null as unknown as number)).toThrow(/^Semaphore\(value\): value/);
  });

  it("prints its state as asyncio does", async () => {
    const sem = new Semaphore(1);
    expect(String(sem)).toBe("<Semaphore [unlocked, value:1]>");
    await sem.acquire();
    expect(String(sem)).toBe("<Semaphore [locked]>");
    const waiting = sem.acquire();
    expect(String(sem)).toBe("<Semaphore [locked, waiters:1]>");
    waiting.cancel();
    expect(String(new BoundedSemaphore(2))).toBe("<BoundedSemaphore [unlocked, value:2]>");
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#scheduling and #semaphore-and-lock
describe("Semaphore: acquire and release", () => {
  it("acquire() on a free semaphore returns a done Future holding true and takes a permit", () => {
    const sem = new Semaphore(2);
    const first = sem.acquire();
    expect(first.done()).toBe(true);
    expect(first.result()).toBe(true);
    expect(sem.value).toBe(1);
    expect(sem.acquire().done()).toBe(true);
    expect(sem.value).toBe(0);
    expect(sem.locked()).toBe(true);
    sem.release();
    expect(sem.locked()).toBe(false);
  });

  it("an uncontended acquire does not suspend a generator task", async () => {
    const sem = new Semaphore(1);
    const log: string[] = [];
    await createTask(function* () {
      createTask(function* () {
        log.push("other task");
      });
      yield* sem.acquire();
      log.push("acquired");
      sem.release();
      yield* sleep(0);
    });
    expect(log).toEqual(["acquired", "other task"]);
  });

  it("release() hands each permit straight to the next waiter, so value stays 0", async () => {
    const sem = new Semaphore(3);
    const got: number[] = [];
    expect(await sem.acquire()).toBe(true);
    expect(await sem.acquire()).toBe(true);
    expect(sem.locked()).toBe(false);

    const [t1, t2, t3] = [1, 2, 3].map((n) => taker(sem, got, n));
    await tick();
    expect(got).toEqual([1]);
    expect(sem.locked()).toBe(true);
    expect(sem.value).toBe(0);
    expect(String(sem)).toBe("<Semaphore [locked, waiters:2]>");

    const t4 = taker(sem, got, 4);
    sem.release();
    sem.release();
    expect(sem.value).toBe(0);
    await tick();
    expect(got).toEqual([1, 2, 3]);
    expect(sem.value).toBe(0);
    expect(sem.locked()).toBe(true);
    expect(String(sem)).toBe("<Semaphore [locked, waiters:1]>");
    expect([t1!.done(), t2!.done(), t3!.done(), t4.done()]).toEqual([true, true, true, false]);

    sem.release();
    expect(await Promise.all([t1!, t2!, t3!, t4])).toEqual([true, true, true, true]);
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it("a plain Semaphore may be released above its initial value", () => {
    const sem = new Semaphore(1);
    sem.release();
    expect(sem.value).toBe(2);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#semaphore-and-lock
describe("Semaphore: FIFO order and no barging", () => {
  const flavours = {
    generator: (sem: Semaphore, log: string[], tag: string) =>
      createTask(function* () {
        yield* sem.acquire();
        log.push(`${tag}_1`);
        yield* sleep(10);
        sem.release();
        yield* sem.acquire();
        log.push(`${tag}_2`);
        yield* sleep(10);
        sem.release();
      }),
    "async function": (sem: Semaphore, log: string[], tag: string) =>
      createTask(async () => {
        await sem.acquire();
        log.push(`${tag}_1`);
        await sleep(10);
        sem.release();
        await sem.acquire();
        log.push(`${tag}_2`);
        await sleep(10);
        sem.release();
      }),
  };

  for (const [name, worker] of Object.entries(flavours)) {
    it(`serves waiters in arrival order; a task that releases and re-acquires goes to the back (${name})`, async () => {
      const sem = new Semaphore(1);
      const log: string[] = [];
      await Promise.all(["c1", "c2", "c3"].map((tag) => worker(sem, log, tag)));
      expect(log).toEqual(["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"]);
      expect(sem.value).toBe(1);
    });
  }

  it("a woken waiter that has not resumed yet still holds back a task that re-acquires", async () => {
    const sem = new Semaphore(1);
    const got: number[] = [];
    const t1 = taker(sem, got, 1);
    const t2 = createTask(function* () {
      yield* sem.acquire();
      got.push(2);
      sem.release();
      yield* sem.acquire();
      got.push(4);
      return true;
    });
    const t3 = taker(sem, got, 3);
    await tick();
    sem.release();
    sem.release();
    await Promise.all([t1, t2, t3]);
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it("locked() stays true while a granted waiter has not resumed, even with value > 0", async () => {
    const sem = new Semaphore(0);
    const got: number[] = [];
    const seen: Record<string, unknown> = {};
    let t4: Task<void> | undefined;
    const t1 = createTask(function* () {
      yield* sem.acquire();
      // Resuming, c1 served the waiters that queued behind it: no permit is left.
      seen.valueWhenC1Resumed = sem.value;
      t4 = createTask(function* () {
        got.push(4);
      });
      got.push(1);
    });
    const t2 = createTask(function* () {
      sem.release();
      sem.release();
      sem.release();
      seen.valueAfterReleases = sem.value;
      seen.lockedAfterReleases = sem.locked();
      seen.printed = String(sem);
      const mine = sem.acquire();
      seen.c2Waited = !mine.done();
      yield* mine;
      got.push(2);
    });
    const t3 = createTask(function* () {
      yield* sem.acquire();
      seen.lockedInC3 = sem.locked();
      got.push(3);
    });
    await Promise.all([t1, t2, t3]);
    await t4;
    expect(seen).toEqual({
      valueAfterReleases: 2,
      lockedAfterReleases: true,
      printed: "<Semaphore [locked, waiters:1]>",
      c2Waited: true,
      valueWhenC1Resumed: 0,
      lockedInC3: true,
    });
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it("a newcomer queues behind live waiters even when permits are free", async () => {
    const sem = new Semaphore(0);
    const waiting = sem.acquire();
    sem.release();
    sem.release();
    expect(sem.value).toBe(1);
    expect(sem.locked()).toBe(true);
    const late = sem.acquire();
    expect(late.done()).toBe(false);
    await tick();
    expect(waiting.result()).toBe(true);
    expect(late.result()).toBe(true);
    expect(sem.value).toBe(0);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#semaphore-and-lock
describe("Semaphore: cancelled waiters", () => {
  it("a waiter cancelled before the release is skipped and consumes nothing", async () => {
    const sem = new Semaphore(0);
    const got: number[] = [];
    const [t1, t2, t3] = [1, 2, 3].map((n) => taker(sem, got, n));
    await tick();
    t1!.cancel();
    await tick();
    sem.release();
    sem.release();
    await Promise.all([outcome(t1!), t2, t3]);
    expect(t1!.cancelled()).toBe(true);
    expect(got).toEqual([2, 3]);
    expect(sem.value).toBe(0);
  });

  it("two waiters cancelled just before a release: the third gets it, the fourth still waits", async () => {
    const sem = new Semaphore(0);
    const tasks = [0, 1, 2, 3].map(() => createTask(() => sem.acquire()));
    await tick();
    tasks[0]!.cancel();
    tasks[1]!.cancel();
    sem.release();
    await tick();
    await tick();
    expect(tasks[2]!.done()).toBe(true);
    expect(tasks[3]!.done()).toBe(false);
    expect(tasks[0]!.cancelled() && tasks[1]!.cancelled()).toBe(true);
    tasks[3]!.cancel();
    await expectCancelled(tasks[3]!);
    expect(await tasks[2]!).toBe(true);
    expect(String(sem)).toBe("<Semaphore [locked]>");
  });

  it("a cancelled acquire leaves no live waiter behind", async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const task = createTask(() => sem.acquire());
    await tick();
    expect(String(sem)).toBe("<Semaphore [locked, waiters:1]>");
    task.cancel();
    await expectCancelled(task);
    expect(String(sem)).toBe("<Semaphore [locked]>");
    sem.release();
    expect(sem.value).toBe(1);
  });

  it("cancelling the first waiter right before a release hands the permit to the second", async () => {
    const sem = new Semaphore(0);
    const t1 = createTask(() => sem.acquire());
    const t2 = createTask(() => sem.acquire());
    await tick();
    t1.cancel();
    sem.release();
    await tick();
    await tick();
    expect(sem.locked()).toBe(true);
    expect(t2.done()).toBe(true);
    await expectCancelled(t1);
  });

  it("a body woken with the permit but cancelled before it started passes the permit on", async () => {
    const sem = new Semaphore(1);
    let bodyRan = false;
    // Held before `second` is called, so `second` waits for it.
    expect(sem.acquire().done()).toBe(true);
    const first = createTask(function* () {
      try {
        yield* sleep(0);
      } finally {
        sem.release(); // hands the permit to `second`'s body task...
      }
      second.cancel(); // ...which is cancelled before it resumes
    });
    const second = sem.run(function* () {
      bodyRan = true;
    });
    await first;
    const err = await expectCancelled(second);
    expect(err).toBeInstanceOf(CancelledError);
    expect(bodyRan).toBe(false);
    expect(sem.value).toBe(1);
    expect(sem.locked()).toBe(false);
    expect(await sem.acquire()).toBe(true);
  });

  for (const flavour of ["generator", "async function"] as const) {
    it(`a raw acquire woken then cancelled still gets true; its finally passes the permit on (${flavour})`, async () => {
      // taskio never drops a completed value (DESIGN): the task resumes holding the permit and
      // the cancel request lands at its next suspension on a pending Future.
      const sem = new Semaphore(0);
      const tl = timeline();
      const holder =
        flavour === "generator"
          ? createTask(function* (): Coroutine<void> {
              yield* sem.acquire();
              tl.log("first acquired");
              try {
                yield* sleep(10);
                tl.log("not reached");
              } finally {
                sem.release();
              }
            })
          : createTask(async () => {
              await sem.acquire();
              tl.log("first acquired");
              try {
                await sleep(10);
                tl.log("not reached");
              } finally {
                sem.release();
              }
            });
      const next = createTask(async () => {
        await sem.acquire();
        tl.log("second acquired");
        sem.release();
      });
      await tick();
      sem.release();
      holder.cancel("stop");
      expect((await expectCancelled(holder)).message).toBe("stop");
      await next;
      expect(tl.stamped()).toEqual(["first acquired@0", "second acquired@0"]);
      expect(sem.value).toBe(1);
      expect(sem.locked()).toBe(false);
    });
  }

  it("cancelling the acquire Future itself after it was granted does nothing: the holder must release", async () => {
    const sem = new Semaphore(0);
    const permit = sem.acquire();
    sem.release();
    expect(permit.cancel()).toBe(false);
    expect(permit.result()).toBe(true);
    expect(sem.value).toBe(0);
    sem.release();
    await tick();
    expect(sem.value).toBe(1);
  });

  it("the acquire Future cannot be completed by hand (that would mint a permit)", () => {
    const sem = new Semaphore(0);
    const permit = sem.acquire();
    expect(() => permit.setResult(true)).toThrow(/completed by its Semaphore/);
    expect(() => permit.setException(new Error("x"))).toThrow(/completed by its Semaphore/);
    permit.cancel();
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("Semaphore: { signal }", () => {
  it("an already aborted signal rejects at once with its reason, even with a permit free", async () => {
    const sem = new Semaphore(1);
    const reason = new Error("gave up");
    const controller = new AbortController();
    controller.abort(reason);
    const result = sem.acquire({ signal: controller.signal });
    expect(result.done()).toBe(true);
    expect(result.exception()).toBe(reason);
    expect(sem.value).toBe(1);
  });

  it("adds no listener unless it has to wait, and removes it once granted", async () => {
    const sem = new Semaphore(1);
    const controller = new AbortController();
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type: string, listener: any, options?: any) => {
      added.push(type);
      add(type, listener, options);
    };
    signal.removeEventListener = (type: string, listener: any, options?: any) => {
      removed.push(type);
      remove(type, listener, options);
    };
    await sem.acquire({ signal });
    expect(added).toEqual([]);
    const waiting = sem.acquire({ signal });
    expect(added).toEqual(["abort"]);
    sem.release();
    expect(removed).toEqual(["abort"]);
    controller.abort(new Error("too late"));
    expect(await waiting).toBe(true);
    sem.release();
    expect(sem.value).toBe(1);
  });

  it("aborting a waiter withdraws it and rejects with signal.reason; the next waiter gets the permit", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const reason = new Error("user left");
    const first = createTask(() => sem.acquire({ signal: controller.signal }));
    const second = createTask(() => sem.acquire());
    await tick();
    controller.abort(reason);
    expect(await outcome(first)).toEqual({ status: "rejected", error: reason });
    sem.release();
    expect(await second).toBe(true);
    expect(sem.value).toBe(0);
    expect(String(sem)).toBe("<Semaphore [locked]>");
  });

  it("a CancelledError reason (another task's signal) rejects the wait with that same object", async () => {
    const sem = new Semaphore(0);
    const owner = createTask(() => sleep(Infinity));
    await tick();
    const waiting = sem.acquire({ signal: owner.signal });
    owner.cancel("owner stopped");
    const result = await outcome(waiting);
    expect(result).toEqual({ status: "rejected", error: owner.signal.reason });
    expect((owner.signal.reason as Error).message).toBe("owner stopped");
    await expectCancelled(owner);
    expect(String(sem)).toBe("<Semaphore [locked]>");
  });

  it("a task waiting with its own signal is cancelled once: it can catch it and carry on", async () => {
    const sem = new Semaphore(0);
    const log: string[] = [];
    const task = createTask(function* () {
      try {
        yield* sem.acquire({ signal: currentTask()!.signal });
      } catch (e) {
        log.push(isCancelledError(e) ? "cancelled" : "other");
      }
      yield* sleep(10);
      log.push("carried on");
      return 1;
    });
    await tick();
    task.cancel();
    expect(await task).toBe(1);
    expect(log).toEqual(["cancelled", "carried on"]);
    expect(String(sem)).toBe("<Semaphore [locked]>");
  });

  it("rejects bad options with a TypeError naming them", () => {
    const sem = new Semaphore();
    expect(() => sem.acquire(5 as never)).toThrow(/options must be an object/);
    expect(() => sem.acquire({ signal: {} as AbortSignal })).toThrow(/options.signal must be an AbortSignal/);
    expect(sem.value).toBe(1);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#semaphore-and-lock
describe("BoundedSemaphore", () => {
  it("refuses a release above its initial value with a RangeError", () => {
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(RangeError);
    expect(() => sem.release()).toThrow(/released too many times/);
    expect(sem.value).toBe(1);
  });

  it("accepts each release that matches an acquire, including ones handed to waiters", async () => {
    const sem = new BoundedSemaphore(1);
    await sem.acquire();
    const waiting = sem.acquire();
    sem.release(); // handed to the waiter
    expect(await waiting).toBe(true);
    sem.release();
    expect(sem.value).toBe(1);
    expect(() => sem.release()).toThrow(RangeError);
  });

  it("refuses a weight it could never grant", () => {
    const sem = new BoundedSemaphore(2);
    expect(() => sem.acquire({ weight: 3 })).toThrow(/weight 3 is more than the 2 permits/);
    expect(() => sem.run(() => 1, { weight: 3 })).toThrow(/BoundedSemaphore.run\(\): weight 3/);
    expect(sem.acquire({ weight: 2 }).done()).toBe(true);
    expect(() => sem.release(3)).toThrow(RangeError);
    sem.release(2);
    expect(sem.value).toBe(2);
  });

  it("is a Semaphore", () => {
    expect(new BoundedSemaphore()).toBeInstanceOf(Semaphore);
  });
});

describe("the acquire Future", () => {
  it("is a taskio Future usable from async code, outside any task", async () => {
    const sem = new Semaphore(0);
    const permit = sem.acquire();
    expect(permit).toBeInstanceOf(Future);
    void sleep(5).then(() => sem.release());
    expect(await permit).toBe(true);
    expect(permit.done()).toBe(true);
    expect(permit.result()).toBe(true);
  });

  it("outside any task it is also a native promise, which await and Promise.resolve take as it is", () => {
    const sem = new Semaphore(0);
    const permit = sem.acquire();
    expect(permit).toBeInstanceOf(Promise);
    expect(Promise.resolve(permit)).toBe(permit);
    expect(String(permit)).toBe("<Future pending waiting in Semaphore.acquire() on <Semaphore [locked, waiters:1]>>");
    permit.cancel();
  });

  for (const flavour of ["generator", "async function"] as const) {
    it(`inside a task it is a plain Future, so cancelling the task withdraws it (${flavour})`, async () => {
      const sem = new Semaphore(0);
      let inside: Future<true> | undefined;
      const task =
        flavour === "generator"
          ? createTask(function* () {
              inside = sem.acquire();
              yield* inside;
            })
          : createTask(async () => {
              inside = sem.acquire();
              await inside;
            });
      await tick();
      expect(inside).toBeInstanceOf(Future);
      expect(inside).not.toBeInstanceOf(Promise);
      task.cancel();
      await expectCancelled(task);
      expect(sem.waiting).toBe(0);
      sem.release();
      expect(sem.value).toBe(1);
    });
  }

  it("cancelled outside a task, it rejects its awaiter with a CancelledError, and unawaited it raises no unhandled rejection", async () => {
    const sem = new Semaphore(0);
    const awaited = sem.acquire();
    const ignored = sem.acquire();
    awaited.cancel("no longer needed");
    ignored.cancel();
    await expect(awaited).rejects.toThrow(CancelledError);
    await expect(awaited).rejects.toThrow("no longer needed");
    await tick();
    expect(ignored.cancelled()).toBe(true);
    expect(sem.waiting).toBe(0);
    sem.release();
    expect(sem.value).toBe(1);
  });

  it("outside a task, an aborted signal and cancelWaiters(reason) reject it with exactly that reason", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const aborted = sem.acquire({ signal: controller.signal });
    const drained = sem.acquire();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    const shutdown = new Error("shutting down");
    sem.cancelWaiters(shutdown);
    await expect(drained).rejects.toBe(shutdown);
    expect(sem.waiting).toBe(0);
    expect(sem.value).toBe(0);
  });

  it("outside a task, a granted one holds newcomers back until its awaiter resumes, then serves them", async () => {
    const sem = new Semaphore(2);
    sem.acquire();
    sem.acquire();
    const first = sem.acquire();
    sem.release();
    sem.release();
    // The permit is first's, and the free one waits behind it until first's awaiter resumes.
    expect(sem.value).toBe(1);
    expect(sem.locked()).toBe(true);
    const second = sem.acquire();
    expect(await first).toBe(true);
    expect(sem.locked()).toBe(true);
    expect(await second).toBe(true);
    expect(sem.value).toBe(0);
  });
});
