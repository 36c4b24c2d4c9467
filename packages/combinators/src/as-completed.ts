import { type Awaitable, type AwaitedResult, Future, TimeoutError } from "@taskio/core";
import { callLater, Deque, describeValue, type TimerHandle } from "@taskio/core/internal";
import { toFutures } from "./awaitables.js";
import { failureOf, OK } from "./outcome.js";
import { readTimeout } from "./timers.js";

/**
 * Options for {@link asCompleted}.
 * @example
 * for (const next of asCompleted(tasks, { timeout: 1_000 })) console.log(await next);
 */
export interface AsCompletedOptions {
  /** Milliseconds until the awaitables not finished by then time out; `null` (default) or `Infinity`: never. */
  timeout?: number | null;
}

/**
 * What {@link asCompleted} returns: iterate it with `for…of` for fresh Futures that resolve to
 * the outcomes in completion order, or with `for await…of` for the input Futures themselves in
 * completion order. Both iterations share one position, and either can resume after a `break`.
 * (TypeScript types a `for await` variable as the awaited value; call the async iterator's
 * `next()` yourself to keep the Future's type.)
 * @example
 * const it = asCompleted(tasks)[Symbol.asyncIterator]();
 * const { value: first } = await it.next(); // Future<T> | undefined: the first to finish
 */
export interface AsCompleted<T> extends Iterable<Future<T>>, AsyncIterable<Future<T>> {}

/** Stands for "the deadline passed" in the queue of completions. */
const TIMED_OUT: unique symbol = Symbol("timed out");
type Completion<T> = Future<T> | typeof TIMED_OUT;

/** A waiter for the next completion; delivery settles it. */
interface Consumer<T> {
  done(): boolean;
  deliver(item: Completion<T>, timeout: number): void;
}

function timeoutError(timeout: number): TimeoutError {
  return new TimeoutError(`asCompleted(): ${timeout} ms passed before this awaitable finished`);
}

/** Callbacks a waiter makes to its iterator. */
interface Owner<T> {
  /** The waiter is being awaited: serve it before those merely handed out. */
  awaited(consumer: NextOutcome<T>): void;
  /** A `for await` step was cancelled before it got anything: its turn goes back to the iteration. */
  cancelled(): void;
}

/**
 * A Future from plain iteration: it takes on the outcome of the next awaitable to finish. One
 * that is awaited (or observed with addDoneCallback) is served before those merely handed out,
 * so the one awaited first gets the first outcome, as asyncio's lazy coroutines do.
 * Cancelled before it got anything, it uses up its turn (asyncio yields exactly one awaitable per
 * input, so `waitFor(next, ms)` in the loop cannot make it run forever); the outcome it would
 * have had goes to the next Future that asks.
 */
class NextOutcome<T> extends Future<T> implements Consumer<T> {
  readonly #owner: Owner<T>;
  #awaited = false;

  constructor(owner: Owner<T>) {
    super();
    this.#owner = owner;
  }

  deliver(item: Completion<T>, timeout: number): void {
    if (item === TIMED_OUT) {
      this.setException(timeoutError(timeout));
      return;
    }
    const error = failureOf(item);
    if (error === OK) this.setResult(item.result());
    else if (item.cancelled()) super.cancel((error as Error).message);
    else this.setException(error);
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#markAwaited();
    return super.then(onFulfilled, onRejected);
  }

  override addDoneCallback(callback: (future: Future<T>) => void): void {
    this.#markAwaited();
    super.addDoneCallback(callback);
  }

  override [Symbol.iterator]() {
    this.#markAwaited();
    return super[Symbol.iterator]();
  }

  #markAwaited(): void {
    if (this.#awaited || this.done()) return;
    this.#awaited = true;
    this.#owner.awaited(this);
  }
}

/** A waiter of async iteration: resolves to the input Future that finished next. */
class NextFuture<T> extends Future<Future<T>> implements Consumer<T> {
  readonly #owner: Owner<T>;

  constructor(owner: Owner<T>) {
    super();
    this.#owner = owner;
  }

  deliver(item: Completion<T>, timeout: number): void {
    if (item === TIMED_OUT) this.setException(timeoutError(timeout));
    else this.setResult(item);
  }

  /** Cancels this waiter at once (the task looping on it was cancelled); its turn goes back. */
  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this.#owner.cancelled();
    return true;
  }
}

function iteratorResult<T>(future: Future<T>): IteratorResult<Future<T>, undefined> {
  return { done: false, value: future };
}

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** asyncio's `_AsCompletedIterator`: one shared queue of completions and of waiters for them. */
class AsCompletedIterator<T> implements AsCompleted<T> {
  /** Inputs not finished yet (cleared at the deadline). */
  readonly #todo: Set<Future<T>>;
  /** How many more Futures iteration hands out. */
  #left: number;
  readonly #timeout: number;
  #timer: TimerHandle | undefined = undefined;
  // Deques, not arrays: shift() copies an array too large to trim in place (past ~16,000 items).
  /** Completions nobody waits for yet, in order. */
  readonly #ready = new Deque<Completion<T>>();
  /** Waiters being awaited, served first, in order. */
  readonly #awaited = new Deque<Consumer<T>>();
  /** Futures handed out by plain iteration, in order. */
  readonly #handedOut = new Deque<NextOutcome<T>>();

  constructor(futures: Future<T>[], timeout: number | null) {
    this.#todo = new Set(futures);
    this.#left = futures.length;
    this.#timeout = timeout ?? Infinity;
    for (const f of futures) f.addDoneCallback(this.#onCompletion);
    if (timeout !== null && futures.length > 0) this.#timer = callLater(timeout, this.#onTimeout, undefined);
  }

  [Symbol.iterator](): IterableIterator<Future<T>> {
    return {
      next: () => this.#next(),
      [Symbol.iterator]() {
        return this;
      },
    };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Future<T>> {
    return {
      next: () => this.#nextAsync(),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  #next(): IteratorResult<Future<T>, undefined> {
    if (this.#left === 0) return END;
    this.#left--;
    const future = new NextOutcome<T>(this.#owner);
    if (this.#ready.size > 0) future.deliver(this.#ready.take(), this.#timeout);
    else this.#handedOut.push(future);
    return { done: false, value: future };
  }

  #nextAsync(): Promise<IteratorResult<Future<T>, undefined>> {
    if (this.#left === 0) return Promise.resolve(END);
    this.#left--;
    if (this.#ready.size > 0) {
      const item = this.#ready.take();
      return item === TIMED_OUT ? Promise.reject(timeoutError(this.#timeout)) : Promise.resolve(iteratorResult(item));
    }
    const waiter = new NextFuture<T>(this.#owner);
    this.#awaited.push(waiter);
    // then() makes the waiter one of the current task's waiters: cancelling the task cancels it,
    // and a cancelled waiter is skipped and gives its turn back, so no completion is lost.
    return waiter.then(iteratorResult);
  }

  readonly #owner: Owner<T> = {
    awaited: (consumer) => {
      this.#awaited.push(consumer);
    },
    cancelled: () => {
      this.#left++;
    },
  };

  readonly #onCompletion = (f: Future<unknown>): void => {
    if (!this.#todo.delete(f as Future<T>)) return;
    this.#deliver(f as Future<T>);
    if (this.#todo.size === 0 && this.#timer !== undefined) {
      this.#timer.cancel();
      this.#timer = undefined;
    }
  };

  readonly #onTimeout = (): void => {
    this.#timer = undefined;
    for (const f of this.#todo) {
      f.removeDoneCallback(this.#onCompletion);
      this.#deliver(TIMED_OUT);
    }
    this.#todo.clear();
  };

  #deliver(item: Completion<T>): void {
    const consumer = firstPending(this.#awaited) ?? firstPending(this.#handedOut);
    if (consumer === undefined) this.#ready.push(item);
    else consumer.deliver(item, this.#timeout);
  }
}

/** Removes and returns the first consumer not done (cancelled ones are dropped). */
function firstPending<C extends Consumer<unknown>>(queue: Deque<C>): C | undefined {
  while (queue.size > 0) {
    const consumer = queue.take();
    if (!consumer.done()) return consumer;
  }
  return undefined;
}

/**
 * Runs awaitables concurrently and hands them back in completion order. asyncio: `as_completed`.
 *
 * - `for (const next of asCompleted(aws))` yields fresh Futures; each resolves to (or rejects
 *   with) the outcome of the next awaitable to finish, whichever of them you await first.
 *   Exactly one Future per input, as in asyncio: cancelling one (`waitFor(next, ms)` timing
 *   out) takes effect at once and uses up its turn; the outcome it would have had goes to the
 *   next Future handed out. A cancelled `for await` step (its task was cancelled) gives its turn
 *   back instead, so a loop started again later misses nothing.
 * - `for await (const done of asCompleted(aws))` yields the input Futures and Tasks themselves
 *   (new Tasks for generators and functions) as they finish; read each with `await` or
 *   `result()`. (It is not an async generator, whose `yield` would unwrap the thenable Task.)
 *
 * With `timeout`, what finished in time comes first; after the deadline each remaining plain
 * Future rejects with a TimeoutError, and `for await` throws one. Nothing is ever cancelled,
 * and the timer is cleared once everything has finished. Inputs start at the call; a
 * generator object, Future or promise listed twice counts once. A promise cannot be cancelled:
 * pass `() => work()` to get a task.
 * @throws {TypeError} if `aws` is not an iterable of awaitables (a bare Future or promise included).
 * @throws {RangeError} if `timeout` is NaN.
 * @example
 * for await (const task of asCompleted([fetchFromA, fetchFromB], { timeout: 5_000 })) {
 *   console.log("first answer:", await task);
 *   break;
 * }
 */
export function asCompleted<A extends Awaitable<unknown>>(
  aws: Iterable<A>,
  options?: AsCompletedOptions,
): AsCompleted<AwaitedResult<A>> {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(
      `asCompleted(aws, options): options must be an object like { timeout }, got ${describeValue(options)}`,
    );
  }
  const timeout = readTimeout(options?.timeout, "asCompleted(aws, options)");
  const { futures } = toFutures(aws, "asCompleted(aws)");
  return new AsCompletedIterator(futures as Future<AwaitedResult<A>>[], timeout);
}
