import FakeTimers from "@sinonjs/fake-timers";
import { macrotask, settle, taskioRuntime } from "./runtime.js";

/** A virtual clock installed as taskio's clock: `now()` and every taskio timer run on it. */
export interface VirtualClock {
  /** Virtual milliseconds since install (starts at 0). */
  now(): number;
  /**
   * Auto-advance (default on): whenever taskio has nothing ready to run, time jumps to the next
   * due timer, so `await sleep(60_000)` returns at once with `now()` exactly 60,000 later.
   * Off: time moves only through `advance()`.
   */
  autoAdvance: boolean;
  /** Moves time forward by `ms`, firing each due timer in order and letting everything it wakes run before the next. */
  advance(ms: number): Promise<void>;
  /** Runs everything that is ready, without moving time. */
  runUntilIdle(): Promise<void>;
  /** Puts taskio's previous clock back. */
  uninstall(): void;
}

let installed: VirtualClock | undefined;

/**
 * Replaces taskio's clock (its seam for `now()` and timers) with a virtual one built on
 * @sinonjs/fake-timers. Only taskio's time is virtual: the global setTimeout is left alone.
 * @example
 * const clock = installVirtualClock();
 * await sleep(60_000);          // returns at once
 * expect(clock.now()).toBe(60_000);
 */
export function installVirtualClock(options: { autoAdvance?: boolean } = {}): VirtualClock {
  installed?.uninstall();
  const runtime = taskioRuntime();
  const previous = runtime.clock;
  const fake = FakeTimers.createClock(0);
  let active = true;
  let auto = options.autoAdvance ?? true;
  let jumpQueued = false;
  let advancing = false;

  // Jumps only after two idle macrotask turns, so work woken by the last timer runs first.
  const queueJump = () => {
    if (!active || !auto || jumpQueued || advancing) return;
    jumpQueued = true;
    void jump();
  };
  const jump = async () => {
    try {
      while (active && auto && !advancing && fake.countTimers() > 0) {
        await settle();
        if (!active || !auto || advancing || fake.countTimers() === 0) break;
        fake.next();
      }
    } finally {
      jumpQueued = false;
    }
  };

  runtime.clock = {
    now: () => fake.now,
    setTimer(callback, ms) {
      const id = fake.setTimeout(callback, ms);
      queueJump();
      return id;
    },
    clearTimer(handle) {
      fake.clearTimeout(handle as FakeTimers.TimerId);
    },
  };

  const clock: VirtualClock = {
    now: () => fake.now,
    get autoAdvance() {
      return auto;
    },
    set autoAdvance(value: boolean) {
      auto = value;
      queueJump();
    },
    async advance(ms: number) {
      if (!(ms >= 0) || !Number.isFinite(ms))
        throw new RangeError(`advance(ms): ms must be a finite number >= 0, got ${ms}`);
      advancing = true;
      let reached = false;
      fake.setTimeout(() => {
        reached = true;
      }, ms);
      try {
        await settle();
        while (!reached) {
          fake.next();
          await settle();
        }
      } finally {
        advancing = false;
        queueJump();
      }
    },
    async runUntilIdle() {
      await settle();
    },
    uninstall() {
      if (!active) return;
      active = false;
      runtime.clock = previous;
      if (installed === clock) installed = undefined;
    },
  };
  installed = clock;
  return clock;
}

/** The virtual clock installed now, if any. */
export function currentClock(): VirtualClock | undefined {
  return installed;
}

export { macrotask };
