import { currentClock, timeline } from "@taskio/testkit";
import { expect, it } from "vitest";
import { createTask, now, sleep } from "../src/index.js";

it("sleep(60_000) returns at once on the virtual clock, with now() exactly 60,000 later", async () => {
  const start = now();
  const realStart = performance.now();
  await sleep(60_000);
  expect(now() - start).toBe(60_000);
  // A generous bound, for a loaded machine: far below the 60 s a real sleep would take.
  expect(performance.now() - realStart).toBeLessThan(20_000);
});

it("timers fire in due order, and what each wakes runs before the next fires", async () => {
  const tl = timeline();
  const a = createTask(async () => {
    await sleep(30);
    tl.log("a");
    await sleep(0);
    tl.log("a2");
  });
  const b = createTask(function* () {
    yield* sleep(10);
    tl.log("b");
  });
  const c = createTask(async () => {
    await sleep(20);
    tl.log("c");
  });
  await Promise.all([a, b, c]);
  expect(tl.stamped()).toEqual(["b@10", "c@20", "a@30", "a2@30"]);
});

it("manual mode: time moves only with advance()", async () => {
  const clock = currentClock()!;
  clock.autoAdvance = false;
  const tl = timeline();
  const t = createTask(async () => {
    await sleep(100);
    tl.log("woke");
  });
  await clock.advance(99);
  expect(tl.labels()).toEqual([]);
  expect(t.done()).toBe(false);
  await clock.advance(1);
  expect(tl.stamped()).toEqual(["woke@100"]);
  await clock.runUntilIdle();
  expect(t.done()).toBe(true);
});
