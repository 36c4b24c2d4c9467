import { currentClock, settle, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, Future, now, sleep } from "../src/index.js";
import {
  AbortableWaiter,
  callLater,
  callSoon,
  checkBody,
  constantFuture,
  GetIterator,
  isGeneratorFunction,
  listenWaiter,
  rejectedFuture,
  resolvedFuture,
  resolveWaiter,
  WITHDRAW,
} from "../src/internal.js";

describe("callSoon", () => {
  it("runs the callback after the callbacks already queued, never synchronously", async () => {
    const tl = timeline();
    const done = new Future<undefined>();
    done.addDoneCallback(() => tl.log("queued first"));
    done.setResult(undefined);
    callSoon((who) => tl.log(who), "soon");
    tl.log("sync");
    await settle();
    expect(tl.labels()).toEqual(["sync", "queued first", "soon"]);
  });

  it("does not run a callback cancelled while it waits in the ready queue", async () => {
    const ran: string[] = [];
    const handle = callSoon((who) => ran.push(who), "soon");
    handle.cancel();
    await settle();
    expect(ran).toEqual([]);
    expect(handle.pending()).toBe(false);
  });
});

describe("callLater", () => {
  it("runs the callback `ms` later on taskio's clock", async () => {
    const clock = currentClock()!;
    clock.autoAdvance = false;
    const start = now();
    const fired: number[] = [];
    callLater(100, () => fired.push(now() - start), undefined);
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([100]);
  });

  it("never runs a callback cancelled before it is due", async () => {
    const clock = currentClock()!;
    clock.autoAdvance = false;
    const fired: string[] = [];
    const early = callLater(50, (who) => fired.push(who), "early");
    early.cancel();
    await clock.advance(100);
    expect(fired).toEqual([]);
  });

  it("with 0 waits for the next macrotask turn, as sleep(0) does", async () => {
    const tl = timeline();
    callLater(0, () => tl.log("later(0)"), undefined);
    createTask(function* () {
      tl.log("task step");
    });
    await sleep(0);
    await settle();
    expect(tl.labels()).toEqual(["task step", "later(0)"]);
  });
});

describe("isGeneratorFunction and checkBody", () => {
  it("tells a generator function (bound too) from async, plain and async generator functions", () => {
    function* gen() {}
    expect(isGeneratorFunction(gen)).toBe(true);
    expect(isGeneratorFunction(gen.bind(null))).toBe(true);
    expect(isGeneratorFunction(async () => {})).toBe(false);
    expect(isGeneratorFunction(() => 1)).toBe(false);
    expect(isGeneratorFunction(async function* () {})).toBe(false);
    expect(isGeneratorFunction(gen())).toBe(false);
  });

  it("refuses a non-function and an async generator function, naming the call", () => {
    expect(() => checkBody(42, "Thing.run()")).toThrow(/^Thing\.run\(\): fn must be a function .*got 42/);
    expect(() => checkBody(async function* () {}, "Thing.run()")).toThrow(/async generator function/);
    expect(() => checkBody(async () => 1, "Thing.run()")).not.toThrow();
  });
});

describe("settled Futures", () => {
  it("are done at once with the value, or with exactly the error (a CancelledError stays an exception)", () => {
    expect(resolvedFuture(3).result()).toBe(3);
    const reason = new CancelledError("from a signal");
    const failed = rejectedFuture(reason);
    expect(failed.cancelled()).toBe(false);
    expect(failed.exception()).toBe(reason);
  });
});

describe("constantFuture", () => {
  it("hands out one done Future that behaves as any other, awaited or yielded", async () => {
    const done = constantFuture(7);
    const future = done();
    expect(future).toBeInstanceOf(Future);
    expect(future.done()).toBe(true);
    expect(future.result()).toBe(7);
    expect(future.cancel()).toBe(false);
    expect(() => future.setResult(8)).toThrow(/already done/);
    expect(String(future)).toBe("<Future finished result=7>");
    expect(await done()).toBe(7);
    expect(await done().then((v) => v + 1)).toBe(8);
    expect(await done().finally(() => undefined)).toBe(7);
    expect(await done().catch(() => 0)).toBe(7);
    const [calledWith] = await new Promise<unknown[]>((resolve) => done().addDoneCallback((f) => resolve([f])));
    expect(calledWith).toBe(future);
    expect(
      await createTask(function* () {
        return (yield* done()) + (yield* done());
      }),
    ).toBe(14);
  });

  it("settles an await within one turn, as a resolved promise does", async () => {
    const done = constantFuture("value");
    const order: string[] = [];
    const awaiting = (async () => {
      await done();
      order.push("future");
    })();
    const promised = (async () => {
      await Promise.resolve();
      await Promise.resolve();
      order.push("second promise turn");
    })();
    await Promise.all([awaiting, promised]);
    expect(order).toEqual(["future", "second promise turn"]);
  });

  it("still lets a macrotask in when an async function loops on it", async () => {
    const done = constantFuture(true);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    for (let i = 0; !ran; i++) {
      if (i > 1_000_000) throw new Error("the loop starved the event loop");
      await done();
    }
    expect(ran).toBe(true);
  });
});

/** A waiter in a one-list primitive, logging the order of its steps. */
class LoggedWaiter extends AbortableWaiter<string> {
  constructor(readonly log: string[]) {
    super();
  }
  override [WITHDRAW](): void {
    this.log.push(`withdraw (done: ${this.done()})`);
  }
}

describe("AbortableWaiter", () => {
  it("on abort stops listening, withdraws, then settles with exactly the signal's reason", async () => {
    const log: string[] = [];
    const waiter = new LoggedWaiter(log);
    const controller = new AbortController();
    listenWaiter(waiter, controller.signal);
    const reason = new Error("gave up");
    controller.abort(reason);
    expect(log).toEqual(["withdraw (done: false)"]);
    expect(waiter.exception()).toBe(reason);
    expect(waiter._signal).toBeUndefined();
  });

  it("on cancel settles at once, then withdraws; a second cancel does nothing", () => {
    const log: string[] = [];
    const waiter = new LoggedWaiter(log);
    listenWaiter(waiter, new AbortController().signal);
    expect(waiter.cancel()).toBe(true);
    expect(waiter.cancel()).toBe(false);
    expect(log).toEqual(["withdraw (done: true)"]);
    expect(waiter._signal).toBeUndefined();
  });

  it("served by the primitive, stops listening and never withdraws", () => {
    const log: string[] = [];
    const waiter = new LoggedWaiter(log);
    const controller = new AbortController();
    listenWaiter(waiter, controller.signal);
    resolveWaiter(waiter, "item");
    controller.abort();
    expect(waiter.result()).toBe("item");
    expect(log).toEqual([]);
  });
});

describe("GetIterator", () => {
  it("yields each get() and ends when get() rejects with the end error; other errors throw", async () => {
    class End extends Error {}
    const replies = [resolvedFuture(1), resolvedFuture(2), rejectedFuture<number>(new End())];
    const items: number[] = [];
    const queue = { get: () => replies.shift()! };
    for await (const item of { [Symbol.asyncIterator]: () => new GetIterator(queue, (e) => e instanceof End) }) {
      items.push(item);
    }
    expect(items).toEqual([1, 2]);
    const failing = new GetIterator({ get: () => rejectedFuture<number>(new Error("boom")) }, () => false);
    await expect(failing.next()).rejects.toThrow("boom");
  });

  it("after return(), ends at once without calling get()", async () => {
    let gets = 0;
    const queue = {
      get: () => {
        gets++;
        return resolvedFuture(1);
      },
    };
    const iterator = new GetIterator(queue, () => false);
    await iterator.return();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(gets).toBe(0);
  });
});
