import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRealClock } from "../src/clock.js";

// The real clock behind taskio's timers outside tests (the suite runs taskio on the virtual one).
// Vitest's fake timers stand in for Node's setTimeout and performance.now() here, installed before
// each clock captures them, so these tests never wait on real time.
describe("the real clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires each timer once, in due order, and never before its delay", () => {
    const clock = createRealClock();
    const fired: [number, number][] = [];
    const start = clock.now();
    for (const ms of [30, 10, 20]) clock.setTimer(() => fired.push([ms, clock.now() - start]), ms);
    vi.advanceTimersByTime(100);
    expect(fired.map(([ms]) => ms)).toEqual([10, 20, 30]);
    for (const [ms, at] of fired) expect(at).toBeGreaterThanOrEqual(ms);
  });

  it("a cleared timer never fires, and the others due in the same millisecond still do", () => {
    const clock = createRealClock();
    const fired: number[] = [];
    const handles = Array.from({ length: 100 }, (_, i) => clock.setTimer(() => fired.push(i), 5));
    for (let i = 0; i < 100; i++) if (i % 10 !== 0) clock.clearTimer(handles[i]);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("deadlines due in the same millisecond hold one Node timer, and clearing them all releases it", () => {
    const clock = createRealClock();
    const handles = Array.from({ length: 1_000 }, () => clock.setTimer(() => {}, 60_000));
    expect(vi.getTimerCount()).toBe(1);
    for (const handle of handles) clock.clearTimer(handle);
    // Nothing cleared keeps the process alive.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("one deadline left among many cleared ones in its millisecond still fires", () => {
    const clock = createRealClock();
    let fired = 0;
    const handles = Array.from({ length: 500 }, () => clock.setTimer(() => fired++, 20));
    for (const handle of handles.slice(1)) clock.clearTimer(handle);
    clock.clearTimer(handles[1]); // twice: harmless
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(20);
    expect(fired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a delay longer than setTimeout can take fires when it is due, not when setTimeout gives up", () => {
    const clock = createRealClock();
    let fired = false;
    clock.setTimer(
      () => {
        fired = true;
      },
      2 ** 31 + 10,
    );
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(11);
    expect(fired).toBe(true);
  });
});
