import type { AsyncLocalStorage } from "node:async_hooks";
import { type Clock, createRealClock } from "./clock.js";
import { createPendingTasks, type PendingTasks } from "./pending-tasks.js";
import { createScheduler, type Scheduler } from "./scheduler.js";
import type { Task } from "./tasks.js";

/** Bumped whenever the shape of the shared runtime object, or of what copies hand each other through it (a task's run), changes. */
export const PROTOCOL = 4;
declare const __TASKIO_VERSION__: string | undefined;
const VERSION = typeof __TASKIO_VERSION__ === "string" ? __TASKIO_VERSION__ : "source";

/** What the exception handler receives. */
export interface ExceptionContext {
  message: string;
  error: unknown;
  task?: { getName(): string } | undefined;
}

/** A captured async context (an AsyncResource): runs a function inside it. */
export interface AsyncContext {
  runInAsyncScope<A, R>(fn: (arg: A) => R, thisArg: unknown, arg: A): R;
}

/** What the finalizer keeps of a failed task nobody read, to report it once the task is collected. */
interface Unretrieved {
  message: string;
  error: unknown;
  name: string;
  ref: WeakRef<Task<unknown>>;
}

/**
 * Everything taskio keeps per process. It lives on globalThis so that every copy of
 * @taskio/core in the process (ESM and CJS, or two versions) shares one scheduler, one
 * current task and one clock.
 */
export interface Runtime extends Scheduler {
  readonly protocol: number;
  readonly version: string;
  clock: Clock;
  /** The task whose step runs right now (synchronously), if any. */
  current: Task<unknown> | undefined;
  /** taskio's store: the task an async function's awaits belong to. */
  als: AsyncLocalStorage<Task<unknown>> | undefined;
  /** undefined: enabled by the first function-form task; false: never (configure). */
  asyncContext: boolean | undefined;
  /**
   * Captures the current async context, or undefined while nobody needs it: neither taskio's
   * AsyncLocalStorage nor a user's store is in use. An AsyncResource: AsyncLocalStorage.snapshot()
   * does the same but costs ~80× more on Node 20.
   */
  captureContext: (() => AsyncContext) | undefined;
  taskCounter: number;
  /** run() calls in progress: while none is, no new task belongs to a run */
  openRuns: number;
  /** Pending tasks, held strongly. */
  readonly tasks: PendingTasks;
  /** Failed tasks whose exception nobody retrieved yet. */
  readonly unretrieved: Set<WeakRef<Task<unknown>>>;
  readonly finalizer: FinalizationRegistry<Unretrieved>;
  exceptionHandler: (context: ExceptionContext) => void;
}

const KEY = Symbol.for("taskio.runtime");

function defaultHandler(context: ExceptionContext): void {
  const who = context.task ? ` (${context.task.getName()})` : "";
  console.error(`${context.message}${who}`, context.error);
}

/** What a ready-queue callback threw, reported as asyncio's "Exception in callback". */
export function reportCallbackError(error: unknown): void {
  reportException({ message: "Exception in callback", error });
}

function createRuntime(): Runtime {
  const scheduler = createScheduler(reportCallbackError);
  const runtime: Runtime = {
    protocol: PROTOCOL,
    version: VERSION,
    schedule: scheduler.schedule,
    scheduleNextTurn: scheduler.scheduleNextTurn,
    pending: scheduler.pending,
    spendBurst: scheduler.spendBurst,
    clock: createRealClock(),
    current: undefined,
    als: undefined,
    asyncContext: undefined,
    captureContext: undefined,
    taskCounter: 0,
    openRuns: 0,
    tasks: createPendingTasks(),
    unretrieved: new Set(),
    finalizer: new FinalizationRegistry((held) => {
      runtime.unretrieved.delete(held.ref);
      // Through the one reporter: a handler that throws here must not crash the process.
      reportException({
        message: held.message,
        error: held.error,
        task: { getName: () => held.name },
      });
    }),
    exceptionHandler: defaultHandler,
  };
  return runtime;
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

/** monotonic milliseconds on the clock every taskio timeout uses (not epoch time). asyncio: `loop.time()` (in ms). */
export function now(): number {
  return runtime.clock.now();
}
