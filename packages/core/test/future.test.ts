import { cpuTime, propertyParams, tick } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { CancelledError, createTask, Future, InvalidStateError, setExceptionHandler, sleep } from "../src/index.js";

// asyncio's behaviour: docs/asyncio-semantics.md#futures and #gather
describe("Future states", () => {
  it("starts pending and cannot be read", () => {
    const f = new Future<number>();
    expect(f.done()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(() => f.result()).toThrow(InvalidStateError);
    expect(() => f.exception()).toThrow(InvalidStateError);
  });

  it("completes once with a result", () => {
    const f = new Future<number>();
    f.setResult(42);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(42);
    expect(f.exception()).toBeUndefined();
    expect(() => f.setResult(1)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error())).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    expect(f.result()).toBe(42);
  });

  it("completes once with an exception, rethrowing the same object", () => {
    const f = new Future<number>();
    const e = new RangeError("bad");
    f.setException(e);
    expect(() => f.result()).toThrow(e);
    expect(f.exception()).toBe(e);
    expect(f.cancel()).toBe(false);
  });

  it("instantiates an exception class passed to setException", () => {
    const f = new Future();
    f.setException(TypeError);
    expect(f.exception()).toBeInstanceOf(TypeError);
  });

  it("takes a CancelledError as an exception: done, not cancelled (gather relies on it)", () => {
    const f = new Future();
    const c = new CancelledError("child");
    f.setException(c);
    expect(f.cancelled()).toBe(false);
    expect(f.exception()).toBe(c);
  });

  it("cancel() takes effect at once, and both readers throw", () => {
    const f = new Future();
    expect(f.cancel("m")).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.exception()).toThrow("m");
    expect(() => f.setResult(1)).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
  });

  it("await of a cancelled future rejects with the message", async () => {
    const f = new Future();
    f.cancel("why");
    await expect(f).rejects.toThrow(CancelledError);
    await expect(f).rejects.toMatchObject({ name: "CancelledError", message: "why" });
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#done-callbacks
describe("done-callbacks", () => {
  it("never run synchronously, run in registration order, get the future", async () => {
    const log: unknown[] = [];
    const f = new Future<number>();
    f.addDoneCallback((fut) => log.push(["cb1", fut === f]));
    f.setResult(1);
    f.addDoneCallback(() => log.push("cb2"));
    expect(log).toEqual([]);
    await tick();
    expect(log).toEqual([["cb1", true], "cb2"]);
  });

  it("removeDoneCallback removes every registration and counts them", async () => {
    const log: number[] = [];
    const f = new Future<number>();
    const cb1 = () => log.push(1);
    const cb2 = () => log.push(2);
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    expect(f.removeDoneCallback(cb2)).toBe(1);
    expect(f.removeDoneCallback(() => {})).toBe(0);
    expect(() => f.removeDoneCallback(undefined as never)).toThrow(
      /callback must be the function given to addDoneCallback\(\), got undefined/,
    );
    f.addDoneCallback(cb2);
    for (let i = 0; i < 5; i++) f.addDoneCallback(cb1);
    expect(f.removeDoneCallback(cb1)).toBe(6);
    f.setResult(1);
    await tick();
    expect(log).toEqual([2]);
  });

  it("snapshots the list at completion: a later removal returns 0 and stops nothing", async () => {
    const log: string[] = [];
    const f = new Future();
    const s2 = () => log.push("s2");
    let removed = -1;
    f.addDoneCallback(() => {
      log.push("mut");
      removed = f.removeDoneCallback(s2);
    });
    f.addDoneCallback(s2);
    f.addDoneCallback(s2);
    f.setResult(1);
    await tick();
    expect(log).toEqual(["mut", "s2", "s2"]);
    expect(removed).toBe(0);
  });

  it("a throwing callback is reported and the next still runs", async () => {
    const handler = vi.fn();
    setExceptionHandler(handler);
    try {
      const log: string[] = [];
      const f = new Future();
      f.addDoneCallback(() => {
        throw new Error("cb failed");
      });
      f.addDoneCallback(() => log.push("next"));
      f.setResult(1);
      await tick();
      expect(log).toEqual(["next"]);
      expect(handler).toHaveBeenCalledWith(
        expect.objectContaining({ error: expect.objectContaining({ message: "cb failed" }) }),
      );
    } finally {
      setExceptionHandler((ctx) => console.error(ctx.message, ctx.error));
    }
  });

  it("rejects a non-function callback", () => {
    expect(() => new Future().addDoneCallback(42 as never)).toThrow(/callback must be a function/);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#futures
describe("done-callbacks of a Future many wait on", () => {
  type Step = { add: number } | { remove: number };
  const steps = fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ add: fc.integer({ min: 0, max: 40 }) }) },
      { weight: 2, arbitrary: fc.record({ remove: fc.integer({ min: 0, max: 40 }) }) },
    ),
    { maxLength: 600, size: "max" },
  );

  it("however callbacks come and go, the rest run once each, in registration order", async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (plan: Step[]) => {
        const f = new Future<number>();
        const ran: number[] = [];
        const callbacks = Array.from({ length: 41 }, (_, id) => () => ran.push(id));
        let model: number[] = [];
        for (const step of plan) {
          if ("add" in step) {
            f.addDoneCallback(callbacks[step.add]!);
            model.push(step.add);
          } else {
            const before = model.length;
            model = model.filter((id) => id !== step.remove);
            expect(f.removeDoneCallback(callbacks[step.remove]!)).toBe(before - model.length);
          }
        }
        f.setResult(1);
        await tick();
        expect(ran).toEqual(model);
      }),
      propertyParams(100),
    );
  });

  it("removing each of many callers' callbacks does not search the whole list each time", async () => {
    // Each removal used to read every registration: 100,000 callers giving up one by one (each
    // wait() with a timeout, each shield() cancelled) took about 30 s with the event loop blocked.
    const f = new Future();
    const callbacks = Array.from({ length: 100_000 }, () => () => {});
    for (const callback of callbacks) f.addDoneCallback(callback);
    let removed = 0;
    const used = await cpuTime(() => {
      for (const callback of callbacks) removed += f.removeDoneCallback(callback);
    });
    // Generous for a loaded machine: this takes under 100 ms.
    expect(used).toBeLessThan(2_000);
    expect(removed).toBe(100_000);
  });
});

describe("awaiting", () => {
  it("await and then() give the result; repeated awaits give the same value", async () => {
    const f = new Future<string>();
    setTimeout(() => f.setResult("v"), 0);
    expect(await f).toBe("v");
    expect(await f).toBe("v");
    expect(await f.then((v) => v.length)).toBe(1);
  });

  it("catch() and finally() behave like a promise's", async () => {
    const f = new Future();
    f.setException(new Error("x"));
    expect(await f.catch((e: Error) => e.message)).toBe("x");
    const order: string[] = [];
    await f.finally(() => order.push("finally")).catch(() => order.push("caught"));
    expect(order).toEqual(["finally", "caught"]);
  });

  it("a subclass that overrides then() is awaited through its own then()", async () => {
    class Doubled extends Future<number> {
      override then<R1 = number, R2 = never>(
        onFulfilled?: ((value: number) => R1 | PromiseLike<R1>) | null,
        onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
      ): Promise<R1 | R2> {
        return super.then((value) => value * 2).then(onFulfilled, onRejected);
      }
    }
    const f = new Doubled();
    f.setResult(21);
    expect(await f).toBe(42);
  });

  it("iterating a Future outside a taskio generator throws a TypeError saying to use await", () => {
    const f = new Future();
    f.setResult(1);
    expect(() => [...(f as unknown as Iterable<unknown>)]).toThrow(/use `await`/);
  });

  it("prints like asyncio", () => {
    const f = new Future<number>();
    expect(String(f)).toBe("<Future pending>");
    f.setResult(3);
    expect(String(f)).toBe("<Future finished result=3>");
    const g = new Future();
    g.cancel();
    expect(String(g)).toBe("<Future cancelled>");
  });
});

describe("who resumes first when a Future completes", () => {
  const completers = {
    "plain code": (f: Future<number>) => f.setResult(1),
    "a generator task": (f: Future<number>) =>
      createTask(function* () {
        f.setResult(1);
      }),
    "an async-function task": (f: Future<number>) =>
      createTask(async () => {
        f.setResult(1);
      }),
  };

  it.each(Object.keys(completers))(
    "completed from %s: its done-callbacks and generator tasks first, then the awaiting async functions in the order they awaited",
    async (from) => {
      const order: string[] = [];
      const f = new Future<number>();
      const outside = (async () => {
        await f;
        order.push("async function outside any task");
      })();
      const first = createTask(async () => {
        await f;
        order.push("async task 1");
      });
      f.addDoneCallback(() => order.push("done-callback"));
      const generator = createTask(function* () {
        yield* f;
        order.push("generator task");
      });
      const second = createTask(async () => {
        await f;
        order.push("async task 2");
      });
      await sleep(0);
      await completers[from as keyof typeof completers](f);
      await Promise.all([outside, first, generator, second]);
      expect(order).toEqual([
        "done-callback",
        "generator task",
        "async function outside any task",
        "async task 1",
        "async task 2",
      ]);
    },
  );
});
