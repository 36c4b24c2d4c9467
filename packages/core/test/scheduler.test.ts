import { describe, expect, it } from "vitest";
import { createScheduler } from "../src/scheduler.js";

/** Resolves once the macrotasks queued so far have run (the scheduler's own setImmediate among them). */
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the ready queue", () => {
  it("runs thousands of callbacks first in, first out, those queued while draining after the others", async () => {
    const scheduler = createScheduler((error) => {
      throw error;
    });
    const ran: number[] = [];
    const log = (n: number) => {
      ran.push(n);
      // Every tenth queues another behind everything queued so far.
      if (n < 3000 && n % 10 === 0) scheduler.schedule(log, n + 3000);
    };
    for (let n = 0; n < 2999; n++) scheduler.schedule(log, n);
    expect(scheduler.pending()).toBe(2999);
    while (ran.length < 2999 + 300) await nextMacrotask();
    const queuedLater = Array.from({ length: 300 }, (_, i) => i * 10 + 3000);
    expect(ran).toEqual([...Array.from({ length: 2999 }, (_, n) => n), ...queuedLater]);
    expect(scheduler.pending()).toBe(0);
  });

  it("lets a macrotask in after each burst of a thousand callbacks, and keeps the rest in order", async () => {
    const scheduler = createScheduler((error) => {
      throw error;
    });
    const ran: number[] = [];
    for (let n = 0; n < 2500; n++) scheduler.schedule((x: number) => ran.push(x), n);
    await Promise.resolve();
    await Promise.resolve();
    expect(ran.length).toBe(1000);
    expect(scheduler.pending()).toBe(1500);
    await nextMacrotask();
    await nextMacrotask();
    await nextMacrotask();
    expect(ran).toEqual(Array.from({ length: 2500 }, (_, n) => n));
    expect(scheduler.pending()).toBe(0);
  });
});
