import {
  type Coroutine,
  createTask,
  currentTask,
  ExceptionGroup,
  Future,
  InvalidStateError,
  isCancelledError,
  type Suspend,
  Task,
  type TaskOptions,
} from "@taskio/core";
import {
  createBodyTask,
  createHeldTask,
  describeValue,
  followBody,
  isGeneratorFunction,
  keepCallersRequests,
  onDone,
  startHeld,
} from "@taskio/core/internal";
import { failureOf, OK } from "./outcome.js";

/**
 * What a TaskGroup body may be: an async or plain function, or a generator function.
 * @example
 * const body: TaskGroupBody<number> = async (tg) => (await tg.createTask(() => compute())) + 1;
 */
export type TaskGroupBody<R> = (tg: TaskGroup) => R | PromiseLike<R> | Coroutine<R>;

const inspect = Symbol.for("nodejs.util.inspect.custom");

/** The group that started a task, kept on the task itself (a WeakMap entry per task slowed GC). */
const GROUP = Symbol("taskio.TaskGroup");

/**
 * The TaskGroup whose `createTask` started `task`, or undefined — for introspection, such as a
 * timeline that draws each group's tasks together. asyncio has no counterpart.
 * @example
 * await taskGroup(async (tg) => {
 *   const t = tg.createTask(() => sleep(10));
 *   taskGroupOf(t) === tg; // true
 * });
 */
export function taskGroupOf(task: Task<unknown>): TaskGroup | undefined {
  if (!(task instanceof Task))
    throw new TypeError(`taskGroupOf(task): task must be a Task, got ${describeValue(task)}`);
  return (task as Task<unknown> & { [GROUP]?: TaskGroup })[GROUP];
}

function isRunning(task: Task<unknown>): boolean {
  return !task.done();
}

/** The one way to make a TaskGroup: its constructor is private, so users go through taskGroup(). */
let newGroup: () => TaskGroup;

/**
 * asyncio's `TaskGroup`: the handle a {@link taskGroup} body gets to start tasks that the group
 * waits for. The first task to fail cancels the body and the other tasks, and the group rejects
 * with an ExceptionGroup of every failure.
 *
 * Not constructed directly: `taskGroup((tg) => …)` creates and enters one.
 * @example
 * await taskGroup(async (tg) => {
 *   tg.createTask(() => crawl("a.example"));
 *   tg.createTask(() => crawl("b.example"));
 * }); // both crawls are done here, or both were stopped and the error is thrown
 */
export class TaskGroup {
  /** @internal the task running the body and waiting at the exit: asyncio's parent task */
  _task: Task<unknown> | undefined = undefined;
  /**
   * @internal the tasks started, in creation order, finished ones included until a compaction:
   * an array, because a Set would hash every task (a third of `createTask`'s cost)
   */
  _tasks: Task<unknown>[] = [];
  /** @internal tasks whose end the group has not handled yet */ _pending = 0;
  /** @internal */ readonly _errors: unknown[] = [];
  /** @internal the body has ended: the group waits for its tasks */ _exiting = false;
  /** @internal shutting down after a failure, a cancellation or cancel() */ _aborting = false;
  /** @internal the group cancelled its own body task, and takes that back at the exit */ _parentCancelRequested = false;
  /** @internal what the exit waits on while tasks remain */ _onCompleted: Future<undefined> | undefined = undefined;
  /** @internal a function body has not settled: the tasks it makes wait in `_held` (see createTask) */
  _holdStarts = false;
  /** @internal the tasks the body made in its current run, started together by startHeldSoon */
  _held: Task<unknown>[] | undefined = undefined;

  static {
    newGroup = () => new TaskGroup();
  }

  private constructor() {}

  /**
   * The body task's AbortSignal: it aborts when the group is cancelled, from outside, by a
   * failing task or by `cancel()`. Pass it to foreign work (`fetch(url, { signal: tg.signal })`).
   * @throws {InvalidStateError} for a TaskGroup not created by taskGroup().
   */
  get signal(): AbortSignal {
    if (this._task === undefined) throw this._notEntered();
    return this._task.signal;
  }

  /**
   * Starts a task in the group (asyncio: `TaskGroup.create_task`); accepts what `createTask`
   * accepts. Tasks may be added until the group has finished, also from other tasks of the group
   * and while the body has returned and the group waits for its tasks.
   * @throws {InvalidStateError} if the group has finished, or is shutting down after a failure or
   * a cancellation. @throws {TypeError} for what createTask refuses.
   * @example
   * const page = tg.createTask((signal) => fetch(url, { signal }), { name: "fetch-page" });
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T>;
  createTask<T>(fn: (signal: AbortSignal) => Coroutine<T>, options?: TaskOptions): Task<T>;
  createTask<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: TaskOptions): Task<Awaited<T>>;
  createTask(coro: unknown, options?: TaskOptions): Task<unknown> {
    if (this._task === undefined) throw this._notEntered();
    if (this._exiting && this._pending === 0) throw new InvalidStateError(`${this.toString()} is finished`);
    if (this._aborting) throw new InvalidStateError(`${this.toString()} is shutting down`);
    let task: Task<unknown>;
    if (this._holdStarts && currentTask() === this._task) {
      // An async body that throws right after this call fails in the same run, and the group
      // learns it from its promise only a microtask later, when this task would have taken its
      // first step already: it waits until then (asyncio: a task the body created before raising
      // never runs). Tasks the group's other tasks create start as usual.
      let held = this._held;
      if (held === undefined) {
        held = this._held = [];
        startHeldSoon(this);
      }
      task = createHeldTask(coro, options, held);
    } else task = createTask(coro as Coroutine<unknown>, options);
    this._tasks.push(task);
    this._pending++;
    (task as Task<unknown> & { [GROUP]?: TaskGroup })[GROUP] = this;
    // Bookkeeping that reads no async context: no AsyncResource per task, as addDoneCallback takes.
    onDone(task, this._onTaskDone, task);
    return task;
  }

  /** The group's tasks that have not finished yet, in creation order. */
  tasks(): Task<unknown>[] {
    return this._tasks.filter(isRunning);
  }

  /**
   * Stops the group: cancels the body and every task, and the group then ends normally (its task
   * resolves to the body's value, or to undefined if the body was interrupted). Idempotent, and a
   * no-op once the group is shutting down or finished. asyncio: `TaskGroup.cancel()` (3.15).
   * @example
   * await taskGroup(async (tg) => {
   *   tg.createTask(() => serve(listener));
   *   await shutdownRequested.wait();
   *   tg.cancel();
   * });
   */
  cancel(): void {
    if (this._task === undefined || this._aborting || (this._exiting && this._pending === 0)) return;
    this._abort();
    if (!this._parentCancelRequested) {
      this._parentCancelRequested = true;
      this._task.cancel();
    }
  }

  /** asyncio's repr: `<TaskGroup tasks=2 errors=1 cancelling>`. */
  toString(): string {
    let info = "";
    if (this._pending > 0) info += ` tasks=${this._pending}`;
    if (this._errors.length > 0) info += ` errors=${this._errors.length}`;
    if (this._aborting) info += " cancelling";
    else if (this._task !== undefined) info += " entered";
    return `<TaskGroup${info}>`;
  }

  /** `console.log(tg)` prints the same repr. */
  [inspect](): string {
    return this.toString();
  }

  /** @internal */ _notEntered(): InvalidStateError {
    return new InvalidStateError(
      `${this.toString()} has not been entered: TaskGroups are created by taskGroup(async (tg) => …)`,
    );
  }

  /** @internal the body task's coroutine: the body, then asyncio's `__aexit__` */
  *_run<R>(body: TaskGroupBody<R>): Coroutine<R> {
    this._task = currentTask();
    let value: R | undefined;
    let failed = false;
    let error: unknown;
    this._holdStarts = !isGeneratorFunction(body);
    try {
      value = yield* followBody<R>(body(this));
    } catch (e) {
      failed = true;
      error = e;
    }
    this._holdStarts = false;
    yield* this._exit(failed, error);
    return value as R;
  }

  /** @internal */ *_exit(failed: boolean, error: unknown): Generator<Suspend, void, unknown> {
    const task = this._task!;
    this._exiting = true;
    let propagate: unknown = failed && isCancelledError(error) ? error : undefined;
    // The last CancelledError the wait below got, whoever sent it.
    let caught: unknown;
    if (failed && !this._aborting) this._abort();
    // A loop: the wait can be cancelled again and again, from outside or by our own abort.
    while (this._pending > 0) {
      this._onCompleted = new Future<undefined>();
      try {
        yield* this._onCompleted;
      } catch (cancelled) {
        caught = cancelled;
        if (!this._aborting) {
          // The body task was cancelled from outside while waiting for the tasks.
          propagate = cancelled;
          this._abort();
        }
      }
      this._onCompleted = undefined;
    }
    // Take back the cancel this group asked for; a cancellation from outside stays, also one
    // that came while the group was already shutting down (after tg.cancel()): the count tells.
    if (this._parentCancelRequested && task.uncancel() === 0) propagate = undefined;
    else if (propagate === undefined && caught !== undefined && task.cancelling() > 0) propagate = caught;
    const errors = this._errors;
    // Failures take priority over a cancellation.
    if (propagate !== undefined && errors.length === 0) throw propagate;
    if (failed && !isCancelledError(error)) errors.push(error);
    // A cancellation from outside is kept: only this group's own request was taken back, so
    // cancelling() still counts it, and the caller that passed it gets it back for its next
    // await, as asyncio re-arms it on the parent task (see keepCallersRequests).
    if (errors.length > 0) throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
  }

  /** @internal */ _abort(): void {
    this._aborting = true;
    for (const task of this._tasks) if (!task.done()) task.cancel();
  }

  /** @internal */ readonly _onTaskDone = (task: Future<unknown>): void => {
    const pending = --this._pending;
    // Drop finished tasks once they are most of the list, so a long-lived group (a server's
    // accept loop) holds only what still runs: amortised O(1) per task.
    if (pending === 0) this._tasks = [];
    else if (this._tasks.length >= 64 && pending <= this._tasks.length >>> 2)
      this._tasks = this._tasks.filter(isRunning);
    if (pending === 0 && this._onCompleted !== undefined && !this._onCompleted.done()) {
      this._onCompleted.setResult(undefined);
    }
    if (task.cancelled()) return;
    const error = failureOf(task);
    if (error === OK) return;
    this._errors.push(error);
    if (!this._aborting && !this._parentCancelRequested) {
      // Interrupt the body where it waits; the exit takes this request back with uncancel().
      this._abort();
      this._parentCancelRequested = true;
      this._task!.cancel();
    }
  };
}

const resolved = Promise.resolve();

/**
 * Starts the tasks `group`'s body made in one run, two microtasks from now: past the reaction
 * through which the group learns that the body's promise settled (followBody's then()), which
 * that run queued if it threw. A body that failed has had them cancelled by then, so they never
 * run. One pair of hops per run of the body, not per task.
 */
function startHeldSoon(group: TaskGroup): void {
  resolved.then(() =>
    resolved.then(() => {
      const held = group._held!;
      group._held = undefined;
      startHeld(held);
    }),
  );
}

/**
 * asyncio's `async with TaskGroup() as tg:` — runs `body(tg)` as a new Task and returns it. The
 * task ends when the body and every task started with `tg.createTask` are done, and resolves to
 * the body's value.
 *
 * - The first task to fail cancels the body (at its current await) and the other tasks; the group
 *   waits for all of them, then rejects with an ExceptionGroup of every failure — the body's own
 *   included, CancelledErrors left out — even for a single error.
 * - Cancelling the returned task (directly, or by cancelling the task awaiting it) cancels the
 *   body and every task, waits for them, and ends with the CancelledError — unless some of
 *   them failed meanwhile, which gives the ExceptionGroup.
 * - `tg.cancel()` stops the body and the tasks, and the group ends normally.
 *
 * `currentTask()` in the body is the group's task, and `tg.signal` is its signal. The
 * `cancelling()`/`uncancel()` protocol runs on that task; the caller's counters are
 * never touched. A generator-function body (`function*`) keeps AsyncLocalStorage off.
 * @throws {TypeError} if `body` is not a function.
 * @example
 * const { user, orders } = await taskGroup(async (tg) => ({
 *   user: tg.createTask(() => fetchUser(id)),
 *   orders: tg.createTask(() => fetchOrders(id)),
 * }));
 * console.log(user.result(), orders.result()); // both finished here
 */
export function taskGroup<R>(body: (tg: TaskGroup) => Coroutine<R>): Task<R>;
export function taskGroup<R>(body: (tg: TaskGroup) => R | PromiseLike<R>): Task<Awaited<R>>;
export function taskGroup<R>(body: TaskGroupBody<R>): Task<R> {
  if (typeof body !== "function") {
    throw new TypeError(`taskGroup(body): body must be a function (tg) => …, got ${describeValue(body)}`);
  }
  const group = newGroup();
  const task = createBodyTask(body, group._run(body));
  keepCallersRequests(task);
  return task;
}
