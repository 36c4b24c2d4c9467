import { CancelledError, createTask, sleep } from "@taskio/core";
import { expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Event } from "../src/index.js";

describe("Event", () => {
  it("wakes every waiter on set(); a task that starts after set() passes without waiting", async () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    const got: number[] = [];
    const waiter = (n: number) =>
      createTask(function* () {
        const ok = yield* ev.wait();
        if (ok) got.push(n);
        return ok;
      });
    const t1 = waiter(1);
    const t2 = waiter(2);
    await tick();
    expect(got).toEqual([]);
    const t3 = waiter(3);
    ev.set();
    await tick();
    expect(got).toEqual([3, 1, 2]);
    expect(await Promise.all([t1, t2, t3])).toEqual([true, true, true]);
  });

  it("wait() on a set event returns a done Future holding true", async () => {
    const ev = new Event();
    ev.set();
    const w = ev.wait();
    expect(w.done()).toBe(true);
    expect(await w).toBe(true);
  });

  it("clear() resets the flag; set() twice is harmless", () => {
    const ev = new Event();
    ev.set();
    ev.set();
    expect(ev.isSet()).toBe(true);
    ev.clear();
    expect(ev.isSet()).toBe(false);
    expect(ev.wait().done()).toBe(false);
  });

  it("a waiter woken by set() stays woken when clear() follows at once", async () => {
    const ev = new Event();
    const got: number[] = [];
    const t = createTask(async () => {
      if (await ev.wait()) got.push(1);
      return true;
    });
    await tick();
    ev.set();
    ev.clear();
    expect(ev.isSet()).toBe(false);
    await tick();
    expect(got).toEqual([1]);
    expect(await t).toBe(true);
  });

  it("a cancelled wait leaves no waiter behind", async () => {
    const ev = new Event();
    const t = createTask(() => ev.wait());
    await tick();
    expect(String(ev)).toBe("<Event [unset, waiters:1]>");
    t.cancel();
    await expectCancelled(t);
    expect(String(ev)).toBe("<Event [unset]>");
    ev.set();
    expect(String(ev)).toBe("<Event [set]>");
  });

  it("{ signal }: already aborted rejects at once even when set; aborted while waiting withdraws", async () => {
    const ev = new Event();
    const reason = new Error("stop");
    const controller = new AbortController();
    const a = ev.wait({ signal: controller.signal });
    const b = ev.wait();
    controller.abort(reason);
    expect(await outcome(a)).toEqual({ status: "rejected", error: reason });
    expect(String(ev)).toBe("<Event [unset, waiters:1]>");
    ev.set();
    expect(await b).toBe(true);
    expect(ev.wait({ signal: AbortSignal.abort(reason) }).exception()).toBe(reason);
    expect(() => ev.wait({ signal: 1 } as never)).toThrow(/options.signal must be an AbortSignal/);
  });

  it("coordinates a start line on the virtual clock", async () => {
    const ev = new Event();
    const tl = timeline();
    const runners = [1, 2].map((n) =>
      createTask(async () => {
        await ev.wait();
        tl.log(`runner ${n}`);
      }),
    );
    await sleep(50);
    ev.set();
    await Promise.all(runners);
    expect(tl.stamped()).toEqual(["runner 1@50", "runner 2@50"]);
  });

  it("outside any task, wait() is also a native promise; cancelled, it rejects and leaves the queue", async () => {
    const ev = new Event();
    const kept = ev.wait();
    const dropped = ev.wait();
    expect(kept).toBeInstanceOf(Promise);
    dropped.cancel();
    await expect(dropped).rejects.toBeInstanceOf(CancelledError);
    ev.set();
    expect(await kept).toBe(true);
    expect(String(ev)).toBe("<Event [set]>");
  });
});
