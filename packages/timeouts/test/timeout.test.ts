import {
  CancelledError,
  createTask,
  currentTask,
  Future,
  isCancelledError,
  now,
  sleep,
  type Task,
  TimeoutError,
} from "@taskio/core";
import { expectCancelled, foreignWork, outcome, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { type Timeout, timeout, timeoutAt } from "../src/index.js";

/** Runs the scenario and returns the scope, the task and how it ended. */
async function settleScope<R>(task: Task<R>) {
  const result = await outcome(task);
  return { result, error: (result as { error?: unknown }).error, value: (result as { value?: R }).value };
}

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("timeout(): basic expiry", () => {
  it("generator body: the wait raises CancelledError inside, the task rejects with TimeoutError caused by it", async () => {
    const tl = timeline();
    let scope!: Timeout;
    let seen: unknown;
    const task = timeout(10, function* (s) {
      scope = s;
      try {
        yield* sleep(10_000);
      } catch (error) {
        seen = error;
        tl.log("cancelled");
        throw error;
      }
    });
    const { result, error } = await settleScope(task);
    expect(result.status).toBe("rejected");
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isCancelledError(seen)).toBe(true);
    expect((error as TimeoutError).cause).toBe(seen);
    expect((error as Error).message).toBe("timeout() timed out after 10 ms");
    expect(scope.expired()).toBe(true);
    expect(task.cancelled()).toBe(false);
    expect(task.cancelling()).toBe(0);
    expect(tl.stamped()).toEqual(["cancelled@10"]);
  });

  it("async body: the same, through an await", async () => {
    const tl = timeline();
    let scope!: Timeout;
    let seen: unknown;
    const task = timeout(10, async (s) => {
      scope = s;
      try {
        await sleep(10_000);
      } catch (error) {
        seen = error;
        tl.log("cancelled");
        throw error;
      }
    });
    const { error } = await settleScope(task);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isCancelledError(seen)).toBe(true);
    expect((error as TimeoutError).cause).toBe(seen);
    expect(scope.expired()).toBe(true);
    expect(tl.stamped()).toEqual(["cancelled@10"]);
  });

  it("a body returning a Future: the Future is cancelled at the deadline", async () => {
    const fut = new Future<number>();
    const task = timeout(10, () => fut);
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(fut.cancelled()).toBe(true);
    expect(now()).toBe(10);
  });

  it("timeoutAt(d): when() is d and it expires at d", async () => {
    const deadline = now() + 25;
    let scope!: Timeout;
    const task = timeoutAt(deadline, function* (s) {
      scope = s;
      yield* sleep(10_000);
    });
    const { error } = await settleScope(task);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("timeoutAt() expired: its deadline 25 (on the now() clock) passed");
    expect(scope.when()).toBe(deadline);
    expect(scope.expired()).toBe(true);
    expect(now()).toBe(25);
  });
});

describe("timeout(): what a TimeoutError shows", () => {
  it.each([
    [
      "generator body",
      () =>
        timeout(10, function* () {
          yield* sleep(10_000);
        }),
    ],
    [
      "async body",
      () =>
        timeout(10, async () => {
          await sleep(10_000);
        }),
    ],
  ] as const)(
    "its stack is its message and the task whose deadline passed, not the scheduler's frames (%s)",
    async (_, start) => {
      const task = start();
      task.setName("slow-report");
      const { error } = await settleScope(task);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).stack).toBe("TimeoutError: timeout() timed out after 10 ms\n    at <task slow-report>");
      expect(((error as Error).cause as Error).stack).toBe(
        "CancelledError: timeout() timed out after 10 ms\n    at <task slow-report>",
      );
    },
  );

  it("leaves Error.stackTraceLimit as it found it, so other errors keep their frames", async () => {
    const limit = Error.stackTraceLimit;
    await settleScope(timeout(10, () => sleep(10_000)));
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("after").stack).toMatch(/\n\s+at /);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("timeout(): no expiry", () => {
  it.each([
    [
      "generator",
      () =>
        timeout(10_000, function* (s) {
          yield* sleep(10);
          return s;
        }),
    ],
    [
      "async",
      () =>
        timeout(10_000, async (s: Timeout) => {
          await sleep(10);
          return s;
        }),
    ],
  ] as const)("%s body finishing in time: its value, expired() false, when() after the exit", async (_kind, make) => {
    const start = now();
    const scope = await make();
    expect(scope.when()).toBe(start + 10_000);
    expect(scope.when()!).toBeGreaterThan(now());
    expect(scope.expired()).toBe(false);
    expect(now()).toBe(start + 10);
    expect(String(scope)).toBe("<Timeout [finished]>");
  });

  it.each([null, Infinity])("timeout(%s) and timeoutAt(%s) never expire and have no deadline", async (limit) => {
    const a = timeout(limit, function* (s) {
      yield* sleep(1e9);
      return s;
    });
    const b = timeoutAt(limit, async (s) => {
      await sleep(2e9);
      return s;
    });
    const [sa, sb] = [await a, await b];
    expect(sa.when()).toBeNull();
    expect(sb.when()).toBeNull();
    expect(sa.expired() || sb.expired()).toBe(false);
    expect(now()).toBe(2e9);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("timeout(): zero and past deadlines fire on the next turn", () => {
  it.each([0, -11])("timeout(%s) around a long sleep: TimeoutError at once", async (ms) => {
    let scope!: Timeout;
    const task = timeout(ms, function* (s) {
      scope = s;
      yield* sleep(10_000);
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(scope.expired()).toBe(true);
    expect(scope.when()).toBe(ms);
    expect(now()).toBe(0);
  });

  it.each([0, -11])("timeout(%s) around sleep(0) alone still times out (generator and async)", async (ms) => {
    const gen = timeout(ms, function* () {
      yield* sleep(0);
      return "not reached";
    });
    const fn = timeout(ms, async () => {
      await sleep(0);
      return "not reached";
    });
    await expect(gen).rejects.toBeInstanceOf(TimeoutError);
    await expect(fn).rejects.toBeInstanceOf(TimeoutError);
  });

  it("timeoutAt(a deadline already passed) fires at once", async () => {
    await sleep(100);
    let scope!: Timeout;
    const task = timeoutAt(now() - 50, function* (s) {
      scope = s;
      yield* sleep(1);
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(scope.when()).toBe(50);
    expect(now()).toBe(100);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("timeout(): a body that never suspends cannot time out (generator bodies)", () => {
  it("timeout(0) around a body that returns at once: its value, expired() false", async () => {
    let scope!: Timeout;
    const task = timeout(0, function* (s) {
      scope = s;
      return 1;
    });
    expect(await task).toBe(1);
    expect(scope.expired()).toBe(false);
  });

  it("awaiting a done Future does not suspend, so it does not time out either", async () => {
    const done = new Future<string>();
    done.setResult("ready");
    let scope!: Timeout;
    const task = timeout(0, function* (s) {
      scope = s;
      return yield* done;
    });
    expect(await task).toBe("ready");
    expect(scope.expired()).toBe(false);
  });
});

describe("timeout(): bodies that return at once, in JavaScript", () => {
  it("a plain function's value is in before the deadline fires: not expired", async () => {
    let scope!: Timeout;
    expect(
      await timeout(0, (s) => {
        scope = s;
        return 1;
      }),
    ).toBe(1);
    expect(scope.expired()).toBe(false);
  });

  it("an async body takes a microtask turn, so a passed deadline fires first; its value is still kept", async () => {
    let scope!: Timeout;
    const task = timeout(0, async (s) => {
      scope = s;
      return 1;
    });
    expect(await task).toBe(1);
    expect(scope.expired()).toBe(true);
    expect(task.cancelling()).toBe(0);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("timeout(): other exceptions pass through", () => {
  it.each([
    [
      "generator",
      (e: Error) =>
        timeout(10, function* () {
          throw e;
        }),
    ],
    [
      "async",
      (e: Error) =>
        timeout(10, async () => {
          throw e;
        }),
    ],
    [
      "plain function",
      (e: Error) =>
        timeout(10, () => {
          throw e;
        }),
    ],
  ] as const)("%s body throwing before the deadline: the same error, not expired", async (_kind, make) => {
    const boom = new RangeError("boom");
    const task = make(boom);
    await expect(task).rejects.toBe(boom);
    expect(now()).toBe(0);
  });

  it("a body whose cleanup fails after the deadline: that error propagates instead of TimeoutError", async () => {
    const failure = new RangeError("cleanup failed");
    let scope!: Timeout;
    const gen = timeout(10, function* (s) {
      scope = s;
      try {
        yield* sleep(1_000);
      } catch {
        yield* sleep(5); // async cleanup
        throw failure;
      }
    });
    await expect(gen).rejects.toBe(failure);
    expect(scope.expired()).toBe(true);
    expect(gen.cancelling()).toBe(0);
    expect(now()).toBe(15);

    let scope2!: Timeout;
    const fn = timeout(10, async (s) => {
      scope2 = s;
      try {
        await sleep(1_000);
      } catch {
        throw failure;
      }
    });
    await expect(fn).rejects.toBe(failure);
    expect(scope2.expired()).toBe(true);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat and #cancelling-a-task
describe("timeout(): a body that swallows the cancellation returns its value", () => {
  it.each([
    [
      "generator",
      () =>
        timeout(10, function* (s) {
          try {
            yield* sleep(1_000);
          } catch (error) {
            if (!isCancelledError(error)) throw error;
          }
          yield* sleep(5); // the cancellation was delivered once: later waits are not cancelled
          return s;
        }),
    ],
    [
      "async",
      () =>
        timeout(10, async (s: Timeout) => {
          try {
            await sleep(1_000);
          } catch (error) {
            if (!isCancelledError(error)) throw error;
          }
          await sleep(5);
          return s;
        }),
    ],
  ] as const)("%s body", async (_kind, make) => {
    const task = make();
    const scope = await task;
    expect(scope.expired()).toBe(true);
    expect(task.cancelled()).toBe(false);
    expect(task.cancelling()).toBe(0);
    expect(now()).toBe(15);
    expect(String(scope)).toBe("<Timeout [expired]>");
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("timeout(): only its own cancellation becomes TimeoutError", () => {
  it("the body cancelling its own task before the deadline: CancelledError, not expired", async () => {
    let scope!: Timeout;
    const task = timeout(10_000, function* (s) {
      scope = s;
      currentTask()!.cancel();
      yield* sleep(10_000);
    });
    await expectCancelled(task);
    expect(scope.expired()).toBe(false);
    expect(now()).toBe(0);
  });

  it("cancelling the returned task is a request: it settles after the body's cleanup, as CancelledError", async () => {
    const tl = timeline();
    let scope!: Timeout;
    const task = timeout(100, async (s) => {
      scope = s;
      try {
        await sleep(1_000);
      } finally {
        tl.log("cleanup");
        await sleep(5);
        tl.log("cleaned");
      }
    });
    await sleep(3);
    expect(task.cancel("stop")).toBe(true);
    expect(task.done()).toBe(false);
    const error = await expectCancelled(task);
    tl.log("settled");
    expect(error.message).toBe("stop");
    expect(scope.expired()).toBe(false);
    expect(tl.stamped()).toEqual(["cleanup@3", "cleaned@8", "settled@8"]);
  });

  it("a cancellation arriving on top of the expiry stays CancelledError (two requests, one uncancel)", async () => {
    let scope!: Timeout;
    const task = timeout(10, function* (s) {
      scope = s;
      try {
        yield* sleep(1_000);
      } catch (error) {
        if (!isCancelledError(error)) throw error; // swallows the outside cancel, which stays counted
      }
      yield* sleep(1_000);
    });
    await sleep(5);
    task.cancel();
    await expectCancelled(task);
    expect(scope.expired()).toBe(true);
    expect(task.cancelling()).toBe(1);
    expect(now()).toBe(10);
  });

  it("an outside cancel at the deadline itself (from a listener of scope.signal) stays CancelledError", async () => {
    let scope!: Timeout;
    const task: Task<void> = timeout(10, function* (s) {
      scope = s;
      s.signal.addEventListener("abort", () => task.cancel("outside"));
      yield* sleep(1_000);
    });
    await expectCancelled(task);
    expect(scope.expired()).toBe(true);
  });

  it("a caller that caught a cancellation (cancelling() 1) still gets TimeoutError from timeout(0) in its cleanup", async () => {
    const seen: unknown[] = [];
    const caller = createTask(function* () {
      const me = currentTask()!;
      try {
        me.cancel();
        yield* sleep(1_000);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
      } finally {
        try {
          yield* timeout(0, function* () {
            yield* sleep(1_000);
          });
        } catch (error) {
          seen.push(error);
        }
        seen.push(me.cancelling()); // the caller's counter was not touched
        try {
          yield* timeout(1_000, function* () {
            me.cancel(); // a new cancel of the caller reaches the body through the await
            yield* sleep(2_000);
          });
        } catch (error) {
          seen.push(error);
        }
      }
      return me.cancelling();
    });
    expect(await caller).toBe(2);
    expect(seen[0]).toBeInstanceOf(TimeoutError);
    expect(seen[1]).toBe(1);
    expect(seen[2]).toBeInstanceOf(CancelledError);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat and #cancelling-a-task
describe("timeout(): the caller", () => {
  it("a task that caught the TimeoutError carries on and is not cancelled", async () => {
    const caller = createTask(function* () {
      try {
        yield* timeout(1, function* () {
          yield* sleep(10_000);
        });
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
      }
      yield* sleep(1);
      return "carried on";
    });
    expect(await caller).toBe("carried on");
    expect(caller.cancelled()).toBe(false);
    expect(caller.cancelling()).toBe(0);
    expect(now()).toBe(2);
  });

  it("cancelling the task that awaits the scope cancels the body; it stays CancelledError", async () => {
    const tl = timeline();
    let body!: Task<unknown>;
    const caller = createTask(async () => {
      await timeout(100, async () => {
        body = currentTask()!;
        try {
          await sleep(1_000);
        } finally {
          tl.log("body cleanup");
        }
      });
    });
    await sleep(5);
    caller.cancel();
    await expectCancelled(caller);
    expect(body.cancelled()).toBe(true);
    expect(caller.cancelling()).toBe(1);
    expect(tl.stamped()).toEqual(["body cleanup@5"]);
  });

  it.each(["generator", "async"] as const)(
    "%s caller: cancelled while the body awaits foreign work, it gets the body's value and the CancelledError at its next wait",
    async (form) => {
      const foreign = foreignWork();
      const body = async () => {
        await foreign.done;
        return "value";
      };
      const log: unknown[] = [];
      const caller =
        form === "generator"
          ? createTask(function* () {
              log.push(yield* timeout(100, body));
              yield* sleep(1_000);
              log.push("slept through");
            })
          : createTask(async () => {
              log.push(await timeout(100, body));
              await sleep(1_000);
              log.push("slept through");
            });
      await sleep(5);
      caller.cancel();
      foreign.finish();
      await expectCancelled(caller);
      expect(log).toEqual(["value"]);
      expect(now()).toBe(5);
    },
  );

  it("a loop of timeout() scopes whose bodies return at once stops when its task is cancelled", async () => {
    let ran = 0;
    const caller = createTask(async () => {
      while (ran < 100_000) await timeout(100, async () => ++ran);
    });
    await sleep(0);
    expect(ran).toBeGreaterThan(0);
    caller.cancel();
    const before = ran;
    await expectCancelled(caller);
    expect(ran - before).toBeLessThanOrEqual(1);
  });

  it("the body runs as the returned task: currentTask() inside is it, scope.signal is its signal", async () => {
    let inside: unknown;
    let signal: AbortSignal | undefined;
    const task = timeout(10, function* (scope) {
      inside = currentTask();
      signal = scope.signal;
      yield* sleep(1);
    });
    await task;
    expect(inside).toBe(task);
    expect(signal).toBe(task.signal);
    expect(signal!.aborted).toBe(false);
  });

  it("works outside any task, and a task cancelled before it starts never runs the body", async () => {
    let ran = false;
    const task = timeout(10, () => {
      ran = true;
    });
    task.cancel();
    await expectCancelled(task);
    expect(ran).toBe(false);
  });
});
