import { tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import {
  allTasks,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  InvalidStateError,
  sleep,
  Task,
} from "../src/index.js";

// asyncio's behaviour: docs/asyncio-semantics.md#scheduling and #tasks and #futures
describe("creation and scheduling", () => {
  it("never runs the coroutine inside createTask; first steps run FIFO", async () => {
    const log: string[] = [];
    function* w(i: number): Coroutine<void> {
      log.push(`start${i}`);
      yield* tick();
      log.push(`step2-${i}`);
    }
    // main is a generator task too: in an async function every await takes an extra microtask turn.
    await createTask(function* () {
      const tasks = [createTask(w(1)), createTask(w(2)), createTask(w(3))];
      log.push("after-create");
      yield* tick();
      log.push("main");
      for (const t of tasks) yield* t;
    });
    expect(log).toEqual(["after-create", "start1", "start2", "start3", "main", "step2-1", "step2-2", "step2-3"]);
  });

  it("sleep(0) gives up one iteration: two generator tasks alternate", async () => {
    const log: string[] = [];
    function* w(id: string): Coroutine<void> {
      for (let i = 0; i < 3; i++) {
        log.push(`${id}${i}`);
        yield* sleep(0);
      }
    }
    await Promise.all([createTask(w("A")), createTask(w("B"))]);
    expect(log).toEqual(["A0", "B0", "A1", "B1", "A2", "B2"]);
  });

  it("sleep(0, value) returns value and lets timers and I/O run first", async () => {
    let immediate = false;
    setImmediate(() => {
      immediate = true;
    });
    expect(await sleep(0, 10)).toBe(10);
    expect(immediate).toBe(true);
  });

  it("a loop of sleep(0) does not starve the event loop", async () => {
    let immediates = 0;
    const t = createTask(async () => {
      for (let i = 0; i < 5; i++) {
        setImmediate(() => immediates++);
        await sleep(0);
      }
    });
    await t;
    expect(immediates).toBe(5);
  });

  it("a long chain of ready work yields to the macrotask queue", async () => {
    let immediateRanAt = -1;
    let steps = 0;
    setImmediate(() => {
      immediateRanAt = steps;
    });
    await createTask(function* () {
      for (let i = 0; i < 5000; i++) {
        const f = new Future<number>();
        queueMicrotask(() => f.setResult(i));
        yield* f;
        steps++;
      }
    });
    expect(immediateRanAt).toBeGreaterThanOrEqual(0);
    expect(immediateRanAt).toBeLessThan(5000);
  });

  it("a task's outcome is its coroutine's", async () => {
    function* inner1(): Coroutine<number> {
      yield* tick();
      return 42;
    }
    async function inner2() {
      await tick();
      return 1000;
    }
    const t = createTask(function* () {
      const a = yield* inner1();
      const b = yield* createTask(inner2);
      return a + b;
    });
    expect(t).toBeInstanceOf(Future);
    expect(await t).toBe(1042);
    const bad = createTask(async () => {
      throw new RangeError("no");
    });
    await expect(bad).rejects.toThrow(RangeError);
    expect(bad.exception()).toBeInstanceOf(RangeError);
  });

  it("runs all three function forms: async, generator function, plain", async () => {
    const signals: boolean[] = [];
    expect(
      await createTask(async (signal) => {
        signals.push(signal instanceof AbortSignal);
        return "async";
      }),
    ).toBe("async");
    expect(
      await createTask(function* () {
        yield* tick();
        return "gen";
      }),
    ).toBe("gen");
    expect(await createTask(() => "plain")).toBe("plain");
    expect(signals).toEqual([true]);
  });

  it("a function returning a taskio Future follows it; cancelling the task cancels it", async () => {
    const f = new Future<number>();
    const t = createTask(() => f);
    await tick();
    f.setResult(5);
    expect(await t).toBe(5);
    const g = new Future<number>();
    const u = createTask(() => g);
    await tick();
    u.cancel("stop");
    await expect(u).rejects.toThrow("stop");
    expect(g.cancelled()).toBe(true);
    expect(u.cancelled()).toBe(true);
  });

  it("a generator that returns a Future produces that Future", async () => {
    const f = new Future<string>();
    const t = createTask(function* () {
      return f;
    });
    await new Promise<void>((resolve) => t.addDoneCallback(() => resolve()));
    expect(t.result()).toBe(f);
  });

  it("does not suspend on a done Future in a generator", async () => {
    const log: string[] = [];
    const f = new Future<number>();
    f.setResult(42);
    await createTask(function* () {
      createTask(function* () {
        log.push("other");
      });
      const a = yield* f;
      const b = yield* f;
      log.push(`got ${a} ${b}`);
    });
    expect(log).toEqual(["got 42 42", "other"]);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#tasks
describe("misuse", () => {
  it("refuses setResult/setException on a task, which still completes with its own value", async () => {
    const t = createTask(function* () {
      yield* tick();
      return 1;
    });
    expect(() => t.setResult(2)).toThrow(InvalidStateError);
    expect(() => t.setException(new Error())).toThrow(InvalidStateError);
    expect(await t).toBe(1);
  });

  it("a task awaiting itself gets an InvalidStateError thrown into it", async () => {
    const t: Task<string> = createTask(function* (): Coroutine<string> {
      try {
        yield* t;
      } catch (e) {
        return (e as Error).name;
      }
      return "no";
    });
    expect(await t).toBe("InvalidStateError");
  });

  it("a bare yield (no star) throws a TypeError into the generator", async () => {
    const t = createTask(function* (): Generator<any, string, unknown> {
      try {
        yield sleep(1);
      } catch (e) {
        return String((e as Error).message);
      }
      return "no";
    } as never);
    expect(await t).toMatch(/use `yield\* future`/);
  });

  it.each([
    [42, /got 42 \(number\)/],
    [null, /got null/],
    [Promise.resolve(1), /already running outside the task/],
    [(async function* () {})(), /async generator/],
    [
      async function* () {},
      /async generator: not a taskio coroutine\. Use a generator with `yield\*`, or an async function/,
    ],
    [createTask(() => 1), /got a Task: this promise is already running/],
    [new Future(), /got a Future: this promise is already running/],
  ])("createTask(%s) is a TypeError that says what to do", (bad, message) => {
    expect(() => createTask(bad as never)).toThrow(TypeError);
    expect(() => createTask(bad as never)).toThrow(message);
  });

  it("fails a task whose function returned an async generator, with the same TypeError", async () => {
    // The types refuse it too; a JavaScript caller gets the TypeError at the first step.
    const t = createTask((() => (async function* () {})()) as never);
    await expect(t).rejects.toThrow(/async generator: not a taskio coroutine/);
  });

  it("a generator object given to two tasks runs in the first; the second fails with a TypeError that says what to do", async () => {
    const job = (function* () {
      yield* sleep(10);
      return "value";
    })();
    const first = createTask(job);
    const second = createTask(job);
    await expect(second).rejects.toThrow(
      /another task runs: a generator runs in one task, so call the generator function again/,
    );
    expect(await first).toBe("value");
  });

  it("a task that yield*s a generator another task runs fails the same way, and leaves it to that task", async () => {
    const job = (function* () {
      yield* sleep(10);
      return "value";
    })();
    const owner = createTask(job);
    await tick();
    const intruder = createTask(function* () {
      return yield* job;
    });
    await expect(intruder).rejects.toThrow(TypeError);
    expect(await owner).toBe("value");
  });

  it("new Task() is a TypeError that points to createTask (such a task would never run)", () => {
    const construct = Task as unknown as new (coro: unknown) => Task<unknown>;
    expect(() => new construct((function* () {})())).toThrow(TypeError);
    expect(() => new construct((function* () {})())).toThrow(/call createTask\(coro\)/);
  });

  it("validates options", () => {
    expect(() => createTask(() => 1, { name: 5 as never })).toThrow(/options.name must be a string/);
    expect(() => createTask(() => 1, { signal: {} as never })).toThrow(/options.signal must be an AbortSignal/);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#tasks
describe("names, currentTask, allTasks", () => {
  it("names tasks Task-<n> from a process-wide counter, or as given", async () => {
    const a = createTask(() => 1);
    const b = createTask(() => 2, { name: "worker" });
    const n = Number(a.getName().slice(5));
    expect(a.getName()).toMatch(/^Task-\d+$/);
    expect(createTask(() => 3).name).toBe(`Task-${n + 2}`);
    expect(b.getName()).toBe("worker");
    b.setName("w2");
    expect(b.name).toBe("w2");
    expect(String(b)).toBe("<Task pending name='w2'>");
    await tick();
    expect(String(b)).toBe("<Task finished name='w2' result=2>");
    await a;
  });

  it("currentTask() is the running task in generator and async tasks, undefined outside", async () => {
    expect(currentTask()).toBeUndefined();
    const seen: boolean[] = [];
    const gen: Task<void> = createTask(function* () {
      seen.push(currentTask() === gen);
      yield* tick();
      seen.push(currentTask() === gen);
    });
    const fn: Task<void> = createTask(async () => {
      seen.push(currentTask() === fn);
      await tick();
      seen.push(currentTask() === fn);
      await new Promise((r) => setTimeout(r, 0));
      seen.push(currentTask() === fn);
    });
    await Promise.all([gen, fn]);
    expect(seen).toEqual([true, true, true, true, true]);
  });

  it("currentTask() inside a callback scheduled from a task is undefined once the task ended", async () => {
    let later: unknown = "unset";
    const t = createTask(async () => {
      setImmediate(() => {
        later = currentTask();
      });
    });
    await t;
    await new Promise((r) => setImmediate(r));
    expect(later).toBeUndefined();
  });

  it("allTasks() holds pending tasks only", async () => {
    const t = createTask(() => sleep(10));
    expect(allTasks().has(t)).toBe(true);
    await t;
    expect(allTasks().has(t)).toBe(false);
  });

  it("allTasks() keeps the tasks still pending among thousands that ended, oldest first", async () => {
    const gate = new Future<void>();
    const waiting: Task<void>[] = [];
    for (let round = 0; round < 40; round++) {
      waiting.push(
        round % 2 === 0
          ? createTask(function* () {
              yield* gate;
            })
          : createTask(async () => {
              await gate;
            }),
      );
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          i % 2 === 0
            ? createTask(function* () {
                return 1;
              })
            : createTask(async () => 1),
        ),
      );
    }
    expect([...allTasks()].filter((t) => waiting.includes(t as Task<void>))).toEqual(waiting);
    gate.setResult();
    await Promise.all(waiting);
    expect([...allTasks()].filter((t) => waiting.includes(t as Task<void>))).toEqual([]);
  });
});
