import { CancelledError, type Coroutine, createTask, currentTask, Future, InvalidStateError } from "@taskio/core";
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
  onDone,
} from "@taskio/core/internal";
import type { Waiter } from "./waiters.js";

/** What `run()` needs from a primitive: take a permit (maybe waiting), give it back. */
export interface Holdable {
  _take(weight: number, signal: AbortSignal | undefined, priority: number): Future<true>;
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
 * The Future `run()` returns. While the call waits for a permit, cancel() withdraws it at once
 * (no permit taken, the body never runs). Once the body runs, cancel() returns false: the body
 * belongs to the caller, whose cancellation reaches its awaits. Completes with the body's
 * outcome once the permit is given back.
 */
export class HeldCall<T> extends Future<T> {
  /** @internal */ _owner: Holdable;
  /** @internal */ _fn: Body;
  /** @internal */ _args: unknown[] | undefined;
  /** @internal */ _weight: number;
  /** @internal the permit waited for, while the call waits */ _permit: Future<true> | undefined = undefined;
  /** @internal where the call was made, when it had to wait */ _caller: Caller | undefined = undefined;
  /** @internal */ _signal: AbortSignal | undefined;
  /** @internal the body has started: the permit is held until it ends */ _running = false;

  constructor(owner: Holdable, fn: Body, weight: number, args: unknown[] | undefined, signal: AbortSignal | undefined) {
    super();
    this._owner = owner;
    this._fn = fn;
    this._args = args;
    this._weight = weight;
    this._signal = signal;
  }

  /** Withdraws a call still waiting for its permit; false once its body runs (or it ended). */
  override cancel(msg?: string): boolean {
    if (this.done() || this._running) return false;
    // Still queued: the permit is never taken. Already handed over: onPermit, which runs once the
    // primitive counts the permit as held, passes it on unused.
    this._permit!.cancel();
    this._owner._unqueued?.();
    this._caller = undefined;
    return super.cancel(msg);
  }

  /** @internal the permit is held: runs the body (in the caller's context when it had to wait) */
  _start(): void {
    this._running = true;
    this._permit = undefined;
    this._owner._entered?.();
    const caller = this._caller;
    this._caller = undefined;
    if (caller === undefined) callInline(startBody, this as HeldCall<unknown>, this._fn);
    else callAs(caller, startBody, this as HeldCall<unknown>);
  }

  /** @internal the permit wait ended (told by the Waiter, after its owner's bookkeeping) */
  _onPermit(): void {
    onPermit(this as HeldCall<unknown>);
  }

  /**
   * @internal the body ended: settles, then gives the permit back exactly once. Settling first
   * lets whoever waits on this call (limit().map() after a failure) act before the caller the
   * permit goes to next starts its body.
   */
  _end(ok: boolean, outcome: unknown): void {
    const owner = this._owner;
    owner._exited?.();
    if (ok) settleResult.call(this, outcome as T);
    else this._fail(outcome);
    owner._give(this._weight);
  }

  /** @internal */
  _fail(error: unknown): void {
    if (error instanceof CancelledError) cancelWithError(this, error);
    else settleException.call(this, error);
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
  if (isPromiseLike(value)) void follow(call, value);
  else if (isAsyncIterator(value)) call._end(false, asyncGeneratorBodyError());
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
  return currentTask()?.signal ?? call._signal ?? NEVER_ABORTED;
}

/**
 * The permit wait ended. It runs after the primitive's own callback that counts a handed-over
 * permit as held, so giving it back from here is always a valid release.
 */
function onPermit(call: HeldCall<unknown>): void {
  const permit = call._permit!;
  const owner = call._owner;
  if (call.done()) {
    // Withdrawn by cancel(): nothing taken, or, if the permit was handed over first, pass it
    // on unused.
    if (!permit.cancelled() && permit.exception() === undefined) owner._give(call._weight);
    return;
  }
  owner._unqueued?.();
  if (permit.cancelled()) {
    // The primitive rejected its waiters (cancelWaiters()): the call ends cancelled, with that error.
    try {
      permit.exception();
    } catch (error) {
      call._fail(error);
    }
    return;
  }
  const error = permit.exception();
  if (error !== undefined) call._fail(error);
  else call._start();
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
  const call = new HeldCall<T>(owner, fn, weight, args, signal);
  const permit = owner._take(weight, signal, priority);
  if (permit.done()) {
    if (permit.cancelled() || permit.exception() !== undefined) call._fail(permit.exception());
    else call._start();
    return call;
  }
  call._permit = permit;
  call._caller = captureCaller(fn);
  owner._queued?.();
  // A primitive's Waiter (each settles through wakeWaiter) tells the call right after its owner's
  // bookkeeping; any other Future gets a done-callback.
  if ("_heldBy" in permit) (permit as Waiter)._heldBy = call;
  else onDone(permit, onPermit, call as HeldCall<unknown>);
  return call;
}
