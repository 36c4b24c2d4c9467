/**
 * The clock seam: every deadline and timer in taskio goes through `runtime.clock`, so
 * `@taskio/testkit` can swap in a virtual clock and timing tests never wait on real time.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `callback` once, `ms` (> 0, finite) milliseconds from now; returns a handle for `clearTimer`. */
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** setTimeout overflows above 2^31-1 ms (it fires at once); longer delays are chained. */
const MAX_TIMEOUT = 2 ** 31 - 1;

interface ChainedTimer {
  id: ReturnType<typeof setTimeout> | undefined;
}

export function createRealClock(): Clock {
  // Captured at load, so test fake timers installed later cannot stall taskio.
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const perf = globalThis.performance;
  const now = () => perf.now();
  return {
    now,
    setTimer(callback, ms) {
      const timer: ChainedTimer = { id: undefined };
      const due = now() + ms;
      const arm = (delay: number) => {
        timer.id = realSetTimeout(
          () => {
            const left = due - now();
            if (left > 1) arm(left);
            else callback();
          },
          Math.min(delay, MAX_TIMEOUT),
        );
      };
      arm(ms);
      return timer;
    },
    clearTimer(handle) {
      realClearTimeout((handle as ChainedTimer).id);
    },
  };
}
