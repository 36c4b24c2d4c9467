import { type Awaitable, ensureFuture, type Future, now, sleep } from "@taskio/core";

/** How an awaitable ended. */
export type Outcome<T> =
  | { status: "fulfilled"; value: T }
  | { status: "rejected"; error: unknown }
  | { status: "cancelled"; error: unknown };

/**
 * Waits for `aw` to finish (wrapping a coroutine or function in a task) and reports how it ended,
 * without throwing. The outcome counts as retrieved.
 */
export function outcome<T>(aw: Awaitable<T>): Promise<Outcome<T>> {
  const future = ensureFuture(aw) as Future<T>;
  return new Promise((resolve) => {
    future.addDoneCallback((f) => {
      if (f.cancelled()) {
        let error: unknown;
        try {
          f.result();
        } catch (e) {
          error = e;
        }
        resolve({ status: "cancelled", error });
      } else if (f.exception() !== undefined) resolve({ status: "rejected", error: f.exception() });
      else resolve({ status: "fulfilled", value: f.result() });
    });
  });
}

/**
 * Lets every other task run to its next wait: `sleep(0)`, which gives up one turn of taskio's
 * scheduler as asyncio's `await asyncio.sleep(0)` gives up one turn of the event loop. Tasks and
 * callbacks already scheduled run first, and no time passes on the virtual clock.
 * @example
 * const t = createTask(worker());
 * await tick(); // t has run its first step and now waits
 */
export function tick(): Future<undefined> {
  return sleep(0);
}

/**
 * Milliseconds of CPU time (user and system) this process spends in `fn`, for a test that bounds
 * how an operation scales: on a loaded machine the wall clock also counts other processes' turns,
 * the CPU clock hardly (vitest runs each test file in a process of its own).
 * @example
 * expect(await cpuTime(() => queueMany())).toBeLessThan(2_000);
 */
export async function cpuTime(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Waits for `aw` to end and throws unless it ended cancelled; returns the CancelledError. */
export async function expectCancelled(aw: Awaitable<unknown>): Promise<Error> {
  const result = await outcome(aw);
  if (result.status !== "cancelled") {
    throw new Error(
      `expected it to end cancelled, but it ${result.status === "fulfilled" ? "returned" : "threw"}: ${String(result.status === "fulfilled" ? result.value : result.error)}`,
    );
  }
  return result.error as Error;
}

/** A timeline of labelled events stamped with taskio's `now()`. */
export interface Timeline {
  /** Records `label` at the current time. */
  log(label: string): void;
  /** The labels, in order. */
  labels(): string[];
  /** `"label@time"` entries, in order: compact to assert on. */
  stamped(): string[];
  readonly events: readonly { label: string; at: number }[];
}

export function timeline(): Timeline {
  const events: { label: string; at: number }[] = [];
  const start = now();
  return {
    events,
    log(label) {
      events.push({ label, at: now() - start });
    },
    labels: () => events.map((e) => e.label),
    stamped: () => events.map((e) => `${e.label}@${e.at}`),
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, so a failure replays. */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/**
 * Work taskio cannot interrupt (a promise it was given no signal for: `fetch()` without one,
 * say), finished by hand with `finish()`.
 * @example
 * const foreign = foreignWork();
 * const task = createTask(async () => { await foreign.done; return 1; });
 * foreign.finish();
 */
export function foreignWork(): { done: Promise<void>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}
