/**
 * Tasks: asyncio's Task, for generators and for async functions.
 *
 * ## The forms a task takes
 *
 * createTask() takes a generator object or a function. A function is kept in `_fn` and called at
 * the task's first step (`_startFunction`), with the task's signal if it declares a parameter.
 * What it returns decides the form from then on:
 * - a generator (a `function*`, or a plain function returning one): kept in `_coro`, exactly as
 *   if a generator object had been given. `_step` drives it: each `yield* future` suspends the
 *   task on that Future (`_suspendedOn`), and the Future's done-callback steps it again.
 * - a promise (an async function): the task follows it (`_settle`) and never steps again. Its
 *   awaits are the async function's own; a taskio Future awaited while the task is current
 *   (`runningTask()`: `runtime.current` during a step, taskio's AsyncLocalStorage store in the
 *   async function's continuations) records itself in `_awaitedFutures` (`Future.then`).
 * - a Future: the task is suspended on it (`_suspendedOn`) and ends with its outcome (`_adopt`).
 * - any other value: the task's result, at once.
 * A task cancelled before its first step never calls the function or steps the generator.
 *
 * ## How a cancellation travels
 *
 * `task.cancel(msg)` counts the request (`cancelling()`) and delivers it through the first of
 * three channels that takes it; if none does, it is kept (`_mustCancel`) for the next await.
 * 1. The Future a generator is suspended on (`_suspendedOn`): cancelled at once. Its
 *    done-callback steps the task, and `_step` throws that Future's CancelledError in at the
 *    `yield*`, where the generator's try/catch receives it.
 * 2. The Futures an async function awaits (`_awaitedFutures`): the pending ones are cancelled
 *    (`_cancelAwaited`). The promise `Future.then` returned rejects with the CancelledError, and
 *    the `await` throws it into the async function's try/catch.
 * 3. The signal (`task.signal`): aborted at the first request, with the CancelledError as its
 *    `reason`, for work outside taskio (`fetch(url, { signal })`), which rejects with it.
 * Channels 1 and 2 may reach a task awaiting another task, and so on: past CANCEL_NESTING
 * nested cancel() calls, the rest are queued and made by the outermost one before it returns.
 * A kept request is delivered at the task's next taskio await: `_suspendOn` (generator) or
 * `_awaiting` (async function) cancels the Future being awaited. Reading `signal.reason` while a
 * request is kept opens a window until the next macrotask in which an await does not take it
 * (see watchReason): the foreign work that read it is delivering it.
 * A task that channels 1 and 2 reach can take the request and never deliver it (its body is past
 * its last taskio await): ending with its value, it hands the request back to the task that
 * passed it (`passCancel`, `_handBackRequests`), once, for that task's next await. A task that
 * one with a request kept creates starts after that one's await has reached it, so the request
 * cancels it before its first step (`startAfterCallersAwait`). A TaskGroup's task stands for its
 * caller's scope: it holds the caller's request until it ends, and hands it back if it fails with
 * the request still counted (`keepCallersRequests`), as asyncio re-arms it on the parent task.
 *
 * A task ends through `_finish` (result, exception or cancellation); a CancelledError that
 * escapes the coroutine makes it cancelled (`_fail`).
 */
import { contextForNewTask, enableAsyncContext, framesCopied } from "./async-context.js";
import { isAsyncGeneratorFunction, isGeneratorFunction } from "./body-checks.js";
import { describeWait } from "./describe.js";
import { brandCheck, CancelledError, describeValue, InvalidStateError } from "./errors.js";
import { reportAtExit } from "./exit-report.js";
import {
  CANCELLED,
  EXCEPTION,
  Future,
  futureThen,
  isFuture,
  PENDING,
  RESULT,
  RUN_ELSEWHERE,
  suspendedOn,
} from "./future.js";
import { addPending, listPending, removePending, type TaskPage } from "./pending-tasks.js";
import { type AsyncContext, runtime } from "./runtime.js";
import { cancelledError } from "./short-stacks.js";
import { listenAbort, unlistenAbort } from "./signals.js";
import type { Coroutine, NoBareYield, SignalOptions } from "./types.js";

const TASK = Symbol.for("taskio.Task");

/** Options for createTask. */
export interface TaskOptions extends SignalOptions {
  /** The task's name; default `Task-<n>`. */
  name?: string;
  /** An outside signal: aborting it cancels the task; already aborted, the task never runs. */
  signal?: AbortSignal;
}

/**
 * One `run()`: the tasks it created, directly or indirectly, carry it as `_run`, and it counts
 * those still pending. No set of them: adding and deleting each task cost every task created
 * under run() a hash; the pending ones are found on the list of all pending tasks (pendingTasks).
 * @internal
 */
export interface RunScope {
  pending: number;
}

/**
 * True for a generator object — a taskio coroutine (`work()` where `work` is a `function*`), the
 * first form createTask accepts. Handy when writing your own combinators.
 */
export function isCoroutine(value: unknown): value is Coroutine<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Coroutine<unknown>).next === "function" &&
    typeof (value as Coroutine<unknown>).throw === "function" &&
    typeof (value as Coroutine<unknown>)[Symbol.iterator] === "function"
  );
}

/** True for anything with a `then` method: a promise, a thenable, a taskio Future. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

/** @internal the task whose code runs now, if it is still pending */
export function runningTask(): Task<unknown> | undefined {
  const task = runtime.current ?? runtime.als?.getStore();
  return task !== undefined && task._state === PENDING ? task : undefined;
}

/**
 * How deep cancel() calls may nest. Cancelling a task cancels what it awaits, at once, and that
 * may be a task awaiting another task, and so on: a chain of 20,000 such tasks overflowed the
 * stack (asyncio's does too). Past this depth the requests are queued, and the outermost
 * cancel() makes them, one after the other, before it returns.
 */
const CANCEL_NESTING = 100;
let cancelNesting = 0;
/** [task, message, …] whose cancel() was called past CANCEL_NESTING */
const queuedCancels: unknown[] = [];

function runQueuedCancels(): void {
  // One level of nesting while it runs: what these cancels reach past the limit joins this
  // loop, rather than starting a loop of its own over the same list.
  cancelNesting = 1;
  try {
    for (let i = 0; i < queuedCancels.length; i += 2) {
      (queuedCancels[i] as Task<unknown>).cancel(queuedCancels[i + 1] as string | undefined);
    }
  } finally {
    cancelNesting = 0;
    queuedCancels.length = 0;
  }
}

function stepTask(task: Task<unknown>): void {
  const ctx = task._ctx;
  if (ctx === undefined) task._step();
  else ctx.runInAsyncScope(task._started ? callStep : firstStep, undefined, task);
}

function callStep(task: Task<unknown>): void {
  task._step();
}

/**
 * Enters the task's store on top of the caller's context captured at createTask, then steps.
 * Where the store lives on the scope's resource (Node 20/22), that resource now carries it for
 * every later step. Where it lives in a context frame (Node 24), the frame is captured after the
 * step, and only for a generator that will step again: a task that ended needs no later step,
 * and an async function's later steps are its own promise reactions, which carry the frame. As
 * in an async function, what the first step entered in a store of its own stays entered after
 * its awaits.
 */
function firstStep(task: Task<unknown>): void {
  const als = runtime.als;
  if (als === undefined) {
    task._step();
    return;
  }
  als.enterWith(task);
  task._step();
  if (task._state === PENDING && task._coro !== undefined && framesCopied()) task._ctx = runtime.captureContext!();
}

/** What createTask passes Task's constructor, which a `new Task()` of the user's does not. */
const MADE_HERE: unique symbol = Symbol("createTask");

/**
 * asyncio.Task: runs a coroutine (a generator, or a function given the task's AbortSignal) as an
 * independent unit of work that can really be cancelled. Created by `createTask`, never directly.
 *
 * @example
 * const task = createTask(async (signal) => (await fetch(url, { signal })).status);
 * task.cancel("no longer needed");
 */
export class Task<T = unknown> extends Future<T> {
  /** @internal a generator being stepped (also set once a function returned one) */
  override _coro: Coroutine<T> | undefined;
  /** @internal the function form, until its first step */
  _fn: ((signal: AbortSignal) => unknown) | undefined;
  /** @internal */ _started = false;
  /** @internal what the task is suspended on (generator) or follows (a returned Future) */
  _suspendedOn: Future<unknown> | undefined = undefined;
  /** @internal Futures awaited with then() while this task was current */
  _awaitedFutures: Future<unknown>[] | undefined = undefined;
  // The fields below start at their prototype's default (set after the class) and become own
  // properties only when used: most tasks are never cancelled, so they never pay for them.
  /** @internal a cancel request not delivered yet */ declare _mustCancel: boolean;
  /** @internal the signal's reason was read this turn while a request was pending (see watchReason) */
  declare _reasonRead: boolean;
  /** @internal */ declare _cancelMessage: string | undefined;
  /** @internal */ declare _numCancels: number;
  /** @internal */ declare _everCancelled: boolean;
  /** @internal */ declare _firstCancelMessage: string | undefined;
  /** @internal */ declare _controller: AbortController | undefined;
  /** @internal an error to throw into the generator at the next step (a bare yield) */
  declare _throwNext: unknown;
  /** @internal */ _number: number;
  /** @internal */ _name: string | undefined;
  /** @internal the async context captured at creation */
  _ctx: AsyncContext | undefined;
  /** @internal */ declare _run: RunScope | undefined;
  /** @internal */ declare _unlinkSignal: (() => void) | undefined;
  /** @internal a running Future this task was created to await (see awaitRunning) */
  declare _awaitsRunning: Future<unknown> | undefined;
  /** @internal the tasks that passed it their cancel requests, as (task, message, request id) triples (see passCancel) */
  declare _handBack: unknown[] | undefined;
  /** @internal the id of the request it holds, which travels with it as it is passed on: held while it differs from _spentId */
  declare _requestId: number;
  /** @internal the id of its newest request known delivered: one that comes back after that is spent */
  declare _spentId: number;
  /** @internal took a request before its first step while following a done Future: never delivered */
  declare _keptUntilEnd: boolean;
  /** @internal a TaskGroup's task, which stands for its caller's `async with` (see keepCallersRequests) */
  declare _standsForCaller: boolean;
  /** @internal where runtime.tasks holds it while it is pending */
  _page: TaskPage | undefined = undefined;
  /** @internal */ _slot = 0;

  /** @internal use createTask */
  constructor(
    coro: Coroutine<T> | undefined,
    fn: ((signal: AbortSignal) => unknown) | undefined,
    name: string | undefined,
    made: typeof MADE_HERE,
  ) {
    // `new Task(coro)` would make a task nothing ever steps: awaiting it would hang.
    if (made !== MADE_HERE) throw new TypeError("a Task is not constructed with new Task(): call createTask(coro)");
    super();
    this._coro = coro;
    this._fn = fn;
    this._number = ++runtime.taskCounter;
    this._name = name;
    // The caller's context; the first step adds this task to taskio's store (see firstStep).
    this._ctx = contextForNewTask();
    // Awaited as often as it is created (see futureThen).
    this.then = futureThen;
  }

  /** The task's name (`Task-<n>` unless given). */
  getName(): string {
    return this._name ?? `Task-${this._number}`;
  }

  setName(name: string): void {
    this._name = String(name);
  }

  get name(): string {
    return this.getName();
  }

  /**
   * An AbortSignal that aborts at the first cancel() with the CancelledError as its `reason`, and
   * stays aborted even if the cancellation is caught. Pass it to foreign work (`fetch`).
   */
  get signal(): AbortSignal {
    if (this._controller === undefined) {
      this._controller = new AbortController();
      if (this._everCancelled) this._controller.abort(cancelledError(this._firstCancelMessage, this));
      else watchReason(this, this._controller.signal);
    }
    return this._controller.signal;
  }

  /** Tasks finish only by running their coroutine. @throws {InvalidStateError} always. */
  override setResult(_value: T): void {
    throw new InvalidStateError("Task does not support setResult(): a Task's outcome is its coroutine's");
  }

  /** Tasks finish only by running their coroutine. @throws {InvalidStateError} always. */
  override setException(_error: unknown): void {
    throw new InvalidStateError("Task does not support setException(): a Task's outcome is its coroutine's");
  }

  /**
   * Requests cancellation (asyncio's Task.cancel): returns true if the task is not done. A
   * CancelledError(msg) is raised where the task waits on a pending Future, or at its next such
   * wait; the coroutine may catch it. A task cancelled before its first step never runs.
   */
  override cancel(msg?: string): boolean {
    if (this._state !== PENDING) {
      this._markRetrieved();
      return false;
    }
    if (cancelNesting === CANCEL_NESTING) {
      queuedCancels.push(this, msg);
      return true;
    }
    cancelNesting++;
    try {
      const running = this._awaitsRunning;
      if (running !== undefined && !this._started) {
        if (running._state !== PENDING) {
          this._keptUntilEnd = true;
          this._holdRequest();
          return true;
        }
        running.cancel(msg);
      }
      this._numCancels++;
      // Taken by what the task waits on: delivered there, or held by a task that may hand it back.
      const taken =
        this._started &&
        ((this._suspendedOn !== undefined &&
          this._suspendedOn._state === PENDING &&
          passCancel(this, this._suspendedOn, msg) !== REFUSED) ||
          this._cancelAwaited(msg));
      if (!taken) {
        this._mustCancel = true;
        this._cancelMessage = msg;
        // Not started, it ends cancelled at its first step and runs nothing: the request is as
        // good as delivered, and its body creates no task that would need to wait for it.
        if (this._started) {
          this._holdRequest();
          noteKeptRequest();
        }
      }
      // Abort after the waiters: an abort listener that cancels the waiter itself must not turn
      // this one request into two deliveries.
      if (!this._everCancelled) {
        this._everCancelled = true;
        this._firstCancelMessage = msg;
        this._controller?.abort(cancelledError(msg, this));
      }
    } finally {
      cancelNesting--;
    }
    if (cancelNesting === 0 && queuedCancels.length > 0) runQueuedCancels();
    return true;
  }

  /** The number of cancellation requests not withdrawn by uncancel(). asyncio 3.11+. */
  cancelling(): number {
    return this._numCancels;
  }

  /**
   * Withdraws one cancellation request and returns how many remain; at 0 a request not yet
   * delivered is withdrawn too. Used by scopes (timeout, TaskGroup) that cancelled their task.
   */
  uncancel(): number {
    if (this._numCancels > 0) {
      this._numCancels--;
      if (this._numCancels === 0) this._mustCancel = false;
    }
    return this._numCancels;
  }

  /** `await using t = createTask(...)`: cancels the task if pending, then waits for it to end. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
    await new Promise<void>((resolve) => this._addCallback(resolve, undefined));
    if (this._state === EXCEPTION) this.result();
  }

  /** @internal called by then() while this task is current */
  _awaiting(future: Future<unknown>): void {
    if (this._mustCancel) {
      this._mustCancel = false;
      // Delivered through the signal this turn (see watchReason): this await runs normally.
      if (this._reasonRead) this._delivered();
      else {
        if (passCancel(this, future, this._cancelMessage) !== REFUSED) return;
        this._mustCancel = true;
      }
    }
    const list = this._awaitedFutures;
    if (list === undefined) this._awaitedFutures = [future];
    else {
      // The Futures already done are dropped each time the list reaches a power of two from 8
      // up, not on every wait past 8: a task awaiting thousands at once (`Promise.all(tasks)`),
      // all still pending, would otherwise copy the whole list on each.
      const length = list.length;
      if (length >= 8 && (length & (length - 1)) === 0) {
        let kept = 0;
        for (const f of list) if (f._state === PENDING) list[kept++] = f;
        list.length = kept;
      }
      list.push(future);
    }
  }

  /** @internal passes the request to the pending then()-waiters; true if any took it */
  _cancelAwaited(msg: string | undefined): boolean {
    const list = this._awaitedFutures;
    if (list === undefined) return false;
    let reached = false;
    let held = false;
    for (const future of list) {
      if (future._state !== PENDING) continue;
      const how = passCancel(this, future, msg);
      if (how === DELIVERED) reached = true;
      else if (how === HELD) held = true;
    }
    // Delivered one way and held another (`Promise.race([sleep(ms), task])`): spent, whatever the
    // order, so the task that held it does not hand it back.
    if (reached && held) this._delivered();
    return reached || held;
  }

  /** @internal one step: runs the coroutine until it suspends on a pending Future or ends */
  _step(): void {
    if (this._state !== PENDING) return;
    if (!this._started) {
      this._started = true;
      if (this._mustCancel) {
        this._coro = undefined;
        this._fn = undefined;
        this._finish(CANCELLED, cancelledError(this._cancelMessage, this));
        return;
      }
      if (this._fn !== undefined && !this._startFunction()) return;
    } else if (this._coro === undefined) {
      this._adopt(this._suspendedOn!);
      return;
    }
    const coro = this._coro!;
    // Woken because the Future it was suspended on is done: its outcome goes in where the
    // generator waits, as asyncio's __step does. A value through next() (the `yield* future`
    // returns it); an exception or a cancellation (a CancelledError naming this task) thrown in,
    // where the generator's try/catch sees it.
    const woken = this._suspendedOn;
    this._suspendedOn = undefined;
    let toThrow = this._throwNext;
    if (toThrow !== undefined) this._throwNext = undefined;
    else if (woken !== undefined && woken._state !== RESULT) {
      woken._markRetrieved();
      toThrow = woken._error(this);
    }
    const previous = runtime.current;
    runtime.current = this;
    let step: IteratorResult<unknown, T>;
    try {
      step = toThrow === undefined ? coro.next() : coro.throw(toThrow);
    } catch (error) {
      runtime.current = previous;
      this._fail(error);
      return;
    }
    runtime.current = previous;
    if (step.done) {
      this._finish(RESULT, step.value);
      return;
    }
    const future = suspendedOn(step.value);
    if (future === undefined && step.value === RUN_ELSEWHERE) {
      // Neither resumed nor closed here (both would reach into the other task's generator).
      this._coro = undefined;
      this._fail(
        new TypeError(
          "this task stepped a generator object that another task runs: a generator runs in one task, so call the generator function again (createTask(job()), not the same job object twice)",
        ),
      );
      return;
    }
    if (future === undefined || future === this || future._state !== PENDING) {
      this._throwNext =
        future === undefined
          ? new TypeError(
              `A taskio generator yielded ${describeValue(step.value)}: use \`yield* future\` (with the star) to await`,
            )
          : new InvalidStateError("Task cannot await on itself");
      runtime.schedule(stepTask, this);
      return;
    }
    this._suspendOn(future);
  }

  /** @internal */
  _suspendOn(future: Future<unknown>): void {
    this._suspendedOn = future;
    future._addCallback(stepTask, this);
    if (this._mustCancel && passCancel(this, future, this._cancelMessage) !== REFUSED) this._mustCancel = false;
  }

  /** @internal the first step of a function-form task; true if a generator was returned and must be stepped */
  _startFunction(): boolean {
    const fn = this._fn!;
    this._fn = undefined;
    const previous = runtime.current;
    runtime.current = this;
    let value: unknown;
    try {
      value = fn.length > 0 ? fn(this.signal) : (fn as () => unknown)();
    } catch (error) {
      runtime.current = previous;
      this._fail(error);
      return false;
    }
    runtime.current = previous;
    if (isCoroutine(value)) {
      this._coro = value as Coroutine<T>;
      return true;
    }
    if (isFuture(value)) {
      if (value._state === PENDING) this._suspendOn(value);
      else this._adopt(value);
      return false;
    }
    if (isPromiseLike(value)) {
      value.then(
        (result) => this._settle(RESULT, result),
        (error) => this._settle(EXCEPTION, error),
      );
      return false;
    }
    if (Object.prototype.toString.call(value) === "[object AsyncGenerator]") {
      this._fail(new TypeError(ASYNC_GENERATOR));
      return false;
    }
    this._finish(RESULT, value);
    return false;
  }

  /** @internal ends the task with the outcome of a Future it followed */
  _adopt(future: Future<unknown>): void {
    this._suspendedOn = undefined;
    future._markRetrieved();
    if (future._state === RESULT) this._finish(RESULT, future._value);
    else this._fail(future._error(this));
  }

  /** @internal the promise an async function returned has settled */
  _settle(state: number, value: unknown): void {
    if (this._state !== PENDING) return;
    if (state === RESULT) this._finish(RESULT, value);
    else this._fail(value);
  }

  /** @internal */
  _fail(error: unknown): void {
    if (error instanceof CancelledError) {
      this._finish(CANCELLED, error);
      return;
    }
    this._finish(EXCEPTION, error);
    // V8 keeps an unformatted stack's frames (receivers included, so this task) alive:
    // format it now, or the held error would keep the task from ever being collected.
    if (error instanceof Error) void error.stack;
    const ref = new WeakRef<Task<unknown>>(this);
    this._unretrieved = ref;
    runtime.unretrieved.add(ref);
    runtime.finalizer.register(
      this,
      { message: "Task exception was never retrieved", error, name: this.getName(), ref },
      ref,
    );
    reportAtExit();
  }

  /** @internal */
  _finish(state: number, value: unknown): void {
    if (this._handBack !== undefined) this._handBackRequests(state);
    this._coro = undefined;
    this._suspendedOn = undefined;
    this._awaitedFutures = undefined;
    removePending(runtime.tasks, this);
    if (this._run !== undefined) this._run.pending--;
    if (this._unlinkSignal !== undefined) {
      this._unlinkSignal();
      this._unlinkSignal = undefined;
    }
    this._complete(state, value);
  }

  /**
   * @internal ending with a value or an exception while still holding a request, some of it passed
   * on by the tasks awaiting it (see passCancel): each of those tasks gets its request back, for
   * its next await, unless it was delivered meanwhile by another way it went (a fan-out such as
   * `Promise.race([task, sleep(ms)])` passes one request to both). Ending cancelled delivered it;
   * so did a body that caught it.
   */
  _handBackRequests(state: number): void {
    const from = this._handBack!;
    this._handBack = undefined;
    const held =
      state !== CANCELLED &&
      (this._mustCancel ||
        this._keptUntilEnd ||
        (this._standsForCaller && state === EXCEPTION && this._numCancels > 0));
    for (let i = 0; i < from.length; i += 3) {
      const task = from[i] as Task<unknown>;
      const id = from[i + 2] as number;
      // Withdrawn meanwhile (uncancel(), as a scope does on exit), it stays withdrawn.
      if (!held || task._spentId === id || task._state !== PENDING || task._numCancels === 0) {
        task._spentId = id;
        continue;
      }
      task._mustCancel = true;
      task._cancelMessage = from[i + 1] as string | undefined;
      task._requestId = id;
      noteKeptRequest();
    }
  }

  /**
   * @internal holds a request not delivered yet: gives it an id, unless it holds one already (two
   * requests before a delivery are delivered as one). Tasks never cancelled, or whose requests
   * went straight to a Future, never write one.
   */
  _holdRequest(): void {
    if (this._requestId === this._spentId) this._requestId = ++requestIds;
  }

  /** @internal its request reached a body (its own, or that of a task it awaits): spent, with those it held */
  _delivered(): void {
    if (this._requestId !== this._spentId) this._spentId = this._requestId;
    const from = this._handBack;
    // A group's requests are settled by its end, not by reaching its body (see keepCallersRequests).
    if (from === undefined || this._standsForCaller) return;
    this._handBack = undefined;
    for (let i = 0; i < from.length; i += 3) (from[i] as Task<unknown>)._spentId = from[i + 2] as number;
  }

  /** What the task waits on, for diagnostics. @internal */
  _waitingOn(): string {
    if (!this._started) return "not started";
    if (this._suspendedOn !== undefined) {
      const waiting = describeWait(this._suspendedOn);
      return waiting === undefined ? `waiting on ${this._suspendedOn.toString()}` : `waiting in ${waiting}`;
    }
    const pending = this._awaitedFutures?.filter(isPending);
    if (pending?.length) return `awaiting ${pending.map((f) => describeWait(f) ?? f.toString()).join(", ")}`;
    return "awaiting a promise outside taskio";
  }

  override toString(): string {
    const waiter = this._state === PENDING ? (this._suspendedOn ?? this._awaitedFutures?.find(isPending)) : undefined;
    const waiting = waiter === undefined ? undefined : describeWait(waiter);
    return `<Task ${this._stateName()} name='${this.getName()}'${waiting === undefined ? "" : ` waiting in ${waiting}`}${this._outcomeText()}>`;
  }

  // `this`, not the class's name, as in Future.
  static override [Symbol.hasInstance] = brandCheck(this, TASK);
}
Object.defineProperty(Task.prototype, TASK, { value: true });
Object.assign(Task.prototype, {
  _mustCancel: false,
  _reasonRead: false,
  _cancelMessage: undefined,
  _numCancels: 0,
  _everCancelled: false,
  _firstCancelMessage: undefined,
  _controller: undefined,
  _throwNext: undefined,
  _run: undefined,
  _unlinkSignal: undefined,
  _awaitsRunning: undefined,
  _handBack: undefined,
  _requestId: 0,
  _spentId: 0,
  _keptUntilEnd: false,
  _standsForCaller: false,
});

function isTask(future: Future<unknown>): future is Task<unknown> {
  return (future as unknown as Record<symbol, unknown>)[TASK] === true;
}

/** Counts passCancel's hand-back registrations: one made inside a cancel() call means it passed the request on. */
let registrations = 0;
/** Numbers cancel requests, so that one passed several ways is delivered once (see _handBackRequests). */
let requestIds = 0;

// What passCancel did with a request.
const REFUSED = 0;
const DELIVERED = 1;
const HELD = 2;

/**
 * Passes `from`'s cancel request on to the Future it awaits: REFUSED (it was done), DELIVERED (a
 * Future cancelled at once, or a task that cancelled what it waits on) or HELD. A task
 * can take a request and never deliver it: an async function past its last taskio await (its
 * promise settles a turn later), a task following a Future that already holds its value, or one
 * that passed it on in turn to such a task. It then ends with its value (no completed value is
 * dropped), and the request must not end there, or `from` would go on as if never cancelled: a
 * task that ends holding a request hands it back to the tasks that passed it theirs (see
 * _handBackRequests), and each gets it at its next await. A task that delivered it to its body
 * (a Future it waits on was cancelled) is not asked to.
 */
function passCancel(from: Task<unknown>, future: Future<unknown>, msg: string | undefined): number {
  const before = registrations;
  // Too deeply nested, a task's cancel() is queued and made later: it may pass the request on.
  const queued = cancelNesting === CANCEL_NESTING;
  if (!future.cancel(msg)) return REFUSED;
  if (
    isTask(future) &&
    (queued ||
      future._standsForCaller ||
      // Kept, or passed on, and not delivered on any of the ways it went.
      (future._spentId !== future._requestId &&
        (future._mustCancel || future._keptUntilEnd || registrations !== before)))
  ) {
    from._holdRequest();
    const handBack = (future._handBack ??= []);
    // One entry per task: repeated requests come back as one, as they would be delivered.
    if (handBack[handBack.length - 3] === from) handBack[handBack.length - 1] = from._requestId;
    else handBack.push(from, msg, from._requestId);
    registrations++;
    return HELD;
  }
  // A Future cancelled at once, or a task that delivered it to its body: `from`'s body gets the
  // CancelledError (or the task swallowed it, and `from` goes on). Either way it is spent, and so
  // is what `from` held for the tasks awaiting it.
  from._delivered();
  return DELIVERED;
}

/**
 * createTask, except that the task's first step is not scheduled: the task waits in `held` until
 * startHeld(held). For a TaskGroup whose async body may fail in the very run that creates its
 * tasks: the group learns it a microtask later, from the body's promise, and must cancel them
 * before they take a step (see TaskGroup.createTask).
 */
export function createHeldTask<T>(coro: unknown, options: TaskOptions | undefined, held: Task<unknown>[]): Task<T> {
  return spawn<T>(coro, options, undefined, held);
}

/** Schedules the first steps of the tasks createHeldTask kept in `held`, in order. */
export function startHeld(held: readonly Task<unknown>[]): void {
  for (const task of held) runtime.schedule(stepTask, task);
}

/**
 * `task` runs a TaskGroup: it stands for its caller's `async with`, which asyncio runs in the
 * caller's own task. A cancel request the caller passes it is therefore the caller's until the
 * group ends: if the group then fails (an ExceptionGroup) while the request still counts in its
 * `cancelling()`, the caller gets it back for its next await, as asyncio re-arms it on the parent
 * task. Reaching the group's body does not spend it: the group's exit decides.
 */
export function keepCallersRequests(task: Task<unknown>): void {
  task._standsForCaller = true;
}

/**
 * `task` was created to await `future`, which is already running (waitFor given a Future), and
 * takes its first step later. Until then, a cancel() of the task must not drop what the Future
 * holds: with the Future already done (a queue getter handed an item, a waiter handed a permit)
 * cancel() returns true and the task still ends with that outcome at its first step, however many
 * requests come; with the Future pending, the Future is cancelled at once, so nothing is handed to
 * it that nobody would read. Once the task has started, its waiter carries the cancellation as
 * usual. A field, not a wrapped cancel(): no closures per call, and every Task keeps one shape.
 */
export function awaitRunning(task: Task<unknown>, future: Future<unknown>): void {
  task._awaitsRunning = future;
}

function isPending(future: Future<unknown>): boolean {
  return future._state === PENDING;
}

const reasonGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason")!.get!;

/**
 * Foreign work given the task's signal (fetch, fs, timers/promises, a `new Promise` listening to
 * it) rejects with `signal.reason`, and that rejection reaches the task within the same turn of
 * the event loop. So a read of `reason` while a cancel request is pending opens a window that
 * lasts until the next macrotask: a taskio await inside it counts the request as delivered
 * there (cleanup after a caught cancellation can await), one after it still delivers the
 * request. A mere read (a logging listener, a linked child) therefore never loses the request of
 * a task whose foreign work ignores the signal.
 */
function watchReason(task: Task<unknown>, signal: AbortSignal): void {
  Object.defineProperty(signal, "reason", {
    configurable: true,
    get(this: AbortSignal) {
      if (task._mustCancel && this.aborted && !task._reasonRead) {
        task._reasonRead = true;
        runtime.scheduleNextTurn(closeReasonWindow, task);
      }
      return reasonGetter.call(this);
    },
  });
}

function closeReasonWindow(task: Task<unknown>): void {
  task._reasonRead = false;
}

const ASYNC_GENERATOR =
  "createTask() got an async generator: not a taskio coroutine. Use a generator with `yield*`, or an async function";

/** An async generator object, or anything else `for await` could iterate. */
export function isAsyncIterator(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && typeof (value as AsyncGenerator)[Symbol.asyncIterator] === "function"
  );
}

/** Accepts a generator object or a function; anything else is a TypeError that says what to do. */
function checkCoroutine(coro: unknown): void {
  if (typeof coro === "function") {
    if (!isAsyncGeneratorFunction(coro)) return;
    throw new TypeError(ASYNC_GENERATOR);
  }
  if (isCoroutine(coro)) return;
  if (isAsyncIterator(coro)) throw new TypeError(ASYNC_GENERATOR);
  if (isPromiseLike(coro)) {
    throw new TypeError(
      `createTask() got ${describeValue(coro)}: this promise is already running outside the task. ` +
        "Pass `() => work()`, or use `ensureFuture(p)` to wait for it without a task",
    );
  }
  throw new TypeError(
    `createTask() got ${describeValue(coro)}: expected a generator object (a function* called) or a function ` +
      "(an async function, a generator function, or a plain function)",
  );
}

/** @internal creates and schedules a task; `scope` starts a new run(); `held` keeps it for startHeld() */
export function spawn<T>(
  coro: unknown,
  options: TaskOptions | undefined,
  scope?: RunScope,
  held?: Task<unknown>[],
): Task<T> {
  checkCoroutine(coro);
  let name: string | undefined;
  let signal: AbortSignal | undefined;
  if (options !== undefined) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`options must be an object like { name, signal }, got ${describeValue(options)}`);
    }
    if (options.name !== undefined) {
      if (typeof options.name !== "string")
        throw new TypeError(`options.name must be a string, got ${describeValue(options.name)}`);
      name = options.name;
    }
    if (options.signal !== undefined) {
      if (!(options.signal instanceof AbortSignal)) {
        throw new TypeError(`options.signal must be an AbortSignal, got ${describeValue(options.signal)}`);
      }
      signal = options.signal;
    }
  }
  const isFunction = typeof coro === "function";
  // A generator function is the generator form: a program of them (`run(function* main() {…})`)
  // is generator-only and never pays for AsyncLocalStorage.
  if (isFunction && runtime.als === undefined && runtime.asyncContext !== false && !isGeneratorFunction(coro)) {
    enableAsyncContext();
  }
  const task = new Task<T>(
    isFunction ? undefined : (coro as Coroutine<T>),
    isFunction ? (coro as (signal: AbortSignal) => unknown) : undefined,
    name,
    MADE_HERE,
  );
  enlist(task, scope ?? runOfCaller());
  if (signal !== undefined) linkSignal(task, signal);
  if (held !== undefined) held.push(task);
  else if (requestsKept && (runtime.current ?? runtime.als?.getStore())?._mustCancel === true) {
    startAfterCallersAwait(task);
  } else {
    runtime.schedule(stepTask, task);
  }
  return task;
}

/**
 * Whether a task may hold a cancel request it has not delivered: set when one is kept, cleared
 * at the next macrotask. While it is clear, creating a task costs no look-up of its creator.
 */
let requestsKept = false;

function noteKeptRequest(): void {
  if (requestsKept) return;
  requestsKept = true;
  runtime.scheduleNextTurn(clearKeptRequests, undefined);
}

function clearKeptRequests(): void {
  requestsKept = false;
}

const resolved = Promise.resolve();

/**
 * An async function's `await` reaches the task it awaits a microtask after it was called, through
 * the thenable's then(): a task created just before would take its first step first, from the
 * ready queue. So an async-function task with a cancel request pending, which `await
 * createTask(fn)` (or a scope's task) would pass on to the new task, would find it started:
 * having ended without another taskio await, it would keep its value and hand the request back,
 * and a loop of such awaits could never be cancelled. Such a task starts two microtasks later,
 * after that await has reached it: the request then cancels it before its first step, as in
 * asyncio, where the new task never runs. A task the caller does not await just starts later.
 */
function startAfterCallersAwait(task: Task<unknown>): void {
  resolved.then(() => resolved.then(() => runtime.schedule(stepTask, task)));
}

/**
 * A Task that only follows `future`, which is already running: started and suspended on
 * it from the moment it is made, with no coroutine and no step of its own until the Future is
 * done. It ends with the Future's outcome, and cancelling it cancels the Future. For a wait that
 * runs no code (waitFor() of a promise): a generator to step would cost it more than the wait.
 */
export function followTask<T>(future: Future<T>): Task<T> {
  const task = new Task<T>(undefined, undefined, undefined, MADE_HERE);
  enlist(task, runOfCaller());
  task._started = true;
  task._suspendOn(future);
  return task;
}

/**
 * The run() a task created now belongs to: its creator's. While no run() is in progress there is
 * none, and the creator is not looked up (in an async function that is an AsyncLocalStorage read).
 */
function runOfCaller(): RunScope | undefined {
  return runtime.openRuns > 0 ? runningTask()?._run : undefined;
}

/** Adds a new task to the pending tasks, and to `run`'s when it belongs to a run(). */
function enlist(task: Task<unknown>, run: RunScope | undefined): void {
  if (run !== undefined) {
    task._run = run;
    run.pending++;
  }
  addPending(runtime.tasks, task);
}

function reasonMessage(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? "aborted" : String(reason);
}

function linkSignal(task: Task<unknown>, signal: AbortSignal): void {
  if (signal.aborted) {
    task.cancel(reasonMessage(signal.reason));
    return;
  }
  const onAbort = { handleEvent: () => task.cancel(reasonMessage(signal.reason)) };
  listenAbort(signal, onAbort);
  task._unlinkSignal = () => unlistenAbort(signal, onAbort);
}

/**
 * Wraps a coroutine in a Task and schedules its first step (it never runs synchronously inside
 * this call). asyncio: `create_task`.
 *
 * Accepts a generator object (`work()` where `work` is a `function*`), or a function — async,
 * generator or plain — called at the first step with the task's AbortSignal.
 * @throws {TypeError} for a promise (already running outside the task), an async generator, or anything else.
 * @example
 * const task = createTask(async (signal) => { await sleep(100); return 42; });
 * await task; // 42
 */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T>;
export function createTask<T>(fn: (signal: AbortSignal) => Coroutine<T>, options?: TaskOptions): Task<T>;
export function createTask<F extends (signal: AbortSignal) => unknown>(
  fn: F,
  ...options: NoBareYield<ReturnType<F>, [options?: TaskOptions]>
): Task<Awaited<ReturnType<F>>>;
export function createTask(coro: unknown, options?: TaskOptions): Task<unknown> {
  return spawn(coro, options);
}

/** The task running now, or undefined outside any task (or once that task has ended). asyncio: `current_task()`. */
export function currentTask(): Task<unknown> | undefined {
  return runningTask();
}

/** Every pending task, held strongly, so none disappears to the garbage collector. asyncio: `all_tasks()`. */
export function allTasks(): Set<Task<unknown>> {
  return new Set(pendingTasks(undefined));
}

/** The pending tasks of one run(), or every pending task for `scope` undefined, oldest first. @internal */
export function pendingTasks(scope: RunScope | undefined): Task<unknown>[] {
  return listPending(runtime.tasks, (task) => scope === undefined || task._run === scope);
}
