import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  InvalidStateError,
  isCancelledError,
  now,
  shield,
  sleep,
  type Task,
  TimeoutError,
} from "@taskio/core";
import { expectCancelled, foreignWork, macrotask, outcome, settle, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { timeout, waitFor } from "../src/index.js";

async function rejection(aw: PromiseLike<unknown>): Promise<unknown> {
  const result = await outcome(aw as Task<unknown>);
  expect(result.status).toBe("rejected");
  return (result as { error: unknown }).error;
}

// asyncio's behaviour: docs/asyncio-semantics.md#waitfor
describe("waitFor: in time", () => {
  it("returns the result of a Future completed before the deadline", async () => {
    const fut = new Future<string>();
    const task = waitFor(fut, 200);
    sleep(0).addDoneCallback(() => fut.setResult("ok"));
    expect(await task).toBe("ok");
    expect(now()).toBe(0);
  });

  it("null (and Infinity) never time out", async () => {
    for (const none of [null, Infinity]) {
      const fut = new Future<number>();
      const task = waitFor(fut, none);
      sleep(1e9).addDoneCallback(() => fut.setResult(7));
      expect(await task).toBe(7);
    }
    expect(now()).toBe(2e9);
  });

  it("a completion at the deadline from a timer set earlier wins (no value is dropped)", async () => {
    const fut = new Future<string>();
    sleep(100).addDoneCallback(() => fut.setResult("just in time"));
    expect(await waitFor(fut, 100)).toBe("just in time");
  });

  it("a generator object, an async function and a generator function run as the returned task", async () => {
    let inside: unknown;
    function* gen() {
      inside = currentTask();
      yield* sleep(5);
      return "gen";
    }
    const a = waitFor(gen(), 10);
    expect(await a).toBe("gen");
    expect(inside).toBe(a);

    const b = waitFor(async (signal) => {
      inside = [currentTask(), signal];
      await sleep(5);
      return "async";
    }, 10);
    expect(await b).toBe("async");
    expect(inside).toEqual([b, b.signal]);

    const c = waitFor(function* () {
      yield* sleep(5);
      return "generator function";
    }, 10);
    expect(await c).toBe("generator function");
  });

  it("an already-done Future gives its outcome whatever ms is", async () => {
    const done = new Future<number>();
    done.setResult(3);
    expect(await waitFor(done, 10)).toBe(3);
    const failed = new Future<number>();
    const boom = new RangeError("boom");
    failed.setException(boom);
    expect(await rejection(waitFor(failed, 10))).toBe(boom);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#waitfor
describe("waitFor: time-out", () => {
  it("a plain Future is cancelled and the task rejects with TimeoutError caused by the CancelledError", async () => {
    const fut = new Future<number>();
    const error = await rejection(waitFor(fut, 10));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("waitFor() timed out after 10 ms");
    expect(isCancelledError((error as Error).cause)).toBe(true);
    expect(fut.cancelled()).toBe(true);
    expect(now()).toBe(10);
  });

  it("waits until a cancelled task has really finished, async cleanup included", async () => {
    const tl = timeline();
    const inner = createTask(async () => {
      try {
        await sleep(10_000);
      } catch (error) {
        tl.log("inner cancelled");
        await sleep(7);
        tl.log("inner cleaned up");
        throw error;
      }
    });
    const error = await rejection(waitFor(inner, 10));
    tl.log("timed out");
    expect(error).toBeInstanceOf(TimeoutError);
    expect(inner.cancelled()).toBe(true);
    expect(tl.stamped()).toEqual(["inner cancelled@10", "inner cleaned up@17", "timed out@17"]);
  });

  it("a coroutine body is cancelled where it waits, with the same cleanup guarantee", async () => {
    const tl = timeline();
    const task = waitFor(function* () {
      try {
        yield* sleep(10_000);
      } finally {
        yield* sleep(3);
        tl.log("finally done");
      }
    }, 10);
    expect(await rejection(task)).toBeInstanceOf(TimeoutError);
    expect(tl.stamped()).toEqual(["finally done@13"]);
  });

  it("another error raised while handling the cancellation propagates instead", async () => {
    const foo = new RangeError("foo");
    const task = waitFor(async () => {
      try {
        await sleep(200);
      } catch {
        throw foo;
      }
    }, 10);
    expect(await rejection(task)).toBe(foo);
  });

  it("if the work swallows the cancellation and returns, that value is returned", async () => {
    const returns42 = waitFor(function* () {
      try {
        yield* sleep(10_000);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
        return 42;
      }
      return 0;
    }, 100);
    expect(await returns42).toBe(42);
    expect(now()).toBe(100);

    const inner = createTask(async () => {
      try {
        await sleep(1_000);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
      }
      return 1;
    });
    expect(await waitFor(inner, 10)).toBe(1);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#waitfor
describe("waitFor: ms <= 0", () => {
  it.each([0, -1])("ms %s: an already-done Future returns its result", async (ms) => {
    const fut = new Future<string>();
    fut.setResult("done");
    expect(await waitFor(fut, ms)).toBe("done");
  });

  it.each([0, -1])("ms %s: a coroutine or a function is never started", async (ms) => {
    let started = false;
    function* gen() {
      started = true;
      yield* sleep(1);
    }
    const a = await rejection(waitFor(gen(), ms));
    const b = await rejection(
      waitFor(async () => {
        started = true;
      }, ms),
    );
    expect(a).toBeInstanceOf(TimeoutError);
    expect(b).toBeInstanceOf(TimeoutError);
    expect((a as Error).cause).toBeInstanceOf(CancelledError);
    expect(started).toBe(false);
  });

  it.each([0, -1])("ms %s: a running task is cancelled and awaited, cleanup included", async (ms) => {
    const tl = timeline();
    const inner = createTask(async () => {
      try {
        await sleep(10_000);
      } finally {
        await sleep(4);
        tl.log("cleanup finished");
      }
    });
    await sleep(1);
    const error = await rejection(waitFor(inner, ms));
    tl.log("timed out");
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isCancelledError((error as Error).cause)).toBe(true);
    expect(inner.cancelled()).toBe(true);
    expect(tl.stamped()).toEqual(["cleanup finished@5", "timed out@5"]);
  });

  it("ms 0: a pending plain Future is cancelled → TimeoutError", async () => {
    const fut = new Future<number>();
    expect(await rejection(waitFor(fut, 0))).toBeInstanceOf(TimeoutError);
    expect(fut.cancelled()).toBe(true);
  });

  it("ms 0: a task that swallows the cancellation gives its value", async () => {
    const inner = createTask(function* () {
      try {
        yield* sleep(100);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
      }
      return "kept";
    });
    await sleep(0);
    expect(await waitFor(inner, 0)).toBe("kept");
  });
});

describe("waitFor: what a TimeoutError shows", () => {
  function* forever(): Coroutine<never> {
    yield* sleep(10_000);
    throw new Error("not reached");
  }
  const asyncForever = async (): Promise<never> => {
    await sleep(10_000);
    throw new Error("not reached");
  };
  it.each([
    ["a generator", 10, () => forever(), "waitFor() timed out after 10 ms"],
    ["an async function", 10, () => asyncForever, "waitFor() timed out after 10 ms"],
    ["a Future", 10, () => new Future<never>(), "waitFor() timed out after 10 ms"],
    ["a promise", 10, () => later<never>().promise, "waitFor() timed out after 10 ms"],
    ["a generator, ms 0", 0, () => forever(), "waitFor() timed out: ms was 0, so the coroutine was never started"],
    ["a Future, ms 0", 0, () => new Future<never>(), "waitFor() timed out: ms was 0"],
  ] as const)("its stack is its message and the task that timed out (%s)", async (_, ms, make, message) => {
    const task = waitFor(make() as Future<never>, ms);
    task.setName("slow-fetch");
    const error = (await rejection(task)) as Error;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.stack).toBe(`TimeoutError: ${message}\n    at <task slow-fetch>`);
    expect(isCancelledError(error.cause)).toBe(true);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#waitfor
describe("waitFor: cancelling the caller", () => {
  it.each([null, 60_000])("timeout %s: the inner task is cancelled and the caller gets CancelledError", async (ms) => {
    const inner = createTask(function* () {
      yield* sleep(1e9);
    });
    const caller = createTask(function* () {
      return yield* waitFor(inner, ms);
    });
    sleep(0).addDoneCallback(() => caller.cancel());
    await expectCancelled(caller);
    expect(inner.cancelled()).toBe(true);
  });

  it("cancelling the returned task is not converted into TimeoutError even when it expires meanwhile", async () => {
    const inner = createTask(function* () {
      try {
        yield* sleep(1_000);
      } finally {
        yield* sleep(50); // cleanup runs past the deadline, which cancels it again
      }
    });
    const task = waitFor(inner, 20);
    await sleep(10);
    task.cancel();
    await expectCancelled(task);
    expect(inner.cancelled()).toBe(true);
    expect(task.cancelling()).toBe(1);
    expect(now()).toBe(20);
  });

  it("the returned task cancelled before its first step still cancels the Future it was given", async () => {
    const fut = new Future<number>();
    const task = waitFor(fut, 100);
    task.cancel();
    await expectCancelled(task);
    expect(fut.cancelled()).toBe(true);
  });

  it("an inner that ignores the caller's cancellation is awaited and its result returned", async () => {
    const tl = timeline();
    function* slow() {
      const end = now() + 200;
      while (now() < end) {
        try {
          yield* sleep(end - now());
        } catch (error) {
          if (!isCancelledError(error)) throw error;
          tl.log("ignored a cancel");
        }
      }
      return "slow result";
    }
    const task = waitFor(createTask(slow()), 400);
    await sleep(0);
    task.cancel();
    expect(await task).toBe("slow result");
    expect(task.cancelled()).toBe(false);
    expect(task.cancelling()).toBe(1);
    expect(tl.stamped()).toEqual(["ignored a cancel@0"]);
    expect(now()).toBe(200);
  });

  it("a caller cancelled after the inner completed is not lost: it lands at the caller's next wait", async () => {
    const inner = createTask(function* () {
      return "done";
    });
    let reached = false;
    const caller = createTask(function* () {
      yield* waitFor(inner, 100);
      yield* sleep(1);
      reached = true;
    });
    await sleep(0);
    caller.cancel();
    await expectCancelled(caller);
    expect(reached).toBe(false);
    expect(await inner).toBe("done");
  });

  it("a race: the wait already completed but the caller has not resumed yet", async () => {
    const inner = new Future<string>();
    let got: unknown;
    let reached = false;
    const caller: Task<void> = createTask(function* () {
      const waiting = waitFor(inner, 100);
      // Runs before the caller's own wake-up, after the value is in.
      waiting.addDoneCallback(() => caller.cancel());
      got = yield* waiting;
      yield* sleep(1);
      reached = true;
    });
    sleep(5).addDoneCallback(() => inner.setResult("value"));
    await expectCancelled(caller);
    expect(got).toBe("value");
    expect(reached).toBe(false);
  });
});

describe("waitFor: cancelled before its first step, the Future's outcome is kept", () => {
  // The caller is cancelled after it called waitFor but before waitFor's task took its first
  // step: a task created just before waitFor() takes its step first and cancels the caller.
  const callers = {
    generator: (fut: Future<string>, got: unknown[]) => {
      const caller: Task<void> = createTask(function* () {
        createTask(function* () {
          caller.cancel();
        });
        got.push(yield* waitFor(fut, 100));
        yield* sleep(1);
        got.push("ran past the next wait");
      });
      return caller;
    },
    "async function": (fut: Future<string>, got: unknown[]) => {
      const caller: Task<void> = createTask(async () => {
        createTask(function* () {
          caller.cancel();
        });
        got.push(await waitFor(fut, 100));
        await sleep(1);
        got.push("ran past the next wait");
      });
      return caller;
    },
  };

  it.each(Object.keys(callers) as (keyof typeof callers)[])(
    "%s caller: a done Future's value reaches the caller, which is cancelled at its next wait",
    async (form) => {
      const fut = new Future<string>();
      fut.setResult("item");
      const got: unknown[] = [];
      const caller = callers[form](fut, got);
      await expectCancelled(caller);
      expect(caller.cancelling()).toBe(1);
      expect(got).toEqual(["item"]);
    },
  );

  it.each(Object.keys(callers) as (keyof typeof callers)[])(
    "%s caller: a pending Future is cancelled at once, so nothing is handed to it afterwards",
    async (form) => {
      const fut = new Future<string>();
      const got: unknown[] = [];
      const caller = callers[form](fut, got);
      await expectCancelled(caller);
      expect(fut.cancelled()).toBe(true);
      expect(got).toEqual([]);
    },
  );

  it.each(Object.keys(callers) as (keyof typeof callers)[])(
    "%s caller: a task that ends with its value without seeing the request passed down gives the value, and the caller is cancelled at its next wait",
    async (form) => {
      const foreign = foreignWork();
      const inner = createTask(async () => {
        await foreign.done;
        return "value";
      });
      const log: unknown[] = [];
      const caller =
        form === "generator"
          ? createTask(function* () {
              log.push(yield* waitFor(inner, 100));
              yield* sleep(1);
              log.push("ran past the next wait");
            })
          : createTask(async () => {
              log.push(await waitFor(inner, 100));
              await sleep(1);
              log.push("ran past the next wait");
            });
      await settle();
      caller.cancel();
      foreign.finish();
      await expectCancelled(caller);
      expect(log).toEqual(["value"]);
    },
  );

  it("the returned task cancelled before its first step ends with a done Future's value", async () => {
    const fut = new Future<string>();
    fut.setResult("item");
    const task = waitFor(fut, 100);
    expect(task.cancel()).toBe(true);
    expect(await task).toBe("item");
    expect(task.cancelled()).toBe(false);
  });

  it("however many cancel requests come before the first step, a done Future's value is kept", async () => {
    const fut = new Future<string>();
    fut.setResult("item");
    const task = waitFor(fut, 100);
    expect(task.cancel()).toBe(true);
    expect(task.cancel("again")).toBe(true);
    expect(await task).toBe("item");
  });

  it("a Future completed after waitFor() but before the task's first step gives its value", async () => {
    const fut = new Future<string>();
    const task = waitFor(fut, 100);
    fut.setResult("handed over");
    expect(task.cancel()).toBe(true);
    expect(await task).toBe("handed over");
    expect(now()).toBe(0);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#waitfor
describe("waitFor(shield(t)) leaves t running", () => {
  function worker(ms: number) {
    return createTask(function* () {
      yield* sleep(ms);
      return "done";
    });
  }

  it("on time-out: TimeoutError, the shield's Future is cancelled, t completes later", async () => {
    const t = worker(50);
    const outer = shield(t);
    expect(await rejection(waitFor(outer, 10))).toBeInstanceOf(TimeoutError);
    expect(outer.cancelled()).toBe(true);
    expect(t.done()).toBe(false);
    expect(await t).toBe("done");
    expect(now()).toBe(50);
  });

  it("with ms 0: the same", async () => {
    const t = worker(50);
    await sleep(0);
    expect(await rejection(waitFor(shield(t), 0))).toBeInstanceOf(TimeoutError);
    expect(t.cancelled()).toBe(false);
    expect(await t).toBe("done");
  });

  it("with null: completes normally", async () => {
    expect(await waitFor(shield(worker(50)), null)).toBe("done");
  });
});

/** A minimal queue-like getter source (not @taskio/queue): getters are Futures, dropped when cancelled. */
class Getters<T> {
  readonly waiting: Future<T>[] = [];
  readonly items: T[] = [];
  get(): Future<T> {
    const getter = new Future<T>();
    if (this.items.length > 0) getter.setResult(this.items.shift()!);
    else this.waiting.push(getter);
    return getter;
  }
  put(item: T): void {
    this.drop();
    const getter = this.waiting.shift();
    if (getter) getter.setResult(item);
    else this.items.push(item);
  }
  /** Removes cancelled getters, as asyncio's Queue does. */
  drop(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]!.cancelled()) this.waiting.splice(i, 1);
  }
}

// asyncio's behaviour: docs/asyncio-semantics.md#waitfor
describe("waitFor(q.get(), ms) leaves no getter behind", () => {
  it("on time-out the getter is cancelled, so a later item stays in the queue", async () => {
    const q = new Getters<number>();
    expect(await rejection(waitFor(q.get(), 100))).toBeInstanceOf(TimeoutError);
    q.drop();
    expect(q.waiting).toHaveLength(0);
    q.put(1);
    expect(q.items).toEqual([1]);
  });

  it("the item arriving in time is delivered", async () => {
    const q = new Getters<number>();
    sleep(50).addDoneCallback(() => q.put(9));
    expect(await waitFor(q.get(), 100)).toBe(9);
  });

  it("cancelling the waitFor task before it started cancels the getter too", async () => {
    const q = new Getters<number>();
    const task = waitFor(q.get(), 100);
    task.cancel();
    await expectCancelled(task);
    q.put(2);
    expect(q.items).toEqual([2]);
  });
});

/** A promise that stays pending until the test settles it. */
function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("waitFor: a promise", () => {
  it("follows a PromiseLike; on time-out it rejects at the deadline, the promise cannot be cancelled", async () => {
    const { promise, resolve } = later<string>();
    expect(await rejection(waitFor(promise, 10))).toBeInstanceOf(TimeoutError);
    expect(now()).toBe(10);
    resolve("too late"); // nobody is hurt: the result is simply not read
    expect(await waitFor(Promise.resolve("now"), 10)).toBe("now");
  });

  it("times out with the message a Future's time-out has, caused by a CancelledError naming the task", async () => {
    const task = waitFor(later<string>().promise, 10);
    task.setName("slow-fetch");
    const error = await rejection(task);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("waitFor() timed out after 10 ms");
    const cause = (error as Error).cause as Error;
    expect(isCancelledError(cause)).toBe(true);
    expect(cause.message).toBe("waitFor() timed out after 10 ms");
    expect(cause.stack).toContain("<task slow-fetch>");
  });

  it("a rejection in time reaches the task as it is, and a CancelledError rejection cancels it", async () => {
    const boom = new Error("boom");
    expect(await rejection(waitFor(Promise.reject(boom), 10))).toBe(boom);
    const cancelled = new CancelledError("gave up");
    const task = waitFor(Promise.reject(cancelled), 10);
    await expectCancelled(task);
    expect(task.cancelled()).toBe(true);
    expect(now()).toBe(0);
  });

  it("a rejection with something that is not an Error instance reaches the task exactly as given", async () => {
    expect(await rejection(waitFor(Promise.reject(TypeError), 10))).toBe(TypeError);
    expect(await rejection(waitFor(Promise.reject("nope"), 10))).toBe("nope");
  });

  it("a thenable that is not a promise is followed too", async () => {
    const thenable: PromiseLike<number> = { then: (onFulfilled) => Promise.resolve(5).then(onFulfilled) };
    expect(await waitFor(thenable, 10)).toBe(5);
  });

  it("cancelling the returned task ends it cancelled, never timed out, and drops its deadline", async () => {
    const task = waitFor(later<string>().promise, 100);
    await macrotask();
    expect(task.cancel("stop")).toBe(true);
    await expectCancelled(task);
    // A deadline left behind would let the virtual clock jump to it once taskio is idle.
    await settle();
    expect(now()).toBe(0);
  });

  it("a generator task and an async-function task cancelled while they wait cancel the waitFor", async () => {
    const waits: Task<string>[] = [];
    const gen = createTask(function* () {
      const wait = waitFor(later<string>().promise, 100);
      waits.push(wait);
      return yield* wait;
    });
    const fn = createTask(async () => {
      const wait = waitFor(later<string>().promise, 100);
      waits.push(wait);
      return await wait;
    });
    await macrotask();
    gen.cancel();
    fn.cancel();
    await expectCancelled(gen);
    await expectCancelled(fn);
    for (const wait of waits) expect(wait.cancelled()).toBe(true);
    expect(now()).toBe(0);
  });

  it("in a timeout() body due at the same moment, only the outer scope times out", async () => {
    const task = timeout(10, () => waitFor(later<string>().promise, 10));
    const error = await rejection(task);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("timeout() timed out after 10 ms");
  });
});

describe("waitFor: misuse", () => {
  it("the task waiting on itself is refused", async () => {
    const task: Task<unknown> = createTask(function* () {
      try {
        waitFor(task, 10);
      } catch (error) {
        return error;
      }
    });
    expect(await task).toBeInstanceOf(InvalidStateError);
  });
});
