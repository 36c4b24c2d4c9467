/**
 * The async context tasks run in: taskio's AsyncLocalStorage (the task an async function's
 * awaits belong to), and the user's own stores captured at createTask.
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import { InvalidStateError } from "./errors.js";
import { type AsyncContext, runtime } from "./runtime.js";
import type { Task } from "./tasks.js";

/** node:async_hooks where the runtime has it (Node, Deno, Bun), else undefined (browsers). */
function asyncHooks(): typeof import("node:async_hooks") | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:async_hooks") as typeof import("node:async_hooks") | undefined;
}

/** What every copy of @taskio/core in the process shares about the program's own stores. */
interface StoreWatch {
  /** true once any AsyncLocalStorage but taskio's own ran `run()` or `enterWith()` */
  used: boolean;
  /** the unpatched methods, which taskio's own store calls */
  run: (...args: unknown[]) => unknown;
  enterWith: (...args: unknown[]) => unknown;
}

const WATCH = Symbol.for("taskio.storeWatch");

let watch: StoreWatch | undefined;

/**
 * A generator-only program never turns taskio's AsyncLocalStorage on, yet its tasks must still
 * run in the user's async context (a request id, a tracing span) captured at createTask. Capturing
 * it costs an AsyncResource per task and a scope per step, so it starts only once the program
 * uses a store of its own: the first `run()` or `enterWith()` of any other AsyncLocalStorage turns
 * capturing on and puts the original methods back, so nothing is paid on later calls. Until then
 * taskio's store is the only one, so a body run later needs only its caller's task entered (see
 * callAs), not the caller's whole context. A store set before taskio was loaded and never set
 * again goes unnoticed: such a store holds the same value everywhere anyway.
 */
function watchUserStores(): void {
  const hooks = asyncHooks();
  if (!hooks) return;
  const proto = hooks.AsyncLocalStorage.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  // Another copy of @taskio/core already watches: share its flag.
  const shared = (proto.run as { [WATCH]?: StoreWatch })[WATCH];
  if (shared !== undefined) {
    watch = shared;
    return;
  }
  const state: StoreWatch = { used: false, run: proto.run!, enterWith: proto.enterWith! };
  watch = state;
  const restore = () => {
    proto.run = state.run;
    proto.enterWith = state.enterWith;
    state.used = true;
    if (runtime.captureContext === undefined && runtime.asyncContext !== false) {
      const AsyncResource = hooks.AsyncResource;
      runtime.captureContext = () => new AsyncResource("taskio");
    }
  };
  const run = function (this: unknown, ...args: unknown[]) {
    restore();
    return state.run.apply(this, args);
  };
  (run as { [WATCH]?: StoreWatch })[WATCH] = state;
  proto.run = run;
  proto.enterWith = function (this: unknown, ...args: unknown[]) {
    restore();
    return state.enterWith.apply(this, args);
  };
}

watchUserStores();

/** True while taskio's AsyncLocalStorage is the only store the program has used (see watchUserStores). */
export function onlyTaskioStore(): boolean {
  return watch !== undefined && !watch.used;
}

/** The context taskio was loaded in, before the program set any store: no task's, no user's. */
const loadScope = ((hooks) => hooks && new hooks.AsyncResource("taskio"))(asyncHooks());

/**
 * The caller's context a new task's first step runs in, or undefined while nobody needs one. The
 * first step enters the task in taskio's store, so while that store is the program's only one,
 * what the caller's context held is replaced anyway; where that entry lands in a frame of the
 * step's own (Node 24), every task can share the context taskio was loaded in, and none needs an
 * AsyncResource of its own. (Where stores live on the resource, the step's entry would stay on it.)
 */
export function contextForNewTask(): AsyncContext | undefined {
  const capture = runtime.captureContext;
  if (capture === undefined) return undefined;
  return loadScope !== undefined && onlyTaskioStore() && framesCopied() ? loadScope : capture();
}

/** Runs `fn(arg)` in the context taskio was loaded in (directly where there is no async context). */
export function outsideContext<A>(fn: (arg: A) => void, arg: A): void {
  if (loadScope === undefined) fn(arg);
  else loadScope.runInAsyncScope(fn, undefined, arg);
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
  const hooks = asyncHooks();
  if (!hooks) {
    runtime.asyncContext = false;
    return;
  }
  const als = new hooks.AsyncLocalStorage<Task<unknown>>();
  // taskio's own store calls the original methods, so it never counts as a store of the user's.
  if (watch !== undefined) {
    Object.assign(als, { run: watch.run, enterWith: watch.enterWith });
  }
  runtime.als = als;
  const AsyncResource = hooks.AsyncResource;
  runtime.captureContext = () => new AsyncResource("taskio");
}

/**
 * Captures the current async context with `task` in taskio's store (the caller's own stores
 * kept): what each task's steps run in. Where AsyncLocalStorage keeps a copy-on-write context
 * frame (Node 24), `als.run` builds two frames (one to enter, one to restore), so the task is
 * entered inside an AsyncResource scope instead, which restores the caller's frame for free.
 * Where stores live on the current async resource (Node 20/22), `als.run` allocates nothing and
 * stays the cheaper way.
 */
export function captureWithStore(task: Task<unknown>): AsyncContext {
  const capture = runtime.captureContext!;
  return framesCopied() ? capture().runInAsyncScope(enterAndCapture, undefined, task) : runtime.als!.run(task, capture);
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

function enterAndCapture(task: Task<unknown>): AsyncContext {
  runtime.als!.enterWith(task);
  return runtime.captureContext!();
}

/** True if enterWith inside a scope is undone when the scope ends (a context frame, not the resource). */
function copiesFrames(als: AsyncLocalStorage<unknown>, capture: () => AsyncContext): boolean {
  const probe = {};
  const scope = capture();
  scope.runInAsyncScope((value) => als.enterWith(value), undefined, probe);
  return scope.runInAsyncScope(() => als.getStore(), undefined, undefined) !== probe;
}
