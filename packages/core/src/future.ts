import { outsideContext } from "./async-context.js";
import { describeWait } from "./describe.js";
import { pushRegistration, removeRegistrations } from "./done-callbacks.js";
import { brandCheck, type CancelledError, describeValue, InvalidStateError } from "./errors.js";
import { type AsyncContext, reportCallbackError, runtime } from "./runtime.js";
import { cancelledError } from "./short-stacks.js";
import type { Task } from "./tasks.js";
import type { Suspend } from "./types.js";

const FUTURE = Symbol.for("taskio.Future");
const STEP = Symbol.for("taskio.Suspend");
const inspect = Symbol.for("nodejs.util.inspect.custom");

export const PENDING = 0;
export const RESULT = 1;
export const EXCEPTION = 2;
export const CANCELLED = 3;

type DoneCallback<T> = (future: Future<T>) => void;
type Callback = (arg: any) => void;

/**
 * What then() registers: no closure per await, just this record. A class, not an object
 * literal: V8 counts per literal how many of its objects survive a young collection, and once
 * one collection finds most of them alive it allocates every later one straight into the old
 * generation. In about half the processes that had loaded the `effect` package it did, and
 * each await was then about 3× slower for good.
 */
class Reaction {
  /**
   * Always undefined, and first: a promise resolved with the record (signalReaction) looks
   * `then` up on it, and finding it at once is cheaper than missing it all the way up the chain.
   */
  declare then: undefined;
  declare future: Future<any>;
  declare resolve: (value: unknown) => void;
  declare reject: (reason: unknown) => void;
  declare onFulfilled: ((value: any) => unknown) | null | undefined;
  declare onRejected: ((reason: any) => unknown) | null | undefined;
  /** the task that awaits, named in a CancelledError's stack */
  declare task: { getName(): string } | undefined;

  constructor(
    future: Future<any>,
    onFulfilled: ((value: any) => unknown) | null | undefined,
    onRejected: ((reason: any) => unknown) | null | undefined,
    task: { getName(): string } | undefined,
  ) {
    // Every field assigned here, `then` first: one shape for every record.
    this.then = undefined;
    this.future = future;
    this.resolve = settleLater;
    this.reject = settleLater;
    this.onFulfilled = onFulfilled;
    this.onRejected = onRejected;
    this.task = task;
  }
}

/** A promise's resolving functions until its executor has run. */
function settleLater(): void {}

/**
 * A native promise with its resolving functions, for a primitive that hands out a promise it
 * settles itself later. The executor is a closure, which V8 inlines into the Promise
 * constructor: handing the functions out through module variables instead stores two new
 * objects into a long-lived one, and each such store takes the write barrier's slow path (about
 * 45 instructions on Node 24), more than the closure costs.
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;

  constructor() {
    let resolve: (value: T) => void = settleLater;
    let reject: (reason: unknown) => void = settleLater;
    this.promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.resolve = resolve;
    this.reject = reject;
  }
}

/**
 * Settles then()'s promise from the ready queue: then() was given no callbacks, or was called
 * while the program had no async context. That context held nothing, so if the program has
 * async context by now the callbacks run in the one taskio was loaded in, which holds nothing
 * either (the ready queue's may hold the task that completed the Future).
 */
function settleReaction(reaction: Reaction): void {
  if (runtime.captureContext !== undefined && (reaction.onFulfilled || reaction.onRejected)) {
    outsideContext(settleNow, reaction);
  } else settleNow(reaction);
}

function settleNow(reaction: Reaction): void {
  try {
    reaction.resolve(callReaction(reaction));
  } catch (error) {
    reaction.reject(error);
  }
}

/** Settles a chained then()'s promise with the reaction itself (not a thenable): its handler reads the outcome. */
function signalReaction(reaction: Reaction): void {
  reaction.resolve(reaction);
}

/**
 * Runs a done-callback soon. An awaiter's signal only resolves a native promise, whose reaction
 * is itself a later microtask, so it is sent at once rather than through the ready queue, which
 * would add a hop; it still counts against the burst, so a chain of them cannot keep timers out.
 */
function dispatchCallback(fn: Callback, arg: unknown): void {
  if (fn === signalReaction && runtime.spendBurst()) signalReaction(arg as Reaction);
  else runtime.schedule(fn, arg);
}

/** What then()'s callbacks make of the Future's outcome: what they return, or what they throw. */
function callReaction(reaction: Reaction): unknown {
  const future = reaction.future;
  future._markRetrieved();
  if (future._state === RESULT) return reaction.onFulfilled ? reaction.onFulfilled(future._value) : future._value;
  if (reaction.onRejected) return reaction.onRejected(future._error(reaction.task));
  throw future._error(reaction.task);
}

/** True for a Future (or Task) from any copy of @taskio/core. */
export function isFuture(value: unknown): value is Future<unknown> {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FUTURE] === true;
}

/** What a generator that another task runs yields to a task that steps it (see FutureStep). */
export const RUN_ELSEWHERE = Object.freeze({ runElsewhere: true });

/** The Future a `yield* future` suspended on, or undefined for anything else a generator yielded. */
export function suspendedOn(yielded: unknown): Future<unknown> | undefined {
  return typeof yielded === "object" && yielded !== null
    ? ((yielded as Record<symbol, Future<unknown> | undefined>)[STEP] ?? undefined)
    : undefined;
}

/**
 * The iterator behind `yield* future`: yields itself once if the Future is pending (the task
 * runner reads the Future from it and suspends the task on it). When the Future is done, the
 * task's step resumes it with next() for a value, which it returns, or throws the failure in
 * through throw(). A Future already done returns (or throws) at once, without suspending.
 */
class FutureStep<T> {
  [STEP]: Future<T>;
  /** The task whose step started it: the one that resumes it. */
  task: Task<unknown> | undefined = undefined;
  constructor(future: Future<T>) {
    this[STEP] = future;
  }
  next(): IteratorResult<Suspend, T> {
    const future = this[STEP];
    const task = runtime.current;
    if (this.task === undefined) {
      if (task === undefined || task._coro === undefined) {
        throw new TypeError(
          "A Future can only be iterated by `yield*` inside a taskio generator task; elsewhere, use `await`",
        );
      }
      this.task = task;
      if (future._state === PENDING) return { value: this as unknown as Suspend, done: false };
    } else if (task !== this.task) {
      // Another task stepped a generator this one runs (the same generator object given to two
      // tasks): yielding again leaves the generator where it was, for its own task to resume.
      return { value: RUN_ELSEWHERE as unknown as Suspend, done: false };
    }
    return { value: future.result(), done: true };
  }
  throw(error: unknown): IteratorResult<Suspend, T> {
    throw error;
  }
  return(value?: T): IteratorResult<Suspend, T> {
    return { value: value as T, done: true };
  }
  [Symbol.iterator]() {
    return this;
  }
}

/**
 * asyncio.Future: a result that will exist later. Pending, then done exactly once with a
 * result, an exception, or cancelled. Awaitable with `await` (it is PromiseLike) and, inside a
 * taskio generator, with `yield*`.
 *
 * @example
 * const fut = new Future<number>();
 * setTimeout(() => fut.setResult(42), 10);
 * console.log(await fut); // 42
 */
export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal */ declare _state: number;
  /** @internal */ declare _value: unknown;
  /** @internal the first callback when it is internal and alone: most futures have exactly one waiter */
  declare _cbFn: Callback | undefined;
  /** @internal */ declare _cbArg: unknown;
  /** @internal the others, flat [original, toCall, arg, ...] in registration order after _cbFn */
  declare _callbacks: unknown[] | null;
  /**
   * @internal set only on a failed Task nobody has read yet; the prototype's undefined until
   * then, so no other Future, waiter or task carries the field
   */
  declare _unretrieved: WeakRef<Task<unknown>> | undefined;
  /** @internal */ declare _coro: unknown;
  /** @internal what a primitive's Future waits for (see labelWait); never initialised, so free when unused */
  declare _waitLabel: string | undefined;
  /** @internal */ declare _waitOn: object | number | undefined;

  /** A pending Future: complete it with setResult(), setException() or cancel(). */
  constructor() {
    // Assigned here rather than as class fields: V8 (Node 20 to 24) constructs a subclass about
    // five times slower when the constructor its `super()` reaches has field initializers, and
    // every Task and every waiter is such a subclass.
    initFuture(this);
  }

  /** True once the Future has a result, an exception, or is cancelled. */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** True if the Future was cancelled (for a Task: its coroutine ended with CancelledError). */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result. Throws the Future's exception if it failed, a CancelledError if it was cancelled.
   * @throws {InvalidStateError} if the Future is still pending.
   */
  result(): T {
    if (this._state === RESULT) return this._value as T;
    if (this._state === PENDING) throw new InvalidStateError("Result is not set: the Future is still pending");
    this._markRetrieved();
    throw this._error();
  }

  /**
   * The exception the Future failed with, or undefined if it succeeded.
   * @throws {CancelledError} if it was cancelled. @throws {InvalidStateError} if still pending.
   */
  exception(): unknown {
    if (this._state === RESULT) return undefined;
    if (this._state === PENDING) throw new InvalidStateError("Exception is not set: the Future is still pending");
    this._markRetrieved();
    if (this._state === CANCELLED) throw this._error();
    return this._value;
  }

  /** Completes the Future with a value. @throws {InvalidStateError} if it is already done. */
  setResult(value: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this.toString()} is already done: setResult()`);
    this._complete(RESULT, value);
  }

  /**
   * Fails the Future with `error`. Passing an Error class instantiates it. A CancelledError set this
   * way is an exception, not a cancellation (`cancelled()` stays false), as in asyncio's gather.
   * @throws {InvalidStateError} if already done.
   */
  setException(error: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this.toString()} is already done: setException()`);
    if (typeof error === "function" && error.prototype instanceof Error) error = new (error as new () => Error)();
    this._complete(EXCEPTION, error);
  }

  /**
   * Cancels the Future at once (for a Task it is a request: see Task.cancel). Returns false if it
   * was already done. `msg` becomes the CancelledError's message.
   */
  cancel(msg?: string): boolean {
    if (this._state !== PENDING) return false;
    // The CancelledError is built when someone reads it: most cancelled timers never are. A
    // message that is not a string (a Symbol, an object) is kept as text, as Error would show it.
    this._complete(CANCELLED, msg === undefined || typeof msg === "string" ? msg : String(msg));
    return true;
  }

  /** @internal the exception, or the CancelledError of a cancelled Future (created on first read) */
  _error(task: { getName(): string } | undefined = runtime.current): unknown {
    if (this._state === CANCELLED && !(typeof this._value === "object" && this._value !== null)) {
      this._value = cancelledError(this._value as string | undefined, task);
    }
    return this._value;
  }

  /**
   * Calls `callback(future)` soon after the Future is done (never synchronously), in registration
   * order, in the async context current at registration. Does not make your task wait on the Future.
   */
  addDoneCallback(callback: DoneCallback<T>): void {
    if (typeof callback !== "function") {
      throw new TypeError(`callback must be a function (future) => void, got ${describeValue(callback)}`);
    }
    const capture = runtime.captureContext;
    // Registered while the program has no async context, it runs in none even if it has some by then.
    const call = capture === undefined ? bindOutside(callback) : bindContext(capture(), callback);
    if (this._state !== PENDING) runtime.schedule(call, this);
    else pushRegistration((this._callbacks ??= []), callback, call, this);
  }

  /** Removes every registration of `callback` not yet scheduled; returns how many were removed. */
  removeDoneCallback(callback: DoneCallback<T>): number {
    if (typeof callback !== "function") {
      throw new TypeError(`callback must be the function given to addDoneCallback(), got ${describeValue(callback)}`);
    }
    // Once done, its callbacks are already on their way (a Future settled in one slot still holds them).
    if (this._state !== PENDING) return 0;
    let removed = 0;
    if (this._cbFn === callback) {
      this._cbFn = this._cbArg = undefined;
      removed++;
    }
    const list = this._callbacks;
    return list === null ? removed : removed + removeRegistrations(list, callback);
  }

  /** @internal a done-callback `fn(arg)` with no context capture and no checks (task wake-ups, combinators) */
  _addCallback(fn: Callback, arg: unknown): void {
    if (this._state !== PENDING) runtime.schedule(fn, arg);
    else if (this._cbFn === undefined && this._callbacks === null) {
      this._cbFn = fn;
      this._cbArg = arg;
    } else pushRegistration((this._callbacks ??= []), fn, fn, arg);
  }

  /** @internal */
  _complete(state: number, value: unknown): void {
    this._state = state;
    this._value = value;
    const fn = this._cbFn;
    if (fn !== undefined) {
      const arg = this._cbArg;
      this._cbFn = this._cbArg = undefined;
      dispatchCallback(fn, arg);
    }
    const list = this._callbacks;
    if (list !== null) {
      this._callbacks = null;
      // A removed callback's slot may be blank (see done-callbacks.ts).
      for (let i = 1; i < list.length; i += 3)
        if (list[i] !== undefined) dispatchCallback(list[i] as Callback, list[i + 1]);
    }
  }

  /** @internal */
  _markRetrieved(): void {
    if (this._unretrieved !== undefined) {
      runtime.finalizer.unregister(this._unretrieved);
      runtime.unretrieved.delete(this._unretrieved);
      this._unretrieved = undefined;
    }
  }

  /**
   * PromiseLike: returns a native Promise. Inside a task, awaiting a pending Future makes it one of
   * the task's waiters, so cancelling the task cancels it (and a pending cancel request is
   * delivered here). The callbacks run in the async context of this call, as a promise's do, not
   * in that of the code that completes the Future.
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this._markRetrieved();
    // Already done: a native promise settles it, cheaper than the ready queue, as long as the
    // burst allows. An async function looping over done Futures must still count against the
    // burst limit, or it would keep timers and I/O from ever running: past it, the ready queue.
    if (this._state !== PENDING && runtime.spendBurst()) {
      if (this._state === RESULT) return Promise.resolve(this._value as T).then(onFulfilled, onRejected);
      // Rejected once its handler is attached: a promise rejected with none yet goes through
      // Node's unhandled-rejection bookkeeping twice (reported, then withdrawn).
      const failed = new Deferred<T>();
      const derived = failed.promise.then(onFulfilled, onRejected);
      failed.reject(this._error(runtime.current ?? runtime.als?.getStore()));
      return derived;
    }
    const now = runtime.current ?? runtime.als?.getStore();
    const task = now !== undefined && now._state === PENDING ? now : undefined;
    const reaction = new Reaction(this, onFulfilled, onRejected, task);
    // Stored into the young reaction: no write barrier's slow path (see Deferred).
    const promise = new Promise<Reaction>((resolve, reject) => {
      reaction.resolve = resolve as (value: unknown) => void;
      reaction.reject = reject;
    });
    // The ready queue runs in whatever async context queued it, often the task that completed
    // this Future: a callback called from there would see that task as currentTask(), register
    // its awaits with it (so that task's cancellation would reach them) and read its stores. So
    // once the program has async context, the callbacks run from a native reaction registered
    // here, in this call's context, as a promise's would; the Future then only signals
    // `promise`, at once (see dispatchCallback), and a result that is itself a thenable still
    // reaches onFulfilled as it is. Without async context there is no context to keep:
    // settleReaction calls them from the ready queue, without the extra promise.
    const result =
      (onFulfilled || onRejected) && runtime.captureContext !== undefined ? promise.then(callReaction) : promise;
    if (task !== undefined && this._state === PENDING) {
      if (task === (this as Future<unknown>)) {
        // It would wait forever: it gets the error a generator task gets.
        const failed = new Future<unknown>();
        failed.setException(new InvalidStateError("Task cannot await on itself"));
        reaction.future = failed;
        runtime.schedule(result === promise ? settleReaction : signalReaction, reaction);
        return result as Promise<R1 | R2>;
      }
      task._awaiting(this);
    }
    this._addCallback(result === promise ? settleReaction : signalReaction, reaction);
    return result as Promise<R1 | R2>;
  }

  catch<R = never>(onRejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onFinally);
  }

  /** For `const v = yield* future` inside a taskio generator only; elsewhere use `await`. */
  [Symbol.iterator](): Generator<Suspend, T, unknown> {
    return new FutureStep(this) as unknown as Generator<Suspend, T, unknown>;
  }

  /** @internal the state word asyncio prints */
  _stateName(): string {
    return ["pending", "finished", "finished", "cancelled"][this._state]!;
  }

  /** @internal */
  _outcomeText(): string {
    if (this._state === RESULT) return ` result=${short(this._value)}`;
    if (this._state === EXCEPTION) return ` exception=${short(this._value)}`;
    return "";
  }

  toString(): string {
    const waiting = this._state === PENDING ? describeWait(this) : undefined;
    return `<Future ${this._stateName()}${waiting === undefined ? "" : ` waiting in ${waiting}`}${this._outcomeText()}>`;
  }

  [inspect](): string {
    return this.toString();
  }

  // `this`, not the class's name: a class body naming its own class makes the bundler rename it
  // (`_Future`), and stack frames would show that name.
  static [Symbol.hasInstance] = brandCheck(this, FUTURE);
}
Object.defineProperty(Future.prototype, FUTURE, { value: true });
Object.defineProperty(Future.prototype, "_unretrieved", { value: undefined, writable: true });

/**
 * Sets a new Future's fields to a pending Future's: Future's constructor, and that of a Future
 * which is also a native promise (PromiseFuture), which cannot call it.
 */
export function initFuture(future: Future<unknown>): void {
  future._state = PENDING;
  future._value = undefined;
  future._cbFn = undefined;
  future._cbArg = undefined;
  future._callbacks = null;
}

/**
 * Future's then(), for a Future that is awaited as often as it is made (a task, a primitive's
 * waiter, a done Future an operation hands back) to store as its newest own property, last in its
 * constructor: `this.then = futureThen`. `await` looks `then` up afresh on every thenable, with
 * no inline cache, searching each object on the prototype chain in turn: found as a Task's newest
 * own property, it costs an await about 90 instructions; missing the task's own properties and
 * finding it on its prototype, about 320. A subclass that overrides then() stores its own
 * instead. Not done in Future's constructor: a user's subclass that overrides then() would have
 * it shadowed.
 */
export const futureThen = Future.prototype.then;

function bindContext<A>(context: AsyncContext, fn: (arg: A) => void) {
  return (arg: A) => context.runInAsyncScope(fn, undefined, arg);
}

function bindOutside<A>(fn: (arg: A) => void) {
  return (arg: A) => (runtime.captureContext === undefined ? fn(arg) : outsideContext(fn, arg));
}

function short(value: unknown): string {
  if (value instanceof Error) return `${value.name}(${JSON.stringify(value.message)})`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object" && value !== null) return describeValue(value);
  return String(value);
}

/**
 * Cancels a pending Future with this very CancelledError (not a new one built from its message),
 * so code that compares the error it was given sees the same object. For taskio packages whose
 * Futures end when a body raised a cancellation (`Semaphore.run`). Returns false if already done.
 */
export function cancelWithError(future: Future<unknown>, error: CancelledError): boolean {
  if (future._state !== PENDING) return false;
  future._complete(CANCELLED, error);
  return true;
}

/**
 * Registers `fn(arg)` to run when `future` is done, in registration order with its other
 * callbacks, without capturing the async context as `addDoneCallback()` does (an AsyncResource
 * per call). For a primitive's own bookkeeping, which only counts or enters a context it captured
 * itself (`Semaphore.run`'s waiting calls).
 */
export function onDone<A>(future: Future<unknown>, fn: (arg: A) => void, arg: A): void {
  future._addCallback(fn as (arg: unknown) => void, arg);
}

/**
 * Completes `future` with one ready-queue slot instead of one per callback: `wake(future)` runs
 * there, and calls {@link runDoneCallbacks} when its own work is done. For a primitive whose
 * Future has bookkeeping to do right before its waiters resume (Semaphore's granted waiters:
 * see resolveWaiterInOneSlot).
 */
export function completeInOneSlot<F extends Future<any>>(
  future: F,
  state: number,
  value: unknown,
  wake: (future: F) => void,
): void {
  future._state = state;
  future._value = value;
  runtime.schedule(wake, future);
}

/**
 * Runs, now and in registration order, the callbacks a Future completed by
 * {@link completeInOneSlot} holds. One that throws is reported as the ready queue would report
 * it, and the others still run.
 */
export function runDoneCallbacks(future: Future<any>): void {
  const fn = future._cbFn;
  if (fn !== undefined) {
    const arg = future._cbArg;
    future._cbFn = future._cbArg = undefined;
    callReporting(fn, arg);
  }
  const list = future._callbacks;
  if (list !== null) {
    future._callbacks = null;
    for (let i = 1; i < list.length; i += 3) if (list[i] !== undefined) callReporting(list[i] as Callback, list[i + 1]);
  }
}

function callReporting(fn: Callback, arg: unknown): void {
  try {
    fn(arg);
  } catch (error) {
    reportCallbackError(error);
  }
}
