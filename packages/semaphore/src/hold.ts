import { type Coroutine, createTask, currentTask, type Future, sleep, type Task } from "@taskio/core";
import { awaitBody } from "@taskio/core/internal";

/** What `run()` needs from a primitive: take a permit (maybe waiting), give it back. */
export interface Holdable {
  _take(weight: number): Future<true>;
  _give(weight: number): void;
  /** The body is about to start (limit() counts its active bodies)... */
  _entered?(task: Task<unknown>): void;
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

const toTag = Object.prototype.toString;

/**
 * Runs `fn` as a new Task that holds a permit of `owner` for as long as the body runs: the
 * `async with sem:` of asyncio. The permit is taken at the task's first step and given back
 * whatever way the body ends. `args` given: `fn(...args)` (limit()); otherwise `fn(signal)`.
 */
export function holdTask<T>(owner: Holdable, fn: Body, weight: number, args?: unknown[]): Task<T> {
  const body = hold<T>(owner, fn, weight, args);
  // A generator function keeps the program generator-only (no AsyncLocalStorage); anything else
  // may await inside, so it runs as a function-form task, whose awaits are cancellation points.
  if (toTag.call(fn) === "[object GeneratorFunction]") return createTask(body);
  return createTask(() => body);
}

function* hold<T>(owner: Holdable, fn: Body, weight: number, args: unknown[] | undefined): Coroutine<T> {
  const permit = owner._take(weight);
  const waited = !permit.done();
  // Cancelled while queued: this throws and nothing is held.
  yield* permit;
  let entered = false;
  try {
    const task = currentTask()!;
    // Woken with the permit but cancelled before resuming: the body has not started, so stop
    // here and let `finally` pass the permit on (R141). sleep(0) is where the request lands.
    if (waited && task.cancelling() > 0) yield* sleep(0);
    entered = true;
    owner._entered?.(task);
    // The signal is read (and so created) only for a body that declares a parameter.
    const value = args !== undefined ? fn(...args) : fn.length > 0 ? fn(task.signal) : fn();
    return yield* awaitBody<T>(value);
  } finally {
    if (entered) owner._exited?.();
    owner._give(weight);
  }
}
