import type { Future } from "./future.js";

declare const SUSPEND: unique symbol;

/**
 * What a taskio generator yields, opaque on purpose: only `yield* future` produces one, so a
 * bare `yield x` or a forgotten `yield*` is a compile error.
 */
export interface Suspend {
  readonly [SUSPEND]: true;
}

/**
 * The `{ signal }` option of every operation that can be given up from outside: `Queue.get()`
 * and `put()`, `acquire()`, `Event.wait()`, `limit.map()`, `createTask()`, `run()`. Aborting the
 * signal gives the operation up exactly as cancelling its Future would: a wait is withdrawn and
 * rejects with `signal.reason`, taking and adding nothing; an already aborted signal rejects at
 * once. asyncio has no counterpart: there you cancel the task.
 * @example
 * const job = await queue.get({ signal: AbortSignal.timeout(5_000) });
 */
export interface SignalOptions {
  /** Aborting it gives the operation up; the operation then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A taskio coroutine: a generator that awaits Futures with `yield*`. Python's coroutine object. */
export type Coroutine<T> = Generator<Suspend, T, unknown>;

/** The function form of a coroutine: called at the task's first step with the task's signal. */
export type CoroutineFunction<T> = (signal: AbortSignal) => T | PromiseLike<T> | Coroutine<T>;

/** Anything a combinator accepts: a Future (Task), a coroutine, a function, or a PromiseLike. */
export type Awaitable<T> = Future<T> | PromiseLike<T> | Coroutine<T> | CoroutineFunction<T>;

/** The value an Awaitable produces. */
export type AwaitedResult<A> =
  A extends Future<infer T>
    ? T
    : A extends Coroutine<infer T>
      ? T
      : A extends (signal: AbortSignal) => infer R
        ? R extends Coroutine<infer T>
          ? T
          : Awaited<R>
        : Awaited<A>;

/**
 * The arguments after a coroutine function: for a function whose generator is not a taskio
 * coroutine (it has a bare `yield`, not `yield*`, or it is an async generator), a compile error
 * that names the mistake.
 */
export type NoBareYield<T, Rest extends unknown[]> = 0 extends 1 & T
  ? Rest
  : [T] extends [never]
    ? Rest
    : [T] extends [Generator]
      ? [use_yield_star_not_a_bare_yield: never]
      : [T] extends [AsyncGenerator]
        ? [an_async_generator_is_not_a_taskio_coroutine: never]
        : Rest;
