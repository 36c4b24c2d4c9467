import { captureWithStore, enableAsyncContext, onlyTaskioStore } from "./async-context.js";
import { isGeneratorFunction } from "./body-checks.js";
import { Future } from "./future.js";
import { type AsyncContext, runtime } from "./runtime.js";
import { createTask, isAsyncIterator, isCoroutine, isPromiseLike, runningTask, type Task } from "./tasks.js";
import type { Coroutine } from "./types.js";

/**
 * Awaits, inside a generator task, whatever a body function returned: a generator is run with
 * `yield*`, a Future awaited, a promise followed until it settles — never abandoned early: a
 * cancel request goes past it to the Futures the body awaits and to its signal — and any other
 * value returned as it is. What `taskGroup` does with its body.
 * @example
 * const value = yield* followBody<R>(body(tg));
 */
export function* followBody<T>(value: unknown): Coroutine<T> {
  if (isCoroutine(value)) return (yield* value) as T;
  if (value instanceof Future) return (yield* value) as T;
  if (isPromiseLike(value)) {
    const settled = new Settled(value);
    yield* settled;
    if (settled.failed) throw settled.outcome;
    return settled.outcome as T;
  }
  return value as T;
}

/**
 * {@link followBody}, refusing an async generator (not a taskio coroutine) returned by the body.
 * What `Semaphore.run` and `RemoteSemaphore.run` do with their bodies.
 * @throws {TypeError} if the body returned an async generator.
 * @example
 * createTask(function* () {
 *   yield* sem.acquire();
 *   try { return yield* awaitBody(fn(signal)); } finally { sem.release(); }
 * });
 */
export function awaitBody<T>(value: unknown): Coroutine<T> {
  if (!isCoroutine(value) && !isPromiseLike(value) && isAsyncIterator(value)) throw asyncGeneratorBodyError();
  return followBody<T>(value);
}

/**
 * Calls a body `fn` the way createTask calls a function: with the task's signal if it declares a
 * parameter (reading `task.signal` creates an AbortController, so only then), else with nothing.
 * @example
 * const value = yield* awaitBody(callWithSignal(fn, currentTask()!));
 */
export function callWithSignal<R>(fn: (signal: AbortSignal) => R, task: Task<unknown>): R {
  return fn.length > 0 ? fn(task.signal) : (fn as () => R)();
}

/**
 * Runs `coro` — the generator that calls the body `fn` and follows it — as a new Task: a
 * generator-form task when `fn` is a generator function, so that generator-only programs keep
 * AsyncLocalStorage off; otherwise a function-form task, whose async awaits are cancellation
 * points (DESIGN: scope bodies run as child tasks).
 * @example
 * return createBodyTask(body, runGroup(group, body));
 */
export function createBodyTask<T>(fn: unknown, coro: Coroutine<T>): Task<T> {
  return isGeneratorFunction(fn) ? createTask(coro) : createTask(() => coro);
}

/**
 * Follows the promise an async body returned. It refuses cancel(): the task must end only when
 * the body's promise settles (DESIGN: never earlier), so a cancel request goes past it to the
 * Futures the body awaits, and to its signal. The outcome is kept aside so a CancelledError
 * rejection is rethrown as the same object.
 */
class Settled extends Future<void> {
  failed = false;
  outcome: unknown = undefined;
  constructor(promise: PromiseLike<unknown>) {
    super();
    promise.then(
      (value) => {
        this.outcome = value;
        this.setResult(undefined);
      },
      (error) => {
        this.failed = true;
        this.outcome = error;
        this.setResult(undefined);
      },
    );
  }
  override cancel(): boolean {
    return false;
  }
}

/** What a body that returned an async generator (not a taskio coroutine) fails with. */
export function asyncGeneratorBodyError(): TypeError {
  return new TypeError(
    "the body returned an async generator, which is not a taskio coroutine. Use a generator with `yield*`, or an async function",
  );
}

/** Where a call was made: its task and async context, to run a body there later. */
export interface Caller {
  readonly task: Task<unknown> | undefined;
  readonly ctx: AsyncContext | undefined;
}

/** Plain code with nothing to capture: one shared record, not one per run() call that waits. */
const PLAIN_CALLER: Caller = Object.freeze({ task: undefined, ctx: undefined });

/**
 * Captures the calling task and async context, so that a body run later (when a permit is
 * handed over) runs as if called now: its awaits are the caller's cancellation points. Called
 * from a task, turns AsyncLocalStorage on (see bodyNeedsContext). For taskio packages
 * (`Semaphore.run`).
 */
export function captureCaller(body?: unknown): Caller {
  const task = runningTask();
  if (bodyNeedsContext(task, body)) enableAsyncContext();
  const capture = runtime.captureContext;
  // Plain code's context holds nothing while no store of the user's exists: nothing to capture,
  // and callAs only makes sure no task's store is entered for the body. (A task's context is
  // still captured: entering its store later with als.run costs two context frames, more than
  // the AsyncResource.)
  if (capture === undefined || (task === undefined && onlyTaskioStore())) {
    return task === undefined ? PLAIN_CALLER : { task, ctx: undefined };
  }
  // Inside its task the caller's frame already holds the task as taskio's store (every step and
  // an async function's continuations enter it): capturing that frame is enough. Only a caller
  // whose store is not its task (a generator task that started before AsyncLocalStorage was on)
  // needs the store entered for the body.
  const als = runtime.als;
  return {
    task,
    ctx: task !== undefined && als !== undefined && als.getStore() !== task ? captureWithStore(task) : capture(),
  };
}

/**
 * True if a body that `task` runs as part of itself needs AsyncLocalStorage turned on: an async
 * or plain function body (`body`, the user's function) whose later awaits must find the task, as
 * a function-form task's do. A generator function is the generator form. A caller outside any
 * task has no task to be found, so its body leaves it off: a program that only calls `limit(fn)`
 * or `sem.run(fn)` from plain code, as a p-limit user does, does not pay Node 20/22's tax on every
 * promise (and while it is off, only a task's step can be running taskio code).
 */
function bodyNeedsContext(task: Task<unknown> | undefined, body: unknown): boolean {
  return (
    task !== undefined && runtime.als === undefined && runtime.asyncContext !== false && !isGeneratorFunction(body)
  );
}

/** Calls `fn(arg)` as the caller captured by captureCaller: in its task and async context. */
export function callAs<A, R>(caller: Caller, fn: (arg: A) => R, arg: A): R {
  const previous = runtime.current;
  const task = caller.task;
  runtime.current = task;
  try {
    if (caller.ctx !== undefined) return caller.ctx.runInAsyncScope(fn, undefined, arg);
    const als = runtime.als;
    return als === undefined || als.getStore() === task ? fn(arg) : als.run(task as Task<unknown>, fn, arg);
  } finally {
    runtime.current = previous;
  }
}

/**
 * Calls `fn(arg)` now, inline, in the running task: a generator task's later awaits inside an
 * async body must still find it, so its store is entered when it is not already the current one.
 * Called from a task, turns AsyncLocalStorage on (see bodyNeedsContext).
 */
export function callInline<A, R>(fn: (arg: A) => R, arg: A, body?: unknown): R {
  const task = runtime.current;
  if (bodyNeedsContext(task, body)) enableAsyncContext();
  const als = runtime.als;
  if (task === undefined || als === undefined || als.getStore() === task) return fn(arg);
  return als.run(task, fn, arg);
}
