import { type Coroutine, currentTask, InvalidStateError, isCancelledError, now, type Task } from "@taskio/core";
import {
  callLater,
  callSoon,
  describeValue,
  isCoroutine,
  isPromiseLike,
  type TimerHandle,
  timeoutError,
} from "@taskio/core/internal";
import { checkDeadline, checkDelay } from "./arguments.js";
import { CALL_WITH_SCOPE, spawnScopeTask } from "./body-task.js";

// asyncio's Timeout._State, with the names its repr prints.
const CREATED = 0;
const ENTERED = 1;
const EXPIRING = 2;
const EXPIRED = 3;
const EXITED = 4;
const STATE_NAMES = ["created", "active", "expiring", "expired", "finished"] as const;
const WITH_ARTICLE = ["a created", "an active", "an expiring", "an expired", "a finished"] as const;

/**
 * The scopes whose body is running (entered, not exited yet), by body task: a scope created in a
 * body finds the one enclosing it here. Entries leave at exit, so nothing is held longer.
 */
const running = new Map<Task<unknown>, Timeout>();

/** The scope whose body the running task is, if any: a scope made now is entered inside it. */
export function enclosingScope(): Timeout | undefined {
  const caller = currentTask();
  return caller === undefined ? undefined : running.get(caller);
}

/**
 * A deadline around a body task: asyncio's `Timeout`, the object `async with timeout(…) as cm`
 * gives. `timeout()` and `timeoutAt()` create one and pass it to the body; it cannot be entered by
 * hand.
 *
 * When the deadline passes, the body task is cancelled (a request, delivered where the body waits)
 * and `signal` aborts; the CancelledError this caused leaves the scope as a `TimeoutError` whose
 * `cause` is that CancelledError. A cancellation from elsewhere stays a CancelledError.
 *
 * @example
 * const task = timeout(1_000, function* (scope) {
 *   yield* sleep(600);
 *   scope.reschedule(scope.when()! + 1_000); // one more second
 *   yield* sleep(600);
 *   return scope.expired(); // false
 * });
 */
export class Timeout {
  /** @internal */ _when: number | null;
  /** @internal the delay asked for, for the error message; null once rescheduled */ _delay: number | null;
  /** @internal "timeout()", "timeoutAt()" or "waitFor()" */ _label: string;
  /** @internal */ _state = CREATED;
  /** @internal the body task */ _task: Task<unknown> | undefined = undefined;
  /** @internal the body and how to start it, until the task starts (see body-task.ts) */ _body: unknown = undefined;
  /** @internal */ _how = CALL_WITH_SCOPE;
  /** @internal the body task's cancelling() at entry: asyncio's baseline */ _baseline = 0;
  /** @internal the callback due at the deadline, while one is set */ _timer: TimerHandle | undefined = undefined;
  /** @internal the scope whose body created this one */ _parent: Timeout | undefined;
  /** @internal the scopes entered inside this one's body that have not exited yet */ _children:
    | Set<Timeout>
    | undefined = undefined;

  /** @internal created by timeout(), timeoutAt() and waitFor() */
  constructor(when: number | null, label: string, delay: number | null) {
    this._when = when;
    this._label = label;
    this._delay = delay;
    this._parent = enclosingScope();
  }

  /** The deadline on the `now()` clock, or null if the scope has none. asyncio: `Timeout.when()`. */
  when(): number | null {
    return this._when;
  }

  /**
   * Moves the deadline: later, earlier (a deadline already passed fires on the next turn), or
   * `null` to remove it. `when` is on the `now()` clock; Infinity means null.
   * asyncio: `Timeout.reschedule()`.
   * @throws {InvalidStateError} if the scope has expired or its body has finished.
   * @throws {TypeError} if `when` is not a number or null. @throws {RangeError} for NaN or -Infinity.
   * @example
   * timeout(100, function* (scope) {
   *   scope.reschedule(null); // no deadline after all
   *   yield* sleep(1_000);
   * });
   */
  reschedule(when: number | null): void {
    const deadline = checkDeadline(when, "Timeout.reschedule(when)");
    if (this._state !== ENTERED) {
      throw new InvalidStateError(
        this._state === CREATED
          ? "Timeout.reschedule(): the Timeout has not been entered (its body has not started)"
          : `Timeout.reschedule(): cannot change the deadline of ${WITH_ARTICLE[this._state]} Timeout`,
      );
    }
    this._when = deadline;
    this._delay = null;
    this._disarm();
    this._arm();
  }

  /** True once the deadline has passed while the body ran (even if the body then finished normally). asyncio: `Timeout.expired()`. */
  expired(): boolean {
    return this._state === EXPIRING || this._state === EXPIRED;
  }

  /**
   * The body task's AbortSignal: aborts when the deadline passes or the body task is cancelled,
   * with the CancelledError as its `reason` (like `task.signal`), and stays aborted. Pass it to
   * foreign work such as `fetch`; an outer task's signal is not aborted by this scope.
   * @throws {InvalidStateError} on a Timeout made with `new`, which has no body task.
   */
  get signal(): AbortSignal {
    if (this._task === undefined) {
      throw new InvalidStateError("Timeout.signal: this Timeout has no body task; use timeout() or timeoutAt()");
    }
    return this._task.signal;
  }

  /** `<Timeout [active] when=12.5>`, `<Timeout [expired]>`, as asyncio prints it. */
  toString(): string {
    const when = this._when === null ? "null" : String(Math.round(this._when * 1000) / 1000);
    return `<Timeout [${STATE_NAMES[this._state]}]${this._state === ENTERED ? ` when=${when}` : ""}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** @internal the body task's first step: asyncio's `__aenter__`. Returns the body task. */
  _enter(): Task<unknown> {
    const task = this._task!;
    this._state = ENTERED;
    this._baseline = task.cancelling();
    running.set(task, this);
    const parent = this._parent;
    if (parent !== undefined) {
      if (parent._state === ENTERED || parent._state === EXPIRING) (parent._children ??= new Set()).add(this);
      else this._parent = undefined;
    }
    this._arm();
    return task;
  }

  /**
   * @internal the body ended (threw `error` if `threw`): asyncio's `__aexit__`. Returns what the
   * body task ends with: a TimeoutError for the CancelledError this scope caused, else `error`.
   */
  _exit(threw: boolean, error: unknown): unknown {
    this._disarm();
    running.delete(this._task!);
    const parent = this._parent;
    if (parent !== undefined) {
      parent._children!.delete(this);
      this._parent = undefined;
    }
    if (this._state !== EXPIRING) {
      this._state = EXITED;
      return error;
    }
    this._state = EXPIRED;
    // Converted only if no other cancel request is left: one from elsewhere stays.
    if (this._task!.uncancel() <= this._baseline && threw && isCancelledError(error)) {
      return timeoutError(this._message(), error, this._task);
    }
    return error;
  }

  /** @internal starts the timer for `_when`: asyncio's call_at, or call_soon for a deadline already passed. */
  _arm(): void {
    const when = this._when;
    if (when === null) return;
    const delay = when - now();
    // A deadline already passed fires after everything already queued, so a body that never
    // suspends still finishes first.
    this._timer = delay > 0 ? callLater(delay, fire, this) : callSoon(fire, this);
  }

  /** @internal */
  _disarm(): void {
    const timer = this._timer;
    if (timer === undefined) return;
    this._timer = undefined;
    timer.cancel();
  }

  /**
   * @internal the deadline passed. asyncio runs every timer due in one loop iteration before any
   * task resumes; nested scopes live in separate tasks here, so the related scopes (this scope's
   * outermost active ancestor and everything entered inside it) that are due expire now too. So,
   * as in asyncio, when nested scopes expire together, only the outermost converts.
   */
  _fire(): void {
    const at = now();
    let root: Timeout = this;
    for (let p = this._parent; p !== undefined && (p._state === ENTERED || p._state === EXPIRING); p = p._parent) {
      root = p;
    }
    this._expire();
    if (root !== this || this._children !== undefined) expireDue(root, at);
  }

  /** @internal asyncio's `_on_timeout`: cancel the body task (a request) and remember it. */
  _expire(): void {
    this._disarm();
    this._state = EXPIRING;
    this._task!.cancel(this._message());
  }

  /** @internal */
  _message(): string {
    return this._delay !== null
      ? `${this._label} timed out after ${this._delay} ms`
      : `${this._label} expired: its deadline ${this._when} (on the now() clock) passed`;
  }
}

function fire(scope: Timeout): void {
  scope._timer = undefined;
  scope._fire();
}

function expireDue(scope: Timeout, at: number): void {
  if (scope._state === ENTERED && scope._when !== null && scope._when <= at) scope._expire();
  if (scope._children !== undefined) for (const child of scope._children) expireDue(child, at);
}

function checkBody(body: unknown, where: string): void {
  if (typeof body === "function") return;
  const hint = isCoroutine(body)
    ? "pass the generator function itself, not a generator object: `function* (scope) { … }`"
    : isPromiseLike(body)
      ? "this promise is already running outside the scope: pass `(scope) => work(scope.signal)`"
      : "pass `(scope) => …`, an async function or a generator function";
  throw new TypeError(
    `${where}: body must be a function that receives the Timeout scope, got ${describeValue(body)}; ${hint}`,
  );
}

/**
 * Runs `body` as a new Task with a deadline `ms` milliseconds from now, and returns that task.
 * asyncio: `async with asyncio.timeout(delay) as scope:`.
 *
 * The body receives the {@link Timeout} scope (`scope.signal` for foreign work, `scope.reschedule`)
 * and `currentTask()` inside it is the returned task. When the deadline passes, the body is
 * cancelled where it waits and the task rejects with a `TimeoutError` (its `cause` is the
 * CancelledError); if the body catches the cancellation and returns, its value is returned.
 * Cancelling the returned task (or a task awaiting it) is a request: it settles once the body has
 * finished, as a CancelledError.
 *
 * `ms`: `null` or `Infinity` for no deadline. A delay `<= 0` (negative included, as in asyncio)
 * fires on the next turn: a body that waits on anything times out, one that never suspends
 * finishes.
 * @throws {TypeError} if `ms` is not a number or null, or `body` is not a function.
 * @throws {RangeError} if `ms` is NaN or -Infinity.
 * @example
 * const res = await timeout(5_000, (scope) => fetch(url, { signal: scope.signal }));
 */
export function timeout<R>(ms: number | null, body: (scope: Timeout) => Coroutine<R>): Task<R>;
export function timeout<R>(ms: number | null, body: (scope: Timeout) => R | PromiseLike<R>): Task<Awaited<R>>;
export function timeout(ms: number | null, body: (scope: Timeout) => unknown): Task<unknown> {
  const delay = checkDelay(ms, "timeout(ms, body)");
  checkBody(body, "timeout(ms, body)");
  return spawnScopeTask(new Timeout(delay === null ? null : now() + delay, "timeout()", delay), body, CALL_WITH_SCOPE);
}

/**
 * Like {@link timeout}, with an absolute deadline `when` on the `now()` clock (monotonic
 * milliseconds, not `Date.now()`: a value that looks like epoch time is warned about once).
 * asyncio: `async with asyncio.timeout_at(when) as scope:`.
 *
 * `when`: `null` or `Infinity` for no deadline; a deadline already passed fires on the next turn.
 * @throws {TypeError} if `when` is not a number or null, or `body` is not a function.
 * @throws {RangeError} if `when` is NaN or -Infinity.
 * @example
 * const deadline = now() + 10_000; // one budget for several steps
 * const a = await timeoutAt(deadline, () => stepOne());
 * const b = await timeoutAt(deadline, () => stepTwo(a));
 */
export function timeoutAt<R>(when: number | null, body: (scope: Timeout) => Coroutine<R>): Task<R>;
export function timeoutAt<R>(when: number | null, body: (scope: Timeout) => R | PromiseLike<R>): Task<Awaited<R>>;
export function timeoutAt(when: number | null, body: (scope: Timeout) => unknown): Task<unknown> {
  const deadline = checkDeadline(when, "timeoutAt(when, body)");
  checkBody(body, "timeoutAt(when, body)");
  return spawnScopeTask(new Timeout(deadline, "timeoutAt()", null), body, CALL_WITH_SCOPE);
}
