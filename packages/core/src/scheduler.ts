/**
 * The scheduler: asyncio's ready queue. Callbacks run soon, FIFO, from a microtask-drained queue
 * of chunks; the next-turn queue waits for a macrotask (sleep(0)), letting timers and I/O in first.
 */
export interface Scheduler {
  /** Runs `fn(arg)` soon, FIFO, from a microtask-drained ready queue. */
  schedule<A>(fn: (arg: A) => void, arg: A): void;
  /** Runs `fn(arg)` in the next macrotask batch (sleep(0)): lets timers and I/O in first. */
  scheduleNextTurn<A>(fn: (arg: A) => void, arg: A): void;
  /** Number of callbacks waiting in the ready and next-turn queues. */
  pending(): number;
  /**
   * Counts one hop that bypasses the ready queue (an already-done Future settling through a
   * native promise) against the burst limit: false once the burst is spent, and the hop must
   * go through schedule() instead, which waits for the next macrotask.
   */
  spendBurst(): boolean;
}

type Callback = (arg: unknown) => void;

/** Creates a scheduler; `report` receives what a callback throws (it must not throw itself). */
export function createScheduler(report: (error: unknown) => void): Scheduler {
  // Real primitives taken at load: fake timers installed later must not stall the scheduler.
  // A resolved promise's then() queues a bare V8 microtask; Node's queueMicrotask wraps each one
  // in an AsyncResource, which costs more than the task step it schedules.
  const resolved = Promise.resolve();
  const realSetImmediate: (fn: () => void) => void =
    typeof globalThis.setImmediate === "function"
      ? globalThis.setImmediate.bind(globalThis)
      : messageChannelMacrotask();

  /**
   * After this many callbacks without a macrotask turn, the rest wait for the next macrotask, so
   * no chain of taskio awaits starves timers or I/O. Counted across drains: a chain that hops
   * through microtasks one callback at a time is a burst too.
   */
  const BURST = 1000;
  // Ready queue: [fn, arg] pairs in chunks (no closure per callback, no array shifting). A
  // chunk is new while it fills, so storing a new object into it is a plain store; a ring reused
  // for the process's lifetime sits in the old generation, where each such store took the write
  // barrier's slow path (about 45 instructions). A drained chunk is left to the collector.
  const CHUNK = 512;
  let writing: unknown[] = new Array(CHUNK + 1);
  let writeAt = 0;
  let reading = writing;
  let readAt = 0;
  let size = 0;
  const push = (fn: unknown, arg: unknown) => {
    if (writeAt === CHUNK) {
      const next = new Array(CHUNK + 1);
      // The last slot links to the next chunk.
      writing[CHUNK] = next;
      writing = next;
      writeAt = 0;
    }
    writing[writeAt] = fn;
    writing[writeAt + 1] = arg;
    writeAt += 2;
    size++;
  };
  let drainQueued = false;
  let nextTurn: unknown[] = [];
  let macrotaskQueued = false;
  let burst = 0;
  let burstResetQueued = false;

  const resetBurst = () => {
    burst = 0;
    burstResetQueued = false;
  };

  const startBurst = () => {
    if (!burstResetQueued) {
      burstResetQueued = true;
      realSetImmediate(resetBurst);
    }
  };

  const drain = () => {
    startBurst();
    while (size > 0) {
      if (burst++ >= BURST) {
        queueMacrotask();
        return;
      }
      if (readAt === CHUNK) {
        const next = reading[CHUNK] as unknown[];
        // Unlinked, or a drained chunk already in the old generation would keep the next one
        // alive through every young collection, and that one the next, until a full collection.
        reading[CHUNK] = undefined;
        reading = next;
        readAt = 0;
      }
      const fn = reading[readAt] as Callback;
      const arg = reading[readAt + 1];
      reading[readAt] = reading[readAt + 1] = undefined;
      readAt += 2;
      size--;
      try {
        fn(arg);
      } catch (error) {
        report(error);
      }
    }
    drainQueued = false;
  };

  const onMacrotask = () => {
    macrotaskQueued = false;
    burst = 0;
    if (nextTurn.length) {
      const batch = nextTurn;
      nextTurn = [];
      for (let i = 0; i < batch.length; i += 2) push(batch[i], batch[i + 1]);
    }
    drainQueued = true;
    drain();
  };

  function queueMacrotask() {
    if (!macrotaskQueued) {
      macrotaskQueued = true;
      realSetImmediate(onMacrotask);
    }
  }

  return {
    schedule(fn, arg) {
      push(fn, arg);
      if (!drainQueued) {
        drainQueued = true;
        resolved.then(drain);
      }
    },
    scheduleNextTurn(fn, arg) {
      nextTurn.push(fn, arg);
      queueMacrotask();
    },
    pending() {
      return size + nextTurn.length / 2;
    },
    spendBurst() {
      if (burst >= BURST) return false;
      burst++;
      startBurst();
      return true;
    },
  };
}

/** A macrotask where setImmediate does not exist (browsers): one MessageChannel message per call. */
function messageChannelMacrotask(): (fn: () => void) => void {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(undefined);
  };
}
