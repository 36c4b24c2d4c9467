import { describe, expect, it } from "vitest";
import { createRealClock } from "../src/clock.js";

// The real clock behind taskio's timers outside tests (the suite runs on the virtual one): these
// use real time, with bounds generous enough for a loaded machine.

/** How many Node timers keep the process alive now. */
function nodeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

/** Resolves after `ms` of real time, on a Node timer of its own. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("the real clock", () => {
  it("fires each timer once, in due order, and never before its delay", async () => {
    const clock = createRealClock();
    const fired: [number, number][] = [];
    const start = clock.now();
    const done = new Promise<void>((resolve) => {
      for (const ms of [30, 10, 20]) {
        clock.setTimer(() => {
          fired.push([ms, clock.now() - start]);
          if (fired.length === 3) resolve();
        }, ms);
      }
    });
    await done;
    expect(fired.map(([ms]) => ms)).toEqual([10, 20, 30]);
    for (const [ms, at] of fired) expect(at).toBeGreaterThanOrEqual(ms - 1);
    await pause(40);
    expect(fired).toHaveLength(3);
  });

  it("a cleared timer never fires, and the others due in the same millisecond still do", async () => {
    const clock = createRealClock();
    const fired: number[] = [];
    const handles = Array.from({ length: 100 }, (_, i) => clock.setTimer(() => fired.push(i), 5));
    for (let i = 0; i < 100; i++) if (i % 10 !== 0) clock.clearTimer(handles[i]);
    await pause(60);
    expect(fired).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("deadlines set together hold one Node timer, and clearing them all releases it", () => {
    const clock = createRealClock();
    const before = nodeTimers();
    const handles = Array.from({ length: 1_000 }, () => clock.setTimer(() => {}, 60_000));
    // Set within a few milliseconds of each other: a few at most, never one per deadline.
    expect(nodeTimers() - before).toBeLessThan(20);
    for (const handle of handles) clock.clearTimer(handle);
    // Nothing cleared keeps the process alive.
    expect(nodeTimers()).toBe(before);
  });

  it("one deadline left among many cleared ones in its millisecond still fires", async () => {
    const clock = createRealClock();
    let fired = 0;
    const handles = Array.from({ length: 500 }, () => clock.setTimer(() => fired++, 20));
    for (const handle of handles.slice(1)) clock.clearTimer(handle);
    clock.clearTimer(handles[1]); // twice: harmless
    await pause(100);
    expect(fired).toBe(1);
  });

  it("a delay longer than setTimeout can take does not fire early", async () => {
    const clock = createRealClock();
    let fired = false;
    const handle = clock.setTimer(
      () => {
        fired = true;
      },
      2 ** 31 + 10,
    );
    await pause(30);
    expect(fired).toBe(false);
    clock.clearTimer(handle);
  });
});
