import type { AsyncLocalStorage } from "node:async_hooks";
import { type Clock, createRealClock } from "./clock.js";
import { InvalidStateError } from "./errors.js";

/** Bumped whenever the shape of the shared runtime object changes. */
export const PROTOCOL = 2;
declare const __TASKIO_VERSION__: string | undefined;
const VERSION = typeof __TASKIO_VERSION__ === "string" ? __TASKIO_VERSION__ : "source";

/** What the exception handler receives. */
export interface ExceptionContext {
  message: string;
  error: unknown;
  task?: { getName(): string } | undefined;
}

type Callback = (arg: any) => void;

/** A captured async context (an AsyncResource): runs a function inside it. */
export interface AsyncContext {
  runInAsyncScope<A, R>(fn: (arg: A) => R, thisArg: unknown, arg: A): R;
}

/**
 * Everything taskio keeps per process. It lives on globalThis so that every copy of
 * @taskio/core in the process (ESM and CJS, or two versions) shares one scheduler, one
 * current task and one clock.
 */
export interface Runtime {
  readonly protocol: number;
  readonly version: string;
  /** Runs `fn(arg)` soon, FIFO, from a microtask-drained ready queue. */
  schedule(fn: Callback, arg: unknown): void;
  /** Runs `fn(arg)` in the next macrotask batch (sleep(0)): lets timers and I/O in first. */
  scheduleNextTurn(fn: Callback, arg: unknown): void;
  /** Number of callbacks waiting in the ready and next-turn queues. */
  pending(): number;
  /**
   * Counts one hop that bypasses the ready queue (an already-done Future settling through a
   * native promise) against the burst limit: false once the burst is spent, and the hop must
   * go through schedule() instead, which waits for the next macrotask.
   */
  spendBurst(): boolean;
  clock: Clock;
  /** The task whose step runs right now (synchronously), if any. */
  current: any;
  als: AsyncLocalStorage<any> | undefined;
  /** undefined: enabled by the first function-form task; false: never (configure). */
  asyncContext: boolean | undefined;
  /**
   * Captures the current async context, or undefined while nobody needs it: neither taskio's
   * AsyncLocalStorage nor a user's store is in use. An AsyncResource: AsyncLocalStorage.snapshot()
   * does the same but costs ~80× more on Node 20.
   */
  captureContext: (() => AsyncContext) | undefined;
  taskCounter: number;
  /**
   * Pending tasks, held strongly: the sentinel of an intrusive doubly-linked list through the
   * tasks' `_prevTask`/`_nextTask`, so adding and removing a task allocates nothing.
   */
  readonly tasks: { _prevTask: any; _nextTask: any };
  /** Failed tasks whose exception nobody retrieved yet. */
  readonly unretrieved: Set<WeakRef<any>>;
  readonly finalizer: FinalizationRegistry<{ message: string; error: unknown; name: string; ref: WeakRef<any> }>;
  exceptionHandler: (context: ExceptionContext) => void;
}

const KEY = Symbol.for("taskio.runtime");

function defaultHandler(context: ExceptionContext): void {
  const who = context.task ? ` (${context.task.getName()})` : "";
  console.error(`${context.message}${who}`, context.error);
}

function createRuntime(): Runtime {
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
  // Ready queue: a ring buffer of [fn, arg] pairs (no closure per callback, no array shifting).
  let ready: unknown[] = new Array(2048);
  let mask = ready.length - 1;
  let head = 0;
  let tail = 0;
  const push = (fn: unknown, arg: unknown) => {
    ready[tail] = fn;
    ready[tail + 1] = arg;
    tail = (tail + 2) & mask;
    if (tail === head) grow();
  };
  const grow = () => {
    const bigger = new Array(ready.length * 2);
    const n = ready.length;
    for (let i = 0; i < n; i++) bigger[i] = ready[(head + i) & mask];
    ready = bigger;
    mask = bigger.length - 1;
    head = 0;
    tail = n;
  };
  let drainQueued = false;
  let nextTurn: unknown[] = [];
  let macrotaskQueued = false;
  let burst = 0;
  let burstResetQueued = false;

  const reportError = (error: unknown) => {
    try {
      runtime.exceptionHandler({ message: "Exception in callback", error });
    } catch (inner) {
      console.error("taskio: the exception handler threw", inner, "while reporting", error);
    }
  };

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
    while (head !== tail) {
      if (burst++ >= BURST) {
        queueMacrotask();
        return;
      }
      const fn = ready[head] as Callback;
      const arg = ready[head + 1];
      ready[head] = ready[head + 1] = undefined;
      head = (head + 2) & mask;
      try {
        fn(arg);
      } catch (error) {
        reportError(error);
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

  const runtime: Runtime = {
    protocol: PROTOCOL,
    version: VERSION,
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
      return (((tail - head) & mask) + nextTurn.length) / 2;
    },
    spendBurst() {
      if (burst >= BURST) return false;
      burst++;
      startBurst();
      return true;
    },
    clock: createRealClock(),
    current: undefined,
    als: undefined,
    asyncContext: undefined,
    captureContext: undefined,
    taskCounter: 0,
    tasks: createSentinel(),
    unretrieved: new Set(),
    finalizer: new FinalizationRegistry((held) => {
      runtime.unretrieved.delete(held.ref);
      runtime.exceptionHandler({
        message: held.message,
        error: held.error,
        task: { getName: () => held.name },
      });
    }),
    exceptionHandler: defaultHandler,
  };
  return runtime;
}

function createSentinel(): { _prevTask: any; _nextTask: any } {
  const sentinel = { _prevTask: undefined as any, _nextTask: undefined as any };
  sentinel._prevTask = sentinel._nextTask = sentinel;
  return sentinel;
}

function messageChannelMacrotask(): (fn: () => void) => void {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(undefined);
  };
}

function loadRuntime(): Runtime {
  const g = globalThis as unknown as Record<symbol, Runtime | undefined>;
  const existing = g[KEY];
  if (existing) {
    if (existing.protocol !== PROTOCOL) {
      throw new Error(
        `Two incompatible copies of @taskio/core are loaded: ${existing.version} (runtime protocol ${existing.protocol}) ` +
          `and ${VERSION} (protocol ${PROTOCOL}). Make every taskio package use one @taskio/core version.`,
      );
    }
    return existing;
  }
  const created = createRuntime();
  Object.defineProperty(g, KEY, { value: created, configurable: false, enumerable: false, writable: false });
  return created;
}

export const runtime: Runtime = loadRuntime();
watchUserStores();

/**
 * A generator-only program never turns taskio's AsyncLocalStorage on, yet its tasks must still
 * run in the user's async context (a request id, a tracing span) captured at createTask. Capturing
 * it costs an AsyncResource per task and a scope per step, so it starts only once the program
 * uses a store of its own: the first `run()` or `enterWith()` of any AsyncLocalStorage turns
 * capturing on and puts the original methods back, so nothing is paid on later calls.
 */
function watchUserStores(): void {
  if (runtime.captureContext !== undefined) return;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.("node:async_hooks") as typeof import("node:async_hooks") | undefined;
  if (!hooks) return;
  const proto = hooks.AsyncLocalStorage.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = { run: proto.run!, enterWith: proto.enterWith! };
  if ((originals.run as { taskioWatch?: true }).taskioWatch) return;
  const restore = () => {
    proto.run = originals.run;
    proto.enterWith = originals.enterWith;
    if (runtime.captureContext === undefined && runtime.asyncContext !== false) {
      const AsyncResource = hooks.AsyncResource;
      runtime.captureContext = () => new AsyncResource("taskio");
    }
  };
  const run = function (this: unknown, ...args: unknown[]) {
    restore();
    return originals.run.apply(this, args);
  };
  (run as { taskioWatch?: true }).taskioWatch = true;
  proto.run = run;
  proto.enterWith = function (this: unknown, ...args: unknown[]) {
    restore();
    return originals.enterWith.apply(this, args);
  };
}

/** Reports an error to the exception handler; never throws. */
export function reportException(context: ExceptionContext): void {
  try {
    runtime.exceptionHandler(context);
  } catch (inner) {
    console.error("taskio: the exception handler threw", inner, "while reporting", context.error);
  }
}

/**
 * Sets the handler for errors nobody else can receive: task exceptions never retrieved, and
 * errors thrown by done-callbacks. The default writes them with console.error.
 * asyncio: `loop.set_exception_handler`.
 * @throws {TypeError} if `handler` is not a function.
 */
export function setExceptionHandler(handler: (context: ExceptionContext) => void): void {
  if (typeof handler !== "function") {
    throw new TypeError(`handler must be a function (context) => void, got ${typeof handler}`);
  }
  runtime.exceptionHandler = handler;
}

/**
 * Process-wide options, set before the first task is created.
 * `asyncContext: false` keeps AsyncLocalStorage off: async-function tasks are then cancelled only
 * through their `signal`, and every other promise in the process stays at full speed.
 * @throws {InvalidStateError} if async context tracking is already on and `asyncContext` is false.
 */
export function configure(options: { asyncContext?: boolean }): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object like { asyncContext: false }, got ${String(options)}`);
  }
  if (options.asyncContext === undefined) return;
  if (typeof options.asyncContext !== "boolean") {
    throw new TypeError(`options.asyncContext must be a boolean, got ${typeof options.asyncContext}`);
  }
  if (options.asyncContext === false && runtime.als) {
    throw new InvalidStateError(
      "configure({ asyncContext: false }) must be called before the first function-form task is created",
    );
  }
  runtime.asyncContext = options.asyncContext;
  if (options.asyncContext) enableAsyncContext();
}

/** Turns on AsyncLocalStorage tracking (Node, Deno, Bun); a no-op where it does not exist. */
export function enableAsyncContext(): void {
  if (runtime.als || runtime.asyncContext === false) return;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.("node:async_hooks") as typeof import("node:async_hooks") | undefined;
  if (!hooks) {
    runtime.asyncContext = false;
    return;
  }
  runtime.als = new hooks.AsyncLocalStorage();
  const AsyncResource = hooks.AsyncResource;
  runtime.captureContext = () => new AsyncResource("taskio");
}

/**
 * Captures the current async context with `store` as taskio's store (the caller's own stores
 * kept): what each task's steps run in. Where AsyncLocalStorage keeps a copy-on-write context
 * frame (Node 24), `als.run` builds two frames (one to enter, one to restore), so the store is
 * entered inside an AsyncResource scope instead, which restores the caller's frame for free.
 * Where stores live on the current async resource (Node 20/22), `als.run` allocates nothing and
 * stays the cheaper way.
 */
export function captureWithStore(store: unknown): AsyncContext {
  const capture = runtime.captureContext!;
  return framesCopied()
    ? capture().runInAsyncScope(enterAndCapture, undefined, store)
    : runtime.als!.run(store, capture);
}

let copied: boolean | undefined;

/** True once taskio's AsyncLocalStorage is on and keeps its stores in copy-on-write context frames. */
export function framesCopied(): boolean {
  if (copied === undefined) {
    if (runtime.als === undefined || runtime.captureContext === undefined) return false;
    copied = copiesFrames(runtime.als, runtime.captureContext);
  }
  return copied;
}

function enterAndCapture(store: unknown): AsyncContext {
  runtime.als!.enterWith(store);
  return runtime.captureContext!();
}

/** True if enterWith inside a scope is undone when the scope ends (a context frame, not the resource). */
function copiesFrames(als: AsyncLocalStorage<unknown>, capture: () => AsyncContext): boolean {
  const probe = {};
  const scope = capture();
  scope.runInAsyncScope((value) => als.enterWith(value), undefined, probe);
  return scope.runInAsyncScope(() => als.getStore(), undefined, undefined) !== probe;
}

/** monotonic milliseconds on the clock every taskio timeout uses (not epoch time). asyncio: `loop.time()` (in ms). */
export function now(): number {
  return runtime.clock.now();
}
