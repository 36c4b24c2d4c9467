import {
  CancelledError,
  createTask,
  currentTask,
  Future,
  InvalidStateError,
  isCancelledError,
  sleep,
  Task,
} from "@taskio/core";
import { expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Lock, limit, Semaphore } from "../src/index.js";

/** A stand-in for fetch(): resolves after `ms`, rejects with `signal.reason` when aborted. */
function fakeFetch(ms: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = sleep(ms);
    timer.addDoneCallback(() => {
      if (!timer.cancelled()) resolve("body");
    });
    signal.addEventListener("abort", () => {
      timer.cancel();
      reject(signal.reason);
    });
  });
}

// asyncio's behaviour: docs/asyncio-semantics.md#scheduling
describe("Semaphore.run: what the body can be", () => {
  it("runs an async function, a generator function, or a plain function, and returns a Future (no Task per call)", async () => {
    const sem = new Semaphore(1);
    const a = sem.run(async () => {
      await sleep(5);
      return "async";
    });
    const g = sem.run(function* () {
      yield* sleep(5);
      return "generator";
    });
    const p = sem.run(() => "plain");
    expect(a).toBeInstanceOf(Future);
    expect(a).not.toBeInstanceOf(Task);
    expect(await Promise.all([a, g, p])).toEqual(["async", "generator", "plain"]);
    expect(sem.value).toBe(1);
  });

  it("follows what a plain function returns: a generator, a Future, a Task, or a promise", async () => {
    const sem = new Semaphore(1);
    function* work() {
      yield* sleep(1);
      return "generator object";
    }
    const fut = new Future<string>();
    const results = Promise.all([
      sem.run(() => work()),
      sem.run(() => fut),
      sem.run(() => createTask(async () => "task")),
      sem.run(() => Promise.resolve("promise")),
    ]);
    await tick();
    fut.setResult("future");
    expect(await results).toEqual(["generator object", "future", "task", "promise"]);
    expect(sem.value).toBe(1);
  });

  it.each([1, 0])(
    "runs the body in the caller's task (value %i: at once or when handed the permit): currentTask() and signal are the caller's",
    async (value) => {
      const sem = new Semaphore(value);
      let inside: unknown;
      let received: AbortSignal | undefined;
      const caller = createTask(async () => {
        await sem.run((signal) => {
          inside = currentTask();
          received = signal;
        });
      });
      await tick();
      if (value === 0) sem.release();
      await caller;
      expect(inside).toBe(caller);
      expect(received).toBe(caller.signal);
    },
  );

  it("takes a free permit and runs a function body before run() returns; cancel() then returns false", () => {
    const sem = new Semaphore(2);
    let ran = false;
    const call = sem.run(() => {
      ran = true;
      return sleep(10);
    });
    expect(ran).toBe(true);
    expect(sem.value).toBe(1);
    expect(call.cancel()).toBe(false);
    expect(call.done()).toBe(false);
  });

  it("holds a permit while the body runs and releases it after", async () => {
    const sem = new Semaphore(1);
    const task = sem.run(async () => {
      expect(sem.locked()).toBe(true);
      await sleep(10);
      return sem.value;
    });
    expect(await task).toBe(0);
    expect(sem.value).toBe(1);
  });

  it("never runs more than `value` bodies at once, started in call order", async () => {
    const sem = new Semaphore(2);
    const tl = timeline();
    let running = 0;
    let most = 0;
    const tasks = [1, 2, 3, 4, 5].map((n) =>
      sem.run(async () => {
        running++;
        most = Math.max(most, running);
        tl.log(`start ${n}`);
        await sleep(10 * n);
        running--;
      }),
    );
    await Promise.all(tasks);
    expect(most).toBe(2);
    expect(tl.stamped()).toEqual(["start 1@0", "start 2@0", "start 3@10", "start 4@20", "start 5@40"]);
  });

  it("an uncontended body starts in its task's first step: taking the permit does not suspend", async () => {
    const sem = new Semaphore(1);
    const log: string[] = [];
    const body = sem.run(function* () {
      log.push("body");
    });
    const other = createTask(function* () {
      log.push("other task");
    });
    await Promise.all([body, other]);
    expect(log).toEqual(["body", "other task"]);
  });

  it("works from top-level code, outside any task", async () => {
    const sem = new Semaphore(1);
    expect(await sem.run(() => 7)).toBe(7);
  });

  it("refuses a non-function, or an async generator function, with a TypeError", () => {
    const sem = new Semaphore(1);
    expect(() => sem.run(42 as never)).toThrow(TypeError);
    expect(() => sem.run(42 as never)).toThrow(/fn must be a function/);
    expect(() => sem.run(Promise.resolve(1) as never)).toThrow(/got a Promise/);
    expect(() =>
      sem.run(async function* () {
        yield 1;
      } as never),
    ).toThrow(/async generator function/);
    expect(() => sem.run(() => 1, { weight: 0 })).toThrow(RangeError);
    expect(() => sem.run(() => 1, 3 as never)).toThrow(/options must be an object/);
    expect(sem.value).toBe(1);
  });
});

describe("Semaphore.run: the permit always comes back", () => {
  it("when someone tries to settle the call's Future by hand: it refuses, and the body's outcome stands", async () => {
    const sem = new Semaphore(1);
    const refusesByHand = async (call: Future<string>) => {
      expect(() => call.setResult("by hand")).toThrow(InvalidStateError);
      expect(() => call.setException(new Error("by hand"))).toThrow(InvalidStateError);
      expect(await call).toBe("body");
      expect(sem.value).toBe(1);
    };
    await refusesByHand(
      sem.run(async () => {
        await sleep(5);
        return "body";
      }),
    );
    await refusesByHand(
      sem.run(function* () {
        yield* sleep(5);
        return "body";
      }),
    );
  });

  it("when the body throws synchronously, rejects, or a generator throws", async () => {
    const sem = new Semaphore(1);
    const boom = new Error("boom");
    const results = await Promise.all([
      outcome(
        sem.run(() => {
          throw boom;
        }),
      ),
      outcome(sem.run(async () => Promise.reject(boom))),
      outcome(
        sem.run(function* () {
          yield* sleep(1);
          throw boom;
        }),
      ),
    ]);
    expect(results).toEqual([
      { status: "rejected", error: boom },
      { status: "rejected", error: boom },
      { status: "rejected", error: boom },
    ]);
    expect(sem.value).toBe(1);
  });

  it("when a plain function returns a thenable whose then() throws (the call fails with that error)", async () => {
    const sem = new Semaphore(1);
    const broken = new Error("then() is broken");
    const thenable = {
      then() {
        throw broken;
      },
    };
    expect(await outcome(sem.run(() => thenable))).toEqual({ status: "rejected", error: broken });
    expect(sem.value).toBe(1);
  });

  it("when a plain function returns an async generator (a TypeError)", async () => {
    const sem = new Semaphore(1);
    const result = await outcome(
      sem.run(() =>
        (async function* () {
          yield 1;
        })(),
      ),
    );
    expect(result.status).toBe("rejected");
    expect(String((result as { error: unknown }).error)).toMatch(/async generator/);
    expect(sem.value).toBe(1);
  });

  for (const flavour of ["generator", "async function"] as const) {
    it(`when the caller is cancelled where the body waits (${flavour})`, async () => {
      const sem = new Semaphore(1);
      const log: string[] = [];
      const caller = createTask(async () =>
        flavour === "generator"
          ? await sem.run(function* () {
              try {
                yield* sleep(1000);
              } catch (e) {
                log.push(isCancelledError(e) ? "cancelled inside" : "other");
                throw e;
              } finally {
                log.push(`finally, value ${sem.value}`);
              }
            })
          : await sem.run(async () => {
              try {
                await sleep(1000);
              } catch (e) {
                log.push(isCancelledError(e) ? "cancelled inside" : "other");
                throw e;
              } finally {
                log.push(`finally, value ${sem.value}`);
              }
            }),
      );
      await tick();
      caller.cancel("enough");
      expect((await expectCancelled(caller)).message).toBe("enough");
      expect(log).toEqual(["cancelled inside", "finally, value 0"]);
      expect(sem.value).toBe(1);
    });
  }

  it("when foreign work is cut off through the caller's signal: the caller ends with that same CancelledError", async () => {
    const sem = new Semaphore(1);
    const caller = createTask(async () => await sem.run((signal) => fakeFetch(1000, signal)));
    await sleep(10);
    caller.cancel("navigated away");
    const err = await expectCancelled(caller);
    expect(err).toBe(caller.signal.reason);
    expect(sem.value).toBe(1);
  });

  it("a cancelled caller settles only after the async body has finished, and the permit comes back", async () => {
    const sem = new Semaphore(1);
    const tl = timeline();
    const caller = createTask(async () => {
      await sem.run(async () => {
        try {
          await sleep(100);
        } finally {
          await shieldedCleanup(tl);
        }
      });
    });
    await sleep(10);
    caller.cancel();
    await expectCancelled(caller);
    tl.log("task settled");
    expect(tl.stamped()).toEqual(["cleanup done@30", "task settled@30"]);
    expect(sem.value).toBe(1);
  });

  it("a generator body that swallows the caller's cancellation ends with its value", async () => {
    const sem = new Semaphore(1);
    const caller = createTask(function* () {
      return yield* sem.run(function* () {
        try {
          yield* sleep(1000);
        } catch {
          return "caught";
        }
        return "finished";
      });
    });
    await tick();
    caller.cancel();
    expect(await caller).toBe("caught");
    expect(caller.cancelled()).toBe(false);
    expect(sem.value).toBe(1);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#semaphore-and-lock and #cancelling-a-task
describe("Semaphore.run: cancelling before the body starts", () => {
  it("withdraws the wait: the body never runs and no permit is taken", async () => {
    const sem = new Semaphore(1);
    const log: string[] = [];
    const holder = sem.run(() => sleep(50));
    const waiting = sem.run(() => log.push("body"));
    await sleep(10);
    expect(String(sem)).toBe("<Semaphore [locked, waiters:1]>");
    waiting.cancel();
    await expectCancelled(waiting);
    expect(String(sem)).toBe("<Semaphore [locked]>");
    await holder;
    expect(log).toEqual([]);
    expect(sem.value).toBe(1);
  });

  it("aborting the call's signal while it waits withdraws it with the signal's reason", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    let ran = false;
    const call = sem.run(
      () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    const reason = new Error("gave up");
    controller.abort(reason);
    expect(await outcome(call)).toEqual({ status: "rejected", error: reason });
    sem.release();
    expect(ran).toBe(false);
    expect(sem.value).toBe(1);
  });

  it("woken with the permit then cancelled: the body never runs and the permit goes to the next", async () => {
    const sem = new Semaphore(0);
    const log: string[] = [];
    const first = sem.run(() => log.push("first"));
    const second = sem.run(() => log.push("second"));
    await tick();
    sem.release(); // handed to first's body task...
    first.cancel(); // ...cancelled before it resumes
    await expectCancelled(first);
    expect(await second).toBe(1);
    expect(log).toEqual(["second"]);
    expect(sem.value).toBe(1);
  });

  it("cancelling the task that awaits run() cancels the body too", async () => {
    const sem = new Semaphore(1);
    let body: Future<unknown> | undefined;
    const outer = createTask(function* () {
      body = sem.run(() => sleep(1000));
      yield* body;
    });
    await tick();
    outer.cancel();
    await expectCancelled(outer);
    expect(body!.cancelled()).toBe(true);
    expect(body!.cancel()).toBe(false);
    expect(sem.value).toBe(1);
  });
});

describe("Lock.run", () => {
  it("runs bodies one at a time, in order, and unlocks after each however it ends", async () => {
    const lock = new Lock();
    const tl = timeline();
    const boom = new Error("boom");
    const a = lock.run(async () => {
      tl.log("a");
      await sleep(10);
      throw boom;
    });
    const b = lock.run(function* () {
      tl.log("b");
      yield* sleep(10);
      return "b";
    });
    const c = lock.run(() => {
      tl.log("c");
      return "c";
    });
    expect(await outcome(a)).toEqual({ status: "rejected", error: boom });
    expect(await Promise.all([b, c])).toEqual(["b", "c"]);
    expect(tl.stamped()).toEqual(["a@0", "b@10", "c@20"]);
    expect(lock.locked()).toBe(false);
  });

  it("cancelled while waiting for the lock, the body never runs", async () => {
    const lock = new Lock();
    const holder = lock.run(() => sleep(10));
    let ran = false;
    const waiting = lock.run(() => {
      ran = true;
    });
    await tick();
    waiting.cancel();
    await expectCancelled(waiting);
    await holder;
    expect(ran).toBe(false);
    expect(lock.locked()).toBe(false);
  });

  it("refuses a non-function with a TypeError", () => {
    expect(() => new Lock().run(null as never)).toThrow(/Lock.run\(\): fn must be a function/);
  });

  it("a woken-then-cancelled body passes the lock to the next waiter", async () => {
    const lock = new Lock();
    await lock.acquire();
    const log: string[] = [];
    const first = lock.run(() => log.push("first"));
    const second = lock.run(() => log.push("second"));
    await tick();
    lock.release();
    first.cancel();
    const err = await expectCancelled(first);
    expect(err).toBeInstanceOf(CancelledError);
    await second;
    expect(log).toEqual(["second"]);
    expect(lock.locked()).toBe(false);
  });
});

describe("run() awaited from outside any task", () => {
  /** An async body still running when it is awaited: it ends a microtask later. */
  const later = async <T>(value: T) => {
    await undefined;
    return value;
  };

  it("settles its awaiters once the call ended and gave its permit back, whether it ran at once or waited", async () => {
    const sem = new Semaphore(1);
    const seen: string[] = [];
    const running = sem.run(() => later("first"));
    const waiting = sem.run(() => later("second"));
    const waitingGen = sem.run(function* () {
      yield* sleep(1);
      return "third";
    });
    const watch = (call: Future<string>) =>
      call.then((value) => seen.push(`${value}: done ${call.done()}, value ${sem.value}, waiting ${sem.waiting}`));
    await Promise.all([watch(running), watch(waiting), watch(waitingGen)]);
    expect(seen).toEqual([
      "first: done true, value 0, waiting 1",
      "second: done true, value 0, waiting 0",
      "third: done true, value 1, waiting 0",
    ]);
  });

  it("rejects with the very error the body threw, whether the call ran at once or waited", async () => {
    const lock = new Lock();
    const first = new Error("first");
    const second = new Error("second");
    const running = lock.run(async () => {
      await undefined;
      throw first;
    });
    const waiting = lock.run(() => {
      throw second;
    });
    await expect(running).rejects.toBe(first);
    await expect(waiting).rejects.toBe(second);
    expect(lock.locked()).toBe(false);
  });

  it("rejects the awaiters of a call withdrawn while it waits: cancelled, aborted, or drained with a reason", async () => {
    const sem = new Semaphore(0);
    const controller = new AbortController();
    const cancelled = sem.run(() => "never");
    const aborted = sem.run(() => "never", { signal: controller.signal });
    const drained = sem.run(() => "never");
    const results = Promise.allSettled([cancelled, aborted, drained]);
    await tick();
    cancelled.cancel("no longer needed");
    const reason = new Error("gave up");
    controller.abort(reason);
    const shutdown = new Error("shutting down");
    sem.cancelWaiters(shutdown);
    const [a, b, c] = await results;
    expect(a.status === "rejected" && isCancelledError(a.reason) && a.reason.message).toBe("no longer needed");
    expect(b).toEqual({ status: "rejected", reason });
    expect(c).toEqual({ status: "rejected", reason: shutdown });
    expect(sem.value).toBe(0);
    expect(sem.waiting).toBe(0);
  });

  it("is also a native promise there, which await and Promise.resolve take as it is; limit()'s calls too", async () => {
    const sem = new Semaphore(1);
    const limited = limit(1);
    const calls = [sem.run(() => later(1)), sem.run(() => later(2)), limited(() => later(3)), limited(later, 4)];
    for (const call of calls) {
      expect(call).toBeInstanceOf(Future);
      expect(call).toBeInstanceOf(Promise);
      expect(Promise.resolve(call)).toBe(call);
    }
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4]);
    expect(sem.value).toBe(1);
  });

  it("a waiting call cancelled with nobody awaiting it raises no unhandled rejection and takes nothing", async () => {
    const sem = new Semaphore(0);
    const dropped = sem.run(() => "never");
    dropped.cancel();
    await tick();
    expect(dropped.cancelled()).toBe(true);
    expect(sem.waiting).toBe(0);
  });

  for (const flavour of ["generator", "async function"] as const) {
    it(`inside a task run() returns a plain Future, whose await makes cancelling the task withdraw it (${flavour})`, async () => {
      const sem = new Semaphore(0);
      let inside: Future<string> | undefined;
      const task =
        flavour === "generator"
          ? createTask(function* () {
              inside = sem.run(() => "never");
              return yield* inside;
            })
          : createTask(async () => {
              inside = sem.run(() => "never");
              return await inside;
            });
      await tick();
      expect(inside).not.toBeInstanceOf(Promise);
      task.cancel();
      await expectCancelled(task);
      expect(inside!.cancelled()).toBe(true);
      expect(sem.waiting).toBe(0);
    });
  }

  it("a call cancelled after it was handed the permit rejects its awaiters and passes the permit on", async () => {
    const sem = new Semaphore(0);
    const first = sem.run(() => "first");
    const second = sem.run(() => "second");
    const settled = Promise.allSettled([first, second]);
    sem.release();
    first.cancel();
    const [a, b] = await settled;
    expect(a.status === "rejected" && isCancelledError(a.reason)).toBe(true);
    expect(b).toEqual({ status: "fulfilled", value: "second" });
    expect(sem.value).toBe(1);
  });
});

/** Cleanup that outlives the cancellation: 20 ms of work the task waits for before it settles. */
async function shieldedCleanup(tl: ReturnType<typeof timeline>): Promise<void> {
  await new Promise<void>((resolve) => {
    sleep(20).addDoneCallback(() => resolve());
  });
  tl.log("cleanup done");
}
