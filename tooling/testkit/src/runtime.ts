import "@taskio/core";

/** The part of @taskio/core's shared runtime (`globalThis[Symbol.for("taskio.runtime")]`) the testkit uses. */
export interface RuntimeView {
  clock: {
    now(): number;
    setTimer(callback: () => void, ms: number): unknown;
    clearTimer(handle: unknown): void;
  };
  pending(): number;
  readonly unretrieved: Set<WeakRef<any>>;
}

/** The shared runtime; importing @taskio/core above guarantees it exists. */
export function taskioRuntime(): RuntimeView {
  const runtime = (globalThis as Record<symbol, unknown>)[Symbol.for("taskio.runtime")];
  if (runtime === undefined) throw new Error("@taskio/core's runtime is not loaded");
  return runtime as RuntimeView;
}

// Real macrotask hook taken at load, so fake timers a test installs cannot stall the testkit.
const realSetImmediate = globalThis.setImmediate.bind(globalThis);

/** One macrotask turn: every microtask (promise reactions, taskio's ready queue) runs before it ends. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * Waits until taskio has nothing ready to run: its ready queue is empty across two macrotask
 * turns (so promise chains and I/O callbacks in between have settled too).
 * @throws {Error} if the program never goes idle (a busy loop of sleep(0)s).
 */
export async function settle(maxTurns = 100_000): Promise<void> {
  const runtime = taskioRuntime();
  for (let turn = 0; turn < maxTurns; turn++) {
    await macrotask();
    await macrotask();
    if (runtime.pending() === 0) return;
  }
  throw new Error(`taskio never went idle after ${maxTurns} macrotask turns (a busy loop?)`);
}
