import { createTask, sleep } from "@taskio/core";
import { expectCancelled, outcome, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Semaphore } from "../src/index.js";

describe("Semaphore: weighted acquire (an extra, not in asyncio)", () => {
  it("takes and gives back several permits at once", () => {
    const sem = new Semaphore(5);
    expect(sem.acquire({ weight: 3 }).done()).toBe(true);
    expect(sem.value).toBe(2);
    sem.release(3);
    expect(sem.value).toBe(5);
  });

  it("stays FIFO: a light waiter queues behind a heavy one even when its own permit is free", async () => {
    const sem = new Semaphore(3);
    await sem.acquire({ weight: 2 });
    const heavy = sem.acquire({ weight: 2 });
    const light = sem.acquire();
    expect(sem.value).toBe(1);
    expect(sem.locked()).toBe(true);
    expect([heavy.done(), light.done()]).toEqual([false, false]);
    sem.release(2); // 3 free: heavy (2) then light (1)
    expect([heavy.done(), light.done()]).toEqual([true, true]);
    expect(sem.value).toBe(0);
    await tick();
  });

  it("when the heavy head waiter leaves, the lighter ones behind it are served at once", async () => {
    const sem = new Semaphore(2);
    await sem.acquire();
    const heavy = createTask(() => sem.acquire({ weight: 2 }));
    const light = createTask(() => sem.acquire());
    await tick();
    expect(light.done()).toBe(false);
    heavy.cancel();
    await expectCancelled(heavy);
    expect(await light).toBe(true);
    expect(sem.value).toBe(0);
  });

  it("an aborted heavy waiter consumes nothing", async () => {
    const sem = new Semaphore(1);
    const controller = new AbortController();
    const heavy = sem.acquire({ weight: 3, signal: controller.signal });
    controller.abort(new Error("no"));
    expect((await outcome(heavy)).status).toBe("rejected");
    expect(sem.value).toBe(1);
    expect(sem.locked()).toBe(false);
  });

  it("run(fn, { weight }) holds that many permits for the body", async () => {
    const sem = new Semaphore(4);
    const tl = timeline();
    const big = sem.run(
      async () => {
        tl.log(`big, ${sem.value} left`);
        await sleep(10);
      },
      { weight: 3 },
    );
    const small = [1, 2].map((n) =>
      sem.run(async () => {
        tl.log(`small ${n}, ${sem.value} left`);
        await sleep(10);
      }),
    );
    await Promise.all([big, ...small]);
    expect(tl.stamped()).toEqual(["big, 1 left@0", "small 1, 0 left@0", "small 2, 2 left@10"]);
    expect(sem.value).toBe(4);
  });

  it("refuses a weight that is not an integer >= 1", () => {
    const sem = new Semaphore(2);
    expect(() => sem.acquire({ weight: 0 })).toThrow(RangeError);
    expect(() => sem.acquire({ weight: 1.5 })).toThrow(/weight must be an integer >= 1/);
    expect(() => sem.acquire({ weight: "2" as never })).toThrow(TypeError);
    expect(() => sem.acquire({ weight: Number.NaN })).toThrow(
      /Semaphore\.acquire\(\): weight must be an integer >= 1, got NaN/,
    );
    expect(() => sem.acquire({ weight: Infinity })).toThrow(RangeError);
    expect(() => sem.release(-1)).toThrow(/Semaphore\.release\(\): weight must be an integer >= 1, got -1/);
    expect(() => sem.release(2.5)).toThrow(RangeError);
    expect(sem.value).toBe(2);
  });
});
