import {
  CancelledError,
  type Coroutine,
  createTask,
  Future,
  isCancelledError,
  shield,
  sleep,
  type Task,
} from "@taskio/core";
import { expectCancelled, outcome, settle, tick, timeline } from "@taskio/testkit";
import { describe, expect, it, vi } from "vitest";
import { gather } from "../src/index.js";

/** The two ways a child task can await a Future: a generator and an async function. */
const wrappers = {
  "generator tasks": <T>(fut: Future<T>) =>
    function* (): Coroutine<T> {
      return yield* fut;
    },
  "async-function tasks":
    <T>(fut: Future<T>) =>
    async () =>
      await fut,
  "plain Futures": <T>(fut: Future<T>) => fut,
};

// asyncio's behaviour: docs/asyncio-semantics.md#gather
describe.each(Object.entries(wrappers))("gather of %s", (_, wrap) => {
  const children = (futs: Future<number>[]) => futs.map((f) => wrap(f));

  it("resolves to the results in input order, only once every child is done", async () => {
    const [a, b, c] = [new Future<number>(), new Future<number>(), new Future<number>()];
    const g = gather(children([a, b, c]));
    const cb = vi.fn();
    g.addDoneCallback(cb);
    await settle();
    b.setResult(1);
    a.setResult(2);
    await settle();
    expect(g.done()).toBe(false);
    expect(cb).not.toHaveBeenCalled();
    c.setResult(3);
    await settle();
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb).toHaveBeenCalledWith(g);
    expect(g.result()).toEqual([2, 1, 3]);
  });

  it("rejects with the first error, ignores the rest and leaves the siblings running", async () => {
    const futs = Array.from({ length: 5 }, () => new Future<number>());
    const [a, b, c, d, e] = futs as [Future<number>, Future<number>, Future<number>, Future<number>, Future<number>];
    const g = gather(children(futs));
    const cb = vi.fn();
    g.addDoneCallback(cb);
    await settle();
    const boom = new RangeError("boom");
    a.setResult(1);
    b.setException(boom);
    await settle();
    expect(g.done()).toBe(true);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(g.exception()).toBe(boom);
    // Nothing was cancelled: the others go on and their outcomes change nothing.
    expect(c.cancelled() || d.cancelled() || e.cancelled()).toBe(false);
    c.setResult(3);
    d.cancel();
    e.setException(new TypeError("later"));
    await settle();
    expect(g.exception()).toBe(boom);
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it("collects errors in place with returnExceptions", async () => {
    const [a, b, c, d] = [new Future<number>(), new Future<number>(), new Future<number>(), new Future<number>()];
    const g = gather(children([a, b, c, d]), { returnExceptions: true });
    await settle();
    const zde = new RangeError("zde");
    const rte = new TypeError("rte");
    b.setResult(1);
    c.setException(zde);
    a.setResult(3);
    await settle();
    expect(g.done()).toBe(false);
    d.setException(rte);
    expect(await g).toEqual([3, 1, zde, rte]);
  });

  it("puts a CancelledError in place of a child cancelled from outside with returnExceptions", async () => {
    const futs = Array.from({ length: 6 }, () => new Future<number>());
    const g = gather(children(futs), { returnExceptions: true });
    await settle();
    const zde = new RangeError("zde");
    const rte = new TypeError("rte");
    futs[0]!.setResult(1);
    futs[1]!.setException(zde);
    futs[2]!.cancel("c");
    await settle();
    expect(g.done()).toBe(false);
    futs[3]!.setResult(3);
    futs[4]!.cancel();
    futs[5]!.setException(rte);
    const results = await g;
    expect(results[2]).toBeInstanceOf(CancelledError);
    expect((results[2] as Error).message).toBe("c");
    expect(results[4]).toBeInstanceOf(CancelledError);
    expect([results[0], results[1], results[3], results[5]]).toEqual([1, zde, 3, rte]);
  });

  it("ends with a child's CancelledError as its exception, not cancelled, siblings untouched", async () => {
    const futs = Array.from({ length: 5 }, () => new Future<number>());
    const g = gather(children(futs));
    const cb = vi.fn();
    g.addDoneCallback(cb);
    await settle();
    futs[0]!.setResult(1);
    futs[1]!.cancel("gone");
    await settle();
    expect(g.done()).toBe(true);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(g.cancelled()).toBe(false);
    expect(g.exception()).toBeInstanceOf(CancelledError);
    expect((g.exception() as Error).message).toBe("gone");
    expect(futs.slice(2).some((f) => f.done())).toBe(false);
    futs[2]!.setResult(3);
    futs[3]!.cancel();
    futs[4]!.setException(new TypeError("ignored"));
    await settle();
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#gather and #scheduling
describe("gather: fast paths and inputs", () => {
  it("is already done with [] for an empty array", () => {
    const g = gather([]);
    expect(g.done()).toBe(true);
    expect(g.result()).toEqual([]);
    expect(g.cancel()).toBe(false);
  });

  it("is already done when every Future is already done", () => {
    const a = new Future<number>();
    const b = new Future<string>();
    a.setResult(1);
    b.setResult("b");
    const g = gather([a, b]);
    expect(g.done()).toBe(true);
    expect(g.result()).toEqual([1, "b"]);

    const err = new Error("e");
    const c = new Future<number>();
    c.setException(err);
    const failed = gather([a, c, new Future<number>()]);
    expect(failed.done()).toBe(true);
    expect(failed.exception()).toBe(err);
  });

  it("runs a generator object, Future or promise listed twice once; a function twice runs twice", async () => {
    let calls = 0;
    function* coro(s: string): Coroutine<string> {
      calls++;
      yield* tick();
      return s;
    }
    const c = coro("abc");
    expect(await gather([c, c, coro("def"), c])).toEqual(["abc", "abc", "def", "abc"]);
    expect(calls).toBe(2);

    const p = Promise.resolve("p");
    const f = sleep(5, "f");
    expect(await gather([p, f, p, f])).toEqual(["p", "f", "p", "f"]);

    let runs = 0;
    const factory = async () => ++runs;
    expect(await gather([factory, factory])).toEqual([1, 2]);
  });

  it("runs a frozen generator object listed twice once", async () => {
    let calls = 0;
    function* coro(s: string): Coroutine<string> {
      calls++;
      yield* tick();
      return s;
    }
    const frozen = Object.freeze(coro("frozen"));
    expect(await gather([frozen, coro("x"), frozen])).toEqual(["frozen", "x", "frozen"]);
    expect(calls).toBe(2);
  });

  it("accepts every kind of awaitable and runs them concurrently", async () => {
    const log = timeline();
    const results = await gather([
      function* () {
        yield* sleep(30);
        log.log("gen");
        return "gen";
      },
      async () => {
        await sleep(10);
        log.log("async");
        return 1;
      },
      sleep(20, true),
      Promise.resolve(1n),
      () => "plain",
    ]);
    expect(results).toEqual(["gen", 1, true, 1n, "plain"]);
    expect(log.stamped()).toEqual(["async@10", "gen@30"]);
  });

  it("is awaited with yield* in a generator task", async () => {
    const task = createTask(function* () {
      const [a, b] = yield* gather([sleep(10, "a"), sleep(5, 2)]);
      return `${a}${b}`;
    });
    expect(await task).toBe("a2");
  });

  it("lets generator children interleave one step per loop iteration", async () => {
    const log: string[] = [];
    const worker = (id: string) =>
      function* () {
        for (let i = 0; i < 3; i++) {
          log.push(`${id}${i}`);
          yield* tick();
        }
      };
    await gather([worker("A"), worker("B")]);
    expect(log).toEqual(["A0", "B0", "A1", "B1", "A2", "B2"]);
  });

  it("marks a later sibling's failure retrieved (CoroutineGatherTests::test_exception_marking)", async () => {
    const a = new Future<undefined>();
    const b = new Future<undefined>();
    const inner = (f: Future<undefined>) =>
      function* () {
        yield* f;
        throw new RangeError("should not be ignored");
      };
    const outer = createTask(async () => {
      await gather([inner(a), inner(b)]);
    });
    await tick();
    a.setResult(undefined);
    await tick();
    b.setResult(undefined);
    await tick();
    expect((await outcome(outer)).status).toBe("rejected");
    // The leak check fails this test if b's task error is left unretrieved.
  });

  it("lets the siblings of a failed child finish with their values", async () => {
    const slow = createTask(async () => {
      await sleep(100);
      return "slow";
    });
    const g = gather([
      slow,
      async () => {
        await sleep(10);
        throw new Error("fast failure");
      },
    ]);
    await expect(g).rejects.toThrow("fast failure");
    expect(slow.done()).toBe(false);
    expect(await slow).toBe("slow");
  });

  it("refuses bad input with a TypeError and starts nothing", async () => {
    let ran = false;
    const fn = async () => {
      ran = true;
    };
    expect(() => gather([fn, 42 as never])).toThrow(/gather\(aws\): element 1 is not awaitable.*42 \(number\)/);
    expect(() => gather(new Set([fn]) as never)).toThrow(/gather\(aws\): aws must be an array/);
    expect(() => gather(new Future() as never)).toThrow(TypeError);
    expect(() => gather([fn], { returnExceptions: "yes" as never })).toThrow(/returnExceptions must be a boolean/);
    expect(() => gather([fn], 1 as never)).toThrow(/options must be an object/);
    await settle();
    expect(ran).toBe(false);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#gather and #shield
describe("gather: cancellation", () => {
  it.each(["generator", "async"] as const)(
    "cancelling the outermost of 20,000 nested gathers (%s children) reaches the innermost",
    async (form) => {
      // Each level's cancel() cancelled the next from inside its own call: the stack overflowed
      // (RangeError out of cancel(), the gathers left waiting).
      let innermost: Future<unknown> | undefined;
      const generatorLevel = function* (depth: number): Coroutine<unknown> {
        if (depth === 0) return yield* (innermost = sleep(1e9));
        return yield* gather([generatorLevel(depth - 1)]);
      };
      const asyncLevel = (depth: number): Future<unknown> =>
        depth === 0 ? (innermost = sleep(1e9)) : gather([() => asyncLevel(depth - 1)]);
      const outer = form === "generator" ? gather([generatorLevel(20_000)]) : asyncLevel(20_000);
      await settle();
      expect(outer.cancel()).toBe(true);
      expect(innermost!.cancelled()).toBe(true);
      // As asyncio's: the cancelled child's CancelledError, as the outer gather's exception.
      const ended = await outcome(outer);
      expect(ended.status !== "fulfilled" && isCancelledError(ended.error)).toBe(true);
    },
  );

  it.each(["generator", "async"])(
    "cancelling a %s task awaiting it cancels the gather and every child",
    async (kind) => {
      let proof = 0;
      const waiter = new Future<void>();
      const inner = async () => {
        await waiter;
        proof += 1;
      };
      const child1 = createTask(inner);
      const child2 = createTask(inner);
      let gatherer!: ReturnType<typeof gather<[Task<void>, Task<void>]>>;
      const outer =
        kind === "generator"
          ? createTask(function* () {
              gatherer = gather([child1, child2]);
              yield* gatherer;
              proof += 100;
            })
          : createTask(async () => {
              gatherer = gather([child1, child2]);
              await gatherer;
              proof += 100;
            });
      await tick();
      expect(outer.cancel()).toBe(true);
      await expectCancelled(outer);
      expect(gatherer.cancel()).toBe(false);
      expect(waiter.cancelled()).toBe(true);
      expect(child1.cancelled()).toBe(true);
      expect(child2.cancelled()).toBe(true);
      await tick();
      expect(proof).toBe(0);
    },
  );

  it("cancel() returns true when one child accepts, and cancels only the unfinished ones", async () => {
    const done = new Future<number>();
    done.setResult(1);
    const pending = new Future<number>();
    const g = gather([done, pending]);
    expect(g.cancel("stop")).toBe(true);
    expect(pending.cancelled()).toBe(true);
    const result = await outcome(g);
    // The gather ends with the CancelledError as its exception, as asyncio's does.
    expect(result.status).toBe("rejected");
    expect(g.cancelled()).toBe(false);
    expect(isCancelledError(g.exception())).toBe(true);
    expect((g.exception() as Error).message).toBe("stop");
  });

  it.each([false, true])(
    "always ends with CancelledError after cancel(), even if the children swallow it (returnExceptions %s)",
    async (returnExceptions) => {
      const swallow = async () => {
        try {
          await sleep(1000);
        } catch (e) {
          if (!isCancelledError(e)) throw e;
        }
        return "swallowed";
      };
      const swallowGen = function* () {
        try {
          yield* sleep(1000);
        } catch {}
        return "swallowed";
      };
      const g = gather([swallow, swallowGen], { returnExceptions });
      await tick();
      expect(g.cancel("my message")).toBe(true);
      const result = await outcome(g);
      expect(result.status).toBe("rejected");
      expect(isCancelledError((result as { error: unknown }).error)).toBe(true);
      expect(((result as { error: Error }).error as Error).message).toBe("my message");
    },
  );

  it.each([false, true])(
    "passes the cancel message to the awaiting task's caller (returnExceptions %s)",
    async (returnExceptions) => {
      const loop = createTask(async () => {
        for (let time = 0; time < 1000; time += 50) await gather([sleep(50)], { returnExceptions });
      });
      await sleep(200);
      loop.cancel("my message");
      const error = await expectCancelled(loop);
      expect(error.message).toBe("my message");
      expect(loop.cancelled()).toBe(true);
    },
  );

  it("refuses cancel() once every child is done but before it resolved (generator children)", async () => {
    // Generator children only: an async function's return takes a microtask turn more (see docs/asyncio-semantics.md#scheduling).
    const fut = new Future<number>();
    const child = function* () {
      return yield* fut;
    };
    const g = gather([child, child, fut]);
    let cancelResult: boolean | undefined;
    await settle();
    fut.addDoneCallback(() => {
      cancelResult = g.cancel();
    });
    fut.setResult(42);
    expect(await g).toEqual([42, 42, 42]);
    expect(cancelResult).toBe(false);
    expect(g.cancelled()).toBe(false);
  });

  it("makes the awaiting task end cancelled when a child is cancelled from outside", async () => {
    for (const kind of ["generator", "async"]) {
      const child = createTask(() => sleep(1000));
      const waiter =
        kind === "generator"
          ? createTask(function* () {
              return yield* gather([child, sleep(500)]);
            })
          : createTask(async () => await gather([child, sleep(500)]));
      await tick();
      child.cancel("bye");
      const error = await expectCancelled(waiter);
      expect(error.message).toBe("bye");
      expect(waiter.cancelled()).toBe(true);
      expect(waiter.cancelling()).toBe(0);
      await settle();
    }
  });

  it("composes with shield: a shielded gather survives, a gather of shields leaves the inner Futures", async () => {
    const c1 = new Future<number>();
    const c2 = new Future<number>();
    const parent = gather([c1, c2]);
    const outer = shield(parent);
    await tick();
    outer.cancel();
    await tick();
    expect(outer.cancelled()).toBe(true);
    c1.setResult(1);
    c2.setResult(2);
    await settle();
    expect(parent.result()).toEqual([1, 2]);

    const d1 = new Future<number>();
    const d2 = new Future<number>();
    const inner1 = shield(d1);
    const inner2 = shield(d2);
    const both = gather([inner1, inner2]);
    await tick();
    expect(both.cancel()).toBe(true);
    await tick();
    expect(isCancelledError(both.exception())).toBe(true);
    expect(inner1.cancelled() && inner2.cancelled()).toBe(true);
    expect(d1.cancelled() || d2.cancelled()).toBe(false);
    d1.setResult(1);
    d2.setResult(2);
    await settle();
  });

  it("is cancelled through then() when awaited with Promise.all in an async task", async () => {
    const child = createTask(() => sleep(1000));
    const task = createTask(async () => {
      await Promise.all([gather([child]), sleep(10)]);
    });
    await tick();
    task.cancel();
    await expectCancelled(task);
    expect(child.cancelled()).toBe(true);
  });

  it("discards a completed child's value when cancelled after it (the documented trap)", async () => {
    const first = new Future<string>();
    const g = gather([first, () => sleep(1000)]);
    first.setResult("item taken from a queue");
    expect(g.cancel()).toBe(true);
    expect((await outcome(g)).status).toBe("rejected");
    expect(first.result()).toBe("item taken from a queue"); // still in the child, but gather's caller never sees it
  });
});
