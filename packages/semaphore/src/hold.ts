import { CancelledError, type Coroutine, createTask, currentTask, Future, InvalidStateError } from "@taskio/core";
import {
  asyncGeneratorBodyError,
  type Caller,
  callAs,
  callInline,
  cancelWithError,
  captureCaller,
  Deferred,
  futureOnPromise,
  isAsyncIterator,
  isCoroutine,
  isPromiseLike,
  listenWaiter,
  SETTLE_ABORTED,
  scheduleSoon,
  spendBurst,
  unlistenWaiter,
  WITHDRAW,
} from "@taskio/core/internal";
import { PromiseQueueNode, QueueNode } from "./waiters.js";

/** What `run()` needs from a primitive: take a permit (maybe queueing the call), give it back. */
export interface Holdable {
  /**
   * Takes `weight` permits for `call` now, returning an already-done Future (or one failed with an
   * aborted signal's reason), or queues `call` itself and returns it: its `_grant()` comes when
   * the permit is handed over.
   */
  _take(weight: number, signal: AbortSignal | undefined, priority: number, call: QueueNode<unknown>): Future<unknown>;
  _give(weight: number): void;
  /** A call started waiting for a permit (limit() counts them)... */
  _queued?(): void;
  /** ...and stopped: granted, withdrawn or aborted. */
  _unqueued?(): void;
  /** The body is about to start (limit() counts its active bodies)... */
  _entered?(): void;
  /** ...and has ended, before the permit is given back. Not called if the body never started. */
  _exited?(): void;
}

type Body = (...args: any[]) => unknown;

/**
 * `run()`'s arguments after `fn`: for a body that produces a generator which is not a taskio
 * coroutine (it yields something other than `yield* future`, e.g. a bare `yield`), a compile
 * error that says so.
 */
export type BodyRest<T, Rest extends unknown[]> = 0 extends 1 & T
  ? Rest // any
  : [T] extends [never]
    ? Rest // a body that only throws
    : [T] extends [Generator]
      ? [use_yield_star_not_a_bare_yield: never]
      : Rest;

const NEVER_ABORTED = new AbortController().signal;

/**
 * The Future `run()` returns. While the call waits for a permit it is itself the node in the
 * primitive's queue (no Future per permit), and cancel() withdraws it at once (no permit taken,
 * the body never runs). Once the body runs, cancel() returns false: the body belongs to the
 * caller, whose cancellation reaches its awaits. Completes with the body's outcome once the
 * permit is given back.
 */
export class HeldCall<T> extends QueueNode<T> {
  /** @internal what the permit is taken from and given back to */ _holder: Holdable;
  /** @internal */ _fn: Body;
  /** @internal */ _args: unknown[] | undefined;
  /** @internal where the call was made, when it had to wait */ _caller: Caller | undefined = undefined;
  /** @internal the call's own `{ signal }`, read by a body when no task runs it */ _callSignal:
    | AbortSignal
    | undefined;
  /** @internal the body has started: the permit is held until it ends */ _running = false;
  /** @internal the native promise the body returned, until the call ends */ _body: Promise<unknown> | undefined =
    undefined;
  /** @internal then() from outside any task before the body ran: settled as the call ends */ _outcome:
    | Deferred<unknown>
    | undefined = undefined;

  constructor(
    holder: Holdable,
    fn: Body,
    weight: number,
    args: unknown[] | undefined,
    signal: AbortSignal | undefined,
    priority: number,
  ) {
    super(weight, priority);
    this._holder = holder;
    this._fn = fn;
    this._args = args;
    this._callSignal = signal;
    // Awaited once for each call, so an own property, as core's futureThen says.
    this.then = heldCallThen;
  }

  /**
   * Like Future's then(). From outside any task (a call made inside a task and awaited outside
   * it: one made outside is a PromiseHeldCall, whose then() is a promise's), where nothing is to
   * be cancelled with the caller, the callbacks hang on a native promise settled as the call
   * ends, with no ready-queue slot of their own: while the call waits, one it settles itself
   * (its permit comes through the ready queue, so a loop of such calls still lets timers and I/O
   * run); while the body runs, the body's own promise (the call's reaction to it came first, so
   * the call is settled and its permit given back before they run), within the ready queue's
   * burst. Otherwise, and once the call ended, Future's then().
   */
  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this.done() && currentTask() === undefined) {
      if (!this._running) {
        this._outcome ??= new Deferred<unknown>();
        return (this._outcome.promise as Promise<T>).then(onFulfilled, onRejected);
      }
      const body = this._body;
      if (body !== undefined && spendBurst()) return (body as Promise<T>).then(onFulfilled, onRejected);
    }
    return super.then(onFulfilled, onRejected);
  }

  /** Withdraws a call still waiting for its permit; false once its body runs (or it ended). */
  override cancel(msg?: string): boolean {
    if (this.done() || this._running) return false;
    super.cancel(msg);
    if (this._outcome !== undefined) {
      try {
        this.exception();
      } catch (error) {
        settleOutcome(this as HeldCall<unknown>, false, error);
      }
    }
    return true;
  }

  /**
   * @internal leaves the queue, cancelled or aborted before its body ran. A permit already
   * handed over is passed on unused when its slot comes (see startGranted).
   */
  override [WITHDRAW](): void {
    super[WITHDRAW]();
    this._holder._unqueued?.();
    this._caller = undefined;
  }

  /** @internal an aborted signal's reason ends the call as the body's own failure would */
  override [SETTLE_ABORTED](reason: unknown): void {
    this._fail(reason);
  }

  /**
   * @internal handed its permit: the body starts in a ready-queue slot of its own, as a waiter
   * woken with a permit resumes; until then the call holds newcomers back.
   */
  _grant(): void {
    unlistenWaiter(this);
    scheduleSoon(startGranted, this as HeldCall<unknown>);
  }

  /** @internal drained by `cancelWaiters(reason)` */
  _reject(reason: unknown): void {
    this[WITHDRAW]();
    this._fail(reason);
  }

  /** @internal the permit is held: runs the body (in the caller's context when it had to wait) */
  _start(): void {
    this._running = true;
    this._holder._entered?.();
    const caller = this._caller;
    this._caller = undefined;
    if (caller === undefined) callInline(startBody, this as HeldCall<unknown>, this._fn);
    else callAs(caller, startBody, this as HeldCall<unknown>);
  }

  /**
   * @internal the body ended: settles, then gives the permit back exactly once. Settling first
   * lets whoever waits on this call (limit().map() after a failure) act before the caller the
   * permit goes to next starts its body.
   */
  _end(ok: boolean, outcome: unknown): void {
    this._body = undefined;
    const holder = this._holder;
    holder._exited?.();
    if (ok) {
      settleResult.call(this, outcome as T);
      if (this._outcome !== undefined) settleOutcome(this as HeldCall<unknown>, true, outcome);
    } else this._fail(outcome);
    holder._give(this._weight);
  }

  /** @internal */
  _fail(error: unknown): void {
    if (error instanceof CancelledError) cancelWithError(this, error);
    else settleException.call(this, error);
    if (this._outcome !== undefined) settleOutcome(this as HeldCall<unknown>, false, error);
  }

  /**
   * Only the body settles this Future. A result set by hand would make the body's own settling
   * throw when it ends (an uncaught error in `follow`), and the permit would never be given back.
   */
  override setResult(_value: T): void {
    throw new InvalidStateError(
      "This Future is a run() call's: its body settles it, not setResult(). Cancel it instead",
    );
  }

  /** Only the body settles this Future. */
  override setException(_error: unknown): void {
    throw new InvalidStateError(
      "This Future is a run() call's: its body settles it, not setException(). Cancel it instead",
    );
  }
}
const heldCallThen = HeldCall.prototype.then;

/**
 * The HeldCall `run()` and `limit()` hand to code outside any task: a HeldCall that is also a
 * native promise (see futureOnPromise), settled as the call ends. Inside a task they hand out a
 * plain HeldCall, whose then() makes a waiting call one of the task's waiters. Per call it costs
 * about 10% more instructions than a HeldCall awaited through its own then() (a promise
 * constructor, and generic `constructor` and `then` lookups in Promise.all), but keeps no
 * promise of then()'s alive per waiting call: 200,000 calls waiting at once took half the
 * instructions per call.
 */
class PromiseHeldCall extends PromiseQueueNode<unknown> {
  // HeldCall's fields, as class fields: see futureOnPromise.
  _holder: Holdable;
  _fn: Body;
  _args: unknown[] | undefined;
  _caller = undefined;
  _callSignal: AbortSignal | undefined;
  _running = false;
  _body = undefined;
  _outcome = undefined;

  constructor(
    holder: Holdable,
    fn: Body,
    weight: number,
    args: unknown[] | undefined,
    signal: AbortSignal | undefined,
    priority: number,
  ) {
    super(weight, priority);
    this._holder = holder;
    this._fn = fn;
    this._args = args;
    this._callSignal = signal;
  }
}
futureOnPromise(PromiseHeldCall.prototype, HeldCall);

/** The call ended: settles what then() handed out while it waited, with the same outcome. */
function settleOutcome(call: HeldCall<unknown>, ok: boolean, value: unknown): void {
  const outcome = call._outcome!;
  call._outcome = undefined;
  if (ok) outcome.resolve(value);
  else outcome.reject(value);
}

const settleResult = Future.prototype.setResult;
const settleException = Future.prototype.setException;

/**
 * Calls the body and follows what it returns, while the caller is the current task: a Future or
 * a promise is awaited as the caller would (so the caller's cancellation reaches it), a generator
 * is driven by a child task of the caller.
 */
function startBody(call: HeldCall<unknown>): void {
  let value: unknown;
  try {
    const fn = call._fn;
    const args = call._args;
    value = args !== undefined ? fn(...args) : fn.length === 0 ? fn() : fn(callerSignal(call));
    // An async function's promise, the common case, skips the generator check.
    if (!(value instanceof Promise) && isCoroutine(value)) value = createTask(value as Coroutine<unknown>);
  } catch (error) {
    call._end(false, error);
    return;
  }
  // An async function's promise, the common case, is followed at once, below.
  if (!(value instanceof Promise) && value instanceof Future) {
    // A task driving a generator body, or a Future the body returned: awaited from here, while
    // the caller is the current task, so that its cancellation reaches them even without
    // AsyncLocalStorage (follow()'s await would call then() a microtask later, in no task).
    value.then(
      (result) => call._end(true, result),
      (error) => call._end(false, error),
    );
  } else if (isPromiseLike(value)) {
    // A plain native promise: follow() awaits it with no wrapper, so its reaction is registered
    // now, ahead of any then() chained to it (a subclass would be wrapped a turn later).
    if (value.constructor === Promise) call._body = value as Promise<unknown>;
    void follow(call, value);
  } else if (isAsyncIterator(value)) call._end(false, asyncGeneratorBodyError());
  else call._end(true, value);
}

/**
 * Ends the call with the outcome of the promise its body returned. An async function: V8 awaits
 * a native promise without the two closures and the derived promise a then() would cost.
 */
async function follow(call: HeldCall<unknown>, body: PromiseLike<unknown>): Promise<void> {
  let result: unknown;
  try {
    result = await body;
  } catch (error) {
    call._end(false, error);
    return;
  }
  call._end(true, result);
}

/** The caller's signal (a body runs as part of its caller), else the call's own `{ signal }`. */
function callerSignal(call: HeldCall<unknown>): AbortSignal {
  return currentTask()?.signal ?? call._callSignal ?? NEVER_ABORTED;
}

/**
 * The ready-queue slot of a call handed its permit: the primitive counts the permit as held
 * (a waiter woken with a permit does the same as it resumes), then the body starts, or, if the
 * call was cancelled meanwhile, the permit is passed on unused.
 */
function startGranted(call: HeldCall<unknown>): void {
  call._owner!._resumed?.();
  if (call.done()) call._holder._give(call._weight);
  else {
    call._holder._unqueued?.();
    call._start();
  }
}

/**
 * `async with sem:` without a Task: takes a permit of `holder` (synchronously when one is free) and
 * runs the body inline, in the caller's task and async context, giving the permit back however
 * the body ends. `args` given: `fn(...args)` (limit()); otherwise `fn(signal)`.
 */
export function runHeld<T>(
  holder: Holdable,
  fn: Body,
  weight: number,
  args: unknown[] | undefined,
  signal: AbortSignal | undefined,
  priority = 0,
): Future<T> {
  const call =
    currentTask() === undefined
      ? (new PromiseHeldCall(holder, fn, weight, args, signal, priority) as unknown as HeldCall<T>)
      : new HeldCall<T>(holder, fn, weight, args, signal, priority);
  const permit = holder._take(weight, signal, priority, call as HeldCall<unknown>);
  if (permit !== call) {
    if (permit.cancelled() || permit.exception() !== undefined) call._fail(permit.exception());
    else call._start();
    return call;
  }
  listenWaiter(call, signal);
  call._caller = captureCaller(fn);
  holder._queued?.();
  return call;
}
