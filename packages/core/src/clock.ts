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

/**
 * A real timer: Node's timer handle, and what to call when the deadline is reached. Node may fire
 * up to a millisecond early (it truncates the delay), and a delay above MAX_TIMEOUT is split, so
 * each firing checks the deadline and re-arms for what is left.
 */
interface ChainedTimer {
  id: ReturnType<typeof setTimeout> | undefined;
  due: number;
  callback: () => void;
}

export function createRealClock(): Clock {
  // Captured at load, so test fake timers installed later cannot stall taskio.
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const perf = globalThis.performance;
  const now = () => perf.now();
  // The timer is passed as setTimeout's argument: no closure per timer on this hot path.
  const arm = (timer: ChainedTimer, delay: number) => {
    timer.id = realSetTimeout(fire, Math.min(delay, MAX_TIMEOUT), timer);
  };
  const fire = (timer: ChainedTimer) => {
    const left = timer.due - now();
    if (left > 1) arm(timer, left);
    else timer.callback();
  };
  return {
    now,
    setTimer(callback, ms) {
      const timer: ChainedTimer = { id: undefined, due: now() + ms, callback };
      arm(timer, ms);
      return timer;
    },
    clearTimer(handle) {
      realClearTimeout((handle as ChainedTimer).id);
    },
  };
}
