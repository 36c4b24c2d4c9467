import { CancelledError, createTask, currentTask, isCancelledError, sleep } from "@taskio/core";
import { expectCancelled, outcome, tick } from "@taskio/testkit";
import { describe, expect, it, vi } from "vitest";
import { Queue } from "../src/index.js";
import { drain, forms, getter, putter, waiters } from "./helpers.js";

/** An AbortSignal whose listener bookkeeping the test can read. */
function spiedController() {
  const controller = new AbortController();
  const add = vi.spyOn(controller.signal, "addEventListener");
  const remove = vi.spyOn(controller.signal, "removeEventListener");
  return { controller, signal: controller.signal, add, remove };
}

describe("{ signal } already aborted", () => {
  it("get rejects at once with signal.reason even with an item available, and takes nothing", async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    const reason = new Error("stop");
    const f = q.get({ signal: AbortSignal.abort(reason) });
    expect(f.done()).toBe(true);
    expect(f.exception()).toBe(reason);
    expect(q.qsize()).toBe(1);
  });

  it("put rejects at once with signal.reason even with a free slot, and adds nothing", async () => {
    const q = new Queue<number>();
    const reason = new Error("stop");
    const f = q.put(1, { signal: AbortSignal.abort(reason) });
    expect(f.exception()).toBe(reason);
    expect(q.qsize()).toBe(0);
    expect(String(q)).toBe("<Queue maxsize=0>");
  });

  it("a CancelledError reason is the rejection, as it is", () => {
    const q = new Queue<number>();
    const reason = new CancelledError("bye");
    const f = q.get({ signal: AbortSignal.abort(reason) });
    expect(f.done()).toBe(true);
    expect(f.exception()).toBe(reason);
  });

  it("the abort check comes before the shut-down check", () => {
    const q = new Queue<number>();
    q.shutdown();
    const reason = new Error("first");
    expect(q.put(1, { signal: AbortSignal.abort(reason) }).exception()).toBe(reason);
    expect(q.get({ signal: AbortSignal.abort(reason) }).exception()).toBe(reason);
  });

  it("adds no listener", () => {
    const { controller, signal, add } = spiedController();
    controller.abort();
    const q = new Queue<number>();
    q.put(1, { signal }).exception();
    q.get({ signal }).exception();
    expect(add).not.toHaveBeenCalled();
  });
});

describe("{ signal } that does not need to wait", () => {
  it("adds no listener when the operation completes at once", () => {
    const { signal, add } = spiedController();
    const q = new Queue<number>();
    expect(q.put(1, { signal }).done()).toBe(true);
    expect(q.get({ signal }).result()).toBe(1);
    expect(add).not.toHaveBeenCalled();
  });
});

describe.each(forms)("{ signal } aborted while waiting, %s tasks", (form) => {
  it("a getter withdraws, rejects with signal.reason, takes nothing; its listener is removed", async () => {
    const q = new Queue<number>();
    const { controller, signal, add, remove } = spiedController();
    const t = getter(q, form, { signal });
    const other = getter(q, form);
    await tick();
    expect(add).toHaveBeenCalledTimes(1);
    const reason = new Error("gave up");
    controller.abort(reason);
    expect(remove).toHaveBeenCalledTimes(1);
    expect(waiters(q).getters).toBe(1);
    q.putNowait(1);
    expect(await outcome(t)).toEqual({ status: "rejected", error: reason });
    expect(await other).toBe(1);
  });

  it("a putter withdraws, rejects with signal.reason, adds nothing", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    q.putNowait("a");
    const controller = new AbortController();
    const t = putter(q, "X", form, { signal: controller.signal });
    const b = putter(q, "b", form);
    await tick();
    controller.abort(new Error("gave up"));
    expect((await outcome(t)).status).toBe("rejected");
    expect(q.getNowait()).toBe("a");
    await b;
    expect(drain(q)).toEqual(["b"]);
  });

  it("the listener is removed when the waiter is served", async () => {
    const q = new Queue<number>();
    const { signal, add, remove } = spiedController();
    const t = getter(q, form, { signal });
    await tick();
    q.putNowait(3);
    expect(remove).toHaveBeenCalledTimes(1);
    expect(await t).toBe(3);
    expect(add).toHaveBeenCalledTimes(1);
  });

  it("the listener is removed when the task is cancelled", async () => {
    const q = new Queue<number>();
    const { signal, remove } = spiedController();
    const t = getter(q, form, { signal });
    await tick();
    t.cancel();
    expect(remove).toHaveBeenCalledTimes(1);
    await expectCancelled(t);
  });

  it("the listener is removed at shutdown", async () => {
    const q = new Queue<number>();
    const { signal, remove } = spiedController();
    const t = getter(q, form, { signal });
    await tick();
    q.shutdown();
    expect(remove).toHaveBeenCalledTimes(1);
    await outcome(t);
  });

  it("an abort after the waiter was served changes nothing", async () => {
    const q = new Queue<number>();
    const controller = new AbortController();
    const t = getter(q, form, { signal: controller.signal });
    await tick();
    q.putNowait(1);
    controller.abort();
    expect(await t).toBe(1);
  });

  it("a timeout signal gives up on the virtual clock", async () => {
    const q = new Queue<number>();
    const controller = new AbortController();
    sleep(50).addDoneCallback(() => controller.abort(new Error("timeout")));
    const t = getter(q, form, { signal: controller.signal });
    expect(await outcome(t)).toMatchObject({ status: "rejected", error: { message: "timeout" } });
    expect(waiters(q).getters).toBe(0);
  });
});

describe("a CancelledError reason while waiting", () => {
  it("is thrown into the awaiting task as it is, so the task ends cancelled", async () => {
    const q = new Queue<number>();
    const controller = new AbortController();
    const t = createTask(function* () {
      yield* q.get({ signal: controller.signal });
    });
    await tick();
    const reason = new CancelledError("outer");
    controller.abort(reason);
    expect(await expectCancelled(t)).toBe(reason);
    expect(waiters(q).getters).toBe(0);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe.each(forms)("the task's own signal as { signal }, %s tasks", (form) => {
  it("cancelling the task withdraws the getter and delivers the cancellation once", async () => {
    const q = new Queue<number>();
    const log: string[] = [];
    const t =
      form === "generator"
        ? createTask(function* () {
            try {
              yield* q.get({ signal: currentTask()!.signal });
            } catch (e) {
              log.push(`caught ${isCancelledError(e)}`);
            }
            yield* sleep(10);
            return "went on";
          })
        : createTask(async (signal) => {
            try {
              await q.get({ signal });
            } catch (e) {
              log.push(`caught ${isCancelledError(e)}`);
            }
            await sleep(10);
            return "went on";
          });
    await tick();
    t.cancel();
    expect(waiters(q).getters).toBe(0);
    expect(await t).toBe("went on");
    expect(log).toEqual(["caught true"]);
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });
});

describe("bad options", () => {
  it("are TypeErrors thrown at the call", () => {
    const q = new Queue<number>();
    expect(() => q.get(1 as never)).toThrow(/get\(options\): options must be an object like \{ signal \}/);
    expect(() => q.put(1, { signal: {} as never })).toThrow(/put\(options\): options\.signal must be an AbortSignal/);
    expect(q.get({}).done()).toBe(false);
    expect(q.get({ signal: undefined }).done()).toBe(false);
  });
});
