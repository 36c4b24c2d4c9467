import { CancelledError, type Coroutine, createTask, currentTask, type Future, InvalidStateError } from "@taskio/core";
import {
  asyncGeneratorBodyError,
  type Caller,
  callAs,
  callInline,
  cancelWithError,
  captureCaller,
  isAsyncIterator,
  isCoroutine,
  isPromiseLike,
  listenWaiter,
  rejectWaiter,
  resolveWaiter,
  scheduleCallback,
  unlistenWaiter,
  wakeInOneSlot,
} from "@taskio/core/internal";
import { Waiter } from "./waiters.js";

/** What `run()` needs from a primitive: take a permit (maybe waiting), give it back. */
export interface Holdable {
  /**
   * Takes a permit now (a done Future), refuses (a failed one), or queues `call` itself, which is
   * its own Waiter, and returns it.
   */
  _take(weight: number, signal: AbortSignal | undefined, priority: number, call: Waiter): Future<unknown>;
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
 * The Future `run()` returns. While the call waits for a permit it is its own Waiter in the
 * primitive's queue (one object per waiting call, no separate permit Future): cancel() or an
 * abort withdraws it at once (no permit taken, the body never runs). Once the body runs,
 * cancel() returns false: the body belongs to the caller, whose cancellation reaches its awaits.
 * Completes with the body's outcome once the permit is given back.
 */
export class HeldCall extends Waiter {
  /** @internal the primitive the permit comes from */ _holder: Holdable;
  /** @internal */ _fn: Body;
  /** @internal */ _args: unknown[] | undefined;
  /** @internal where the call was made, when it had to wait */ _caller: Caller | undefined = undefined;
  /** @internal the call's own `{ signal }`, the body's signal outside any task */ _runSignal: AbortSignal | undefined;
  /** @internal queued (counted by `_queued`) and not yet started or withdrawn */ _waiting = false;
  /** @internal the body has started: the permit is held until it ends */ _running = false;

  constructor(
    holder: Holdable,
    fn: Body,
    weight: number,
    args: unknown[] | undefined,
    signal: AbortSignal | undefined,
    priority: number,
  ) {
    // The signal is listened to only once the call queues (runHeld).
    super(weight, undefined, priority);
    this._holder = holder;
    this._fn = fn;
    this._args = args;
    this._runSignal = signal;
  }

  /** Only the body settles this Future: a result set by hand would skip giving the permit back. */
  override setResult(_value: true): void {
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

  /** Withdraws a call still waiting for its permit; false once its body runs (or it ended). */
  override cancel(msg?: string): boolean {
    if (this._running || !super.cancel(msg)) return false;
    this._left();
    return true;
  }

  /** The call's signal aborted while it waited: withdrawn, failed with the signal's reason. */
  override handleEvent(): void {
    super.handleEvent();
    if (this.done()) this._left();
  }

  /**
   * @internal served: wakes in one ready-queue slot, where the primitive counts the permit as
   * held and the body starts. The call's signal no longer withdraws it.
   */
  override _grant(): void {
    this._granted = true;
    unlistenWaiter(this);
    scheduleCallback(wakeCall, this);
  }

  /** @internal cancelWaiters(reason): a CancelledError given as the reason ends the call cancelled */
  override _reject(reason: unknown): void {
    this._fail(reason);
    this._left();
  }

  /** @internal withdrawn, aborted or rejected before its body started: the caller's context is dropped */
  _left(): void {
    this._caller = undefined;
    this._unwait();
  }

  /** @internal the call stopped waiting: granted and starting, withdrawn, aborted or rejected */
  _unwait(): void {
    if (this._waiting) {
      this._waiting = false;
      this._holder._unqueued?.();
    }
  }

  /** @internal the permit is held: runs the body (in the caller's context when it had to wait) */
  _start(): void {
    this._running = true;
    this._holder._entered?.();
    const caller = this._caller;
    this._caller = undefined;
    if (caller === undefined) callInline(startBody, this, this._fn);
    else callAs(caller, startBody, this);
  }

  /**
   * @internal the body ended: settles, then gives the permit back exactly once. Settling first
   * lets whoever waits on this call (limit().map() after a failure) act before the caller the
   * permit goes to next starts its body.
   */
  _end(ok: boolean, outcome: unknown): void {
    const holder = this._holder;
    holder._exited?.();
    // The Future holds the body's outcome, typed T where run() returns it (see runHeld).
    if (ok) resolveWaiter(this, outcome as true);
    else this._fail(outcome);
    holder._give(this._weight);
  }

  /** @internal */
  _fail(error: unknown): void {
    if (error instanceof CancelledError) cancelWithError(this, error);
    else rejectWaiter(this, error);
  }
}

/**
 * A granted call wakes: the primitive counts the permit as held (as it does when a Waiter
 * resumes), then the body starts, or, for a call cancelled after the permit was handed over,
 * the permit is passed on unused.
 */
function wakeCall(call: HeldCall): void {
  call._owner!._resumed?.();
  if (call.done()) {
    call._holder._give(call._weight);
    return;
  }
  call._unwait();
  call._start();
}

// The call settles as a plain Future when its body ends: its wake-up is wakeCall, at the grant.
wakeInOneSlot(HeldCall, undefined);

/**
 * Calls the body and follows what it returns, while the caller is the current task: a Future or
 * a promise is awaited as the caller would (so the caller's cancellation reaches it), a generator
 * is driven by a child task of the caller.
 */
function startBody(call: HeldCall): void {
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
  if (isPromiseLike(value)) void follow(call, value);
  else if (isAsyncIterator(value)) call._end(false, asyncGeneratorBodyError());
  else call._end(true, value);
}

/**
 * Ends the call with the outcome of the promise its body returned. An async function: V8 awaits
 * a native promise without the two closures and the derived promise a then() would cost.
 */
async function follow(call: HeldCall, body: PromiseLike<unknown>): Promise<void> {
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
function callerSignal(call: HeldCall): AbortSignal {
  return currentTask()?.signal ?? call._runSignal ?? NEVER_ABORTED;
}

/**
 * `async with sem:` without a Task: takes a permit of `owner` (synchronously when one is free) and
 * runs the body inline, in the caller's task and async context, giving the permit back however
 * the body ends. `args` given: `fn(...args)` (limit()); otherwise `fn(signal)`.
 */
export function runHeld<T>(
  owner: Holdable,
  fn: Body,
  weight: number,
  args: unknown[] | undefined,
  signal: AbortSignal | undefined,
  priority = 0,
): Future<T> {
  const call = new HeldCall(owner, fn, weight, args, signal, priority);
  // A Waiter is a Future<true> to its primitive; to the caller it is the call's Future<T>.
  const future = call as unknown as Future<T>;
  const permit = owner._take(weight, signal, priority, call);
  if (permit !== call) {
    if (permit.cancelled() || permit.exception() !== undefined) call._fail(permit.exception());
    else call._start();
    return future;
  }
  call._caller = captureCaller(fn);
  call._waiting = true;
  owner._queued?.();
  listenWaiter(call, signal);
  return future;
}
