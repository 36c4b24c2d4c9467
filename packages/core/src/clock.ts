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

/** A real timer: what to call at `due` (until it fires or is cleared), and the bucket it waits in. */
interface RealTimer {
  due: number;
  callback: (() => void) | undefined;
  bucket: Bucket | undefined;
}

/**
 * The timers due in one millisecond, behind one Node timer. Many deadlines set at once (100,000
 * waitFor()s, 10,000 sleeping tasks) mostly share a few buckets: a push each instead of a Node
 * Timeout, its argument array and its list insertion, and clearing them costs a count until the
 * last one takes the Node timer with it, so nothing cleared keeps the process alive.
 */
interface Bucket {
  at: number;
  id: ReturnType<typeof setTimeout> | undefined;
  timers: RealTimer[];
  live: number;
}

export function createRealClock(): Clock {
  // Captured at load, so test fake timers installed later cannot stall taskio.
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const perf = globalThis.performance;
  const now = () => perf.now();
  const buckets = new Map<number, Bucket>();
  const place = (timer: RealTimer, from: number) => {
    const at = Math.ceil(timer.due);
    let bucket = buckets.get(at);
    if (bucket === undefined) {
      bucket = { at, id: undefined, timers: [], live: 0 };
      buckets.set(at, bucket);
      // The bucket is passed as setTimeout's argument: no closure per bucket.
      bucket.id = realSetTimeout(fire, Math.min(Math.max(Math.ceil(at - from), 1), MAX_TIMEOUT), bucket);
    }
    bucket.timers.push(timer);
    bucket.live++;
    timer.bucket = bucket;
  };
  const fire = (bucket: Bucket) => {
    buckets.delete(bucket.at);
    bucket.id = undefined;
    const at = now();
    // taskio's callbacks only complete a Future or queue a handle: none throws, so one bucket's
    // loop never stops halfway.
    for (const timer of bucket.timers) {
      const callback = timer.callback;
      if (callback === undefined) continue;
      // Node may fire up to a millisecond early (it counts from the start of the loop turn), and
      // a delay above MAX_TIMEOUT is split: what is left goes to a later bucket.
      if (timer.due - at > 1) place(timer, at);
      else {
        timer.callback = timer.bucket = undefined;
        callback();
      }
    }
  };
  return {
    now,
    setTimer(callback, ms) {
      const from = now();
      const timer: RealTimer = { due: from + ms, callback, bucket: undefined };
      place(timer, from);
      return timer;
    },
    clearTimer(handle) {
      const timer = handle as RealTimer;
      const bucket = timer.bucket;
      if (timer.callback === undefined || bucket === undefined) return;
      timer.callback = timer.bucket = undefined;
      bucket.live--;
      if (bucket.id === undefined) return;
      if (bucket.live === 0) {
        realClearTimeout(bucket.id);
        bucket.id = undefined;
        buckets.delete(bucket.at);
      } else if (bucket.timers.length >= 32 && bucket.live * 2 < bucket.timers.length) {
        // Cleared timers leave the array in bulk: one long deadline must not hold its bucket's
        // cleared neighbours until it fires.
        bucket.timers = bucket.timers.filter(isSet);
      }
    },
  };
}

function isSet(timer: RealTimer): boolean {
  return timer.callback !== undefined;
}
