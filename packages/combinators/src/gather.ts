import { type Awaitable, type AwaitedResult, CancelledError, Future } from "@taskio/core";
import { describeValue, onDone } from "@taskio/core/internal";
import { cancelAll, toFutures } from "./awaitables.js";
import { failureOf, OK } from "./outcome.js";

/**
 * Options for {@link gather}.
 * @example
 * const settled = await gather([a, b], { returnExceptions: true }); // [A | Error, B | Error]
 */
export interface GatherOptions {
  /**
   * false (default): the first failure rejects the gather (the other children keep running).
   * true: failures, and the CancelledErrors of children cancelled from outside, take their
   * places in the results.
   */
  returnExceptions?: boolean;
}

/**
 * The results of `gather(aws)`, one per position of `aws`.
 * @example
 * type R = GatherResults<[Task<number>, () => Promise<string>]>; // [number, string]
 */
export type GatherResults<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedResult<A[K]> };

/**
 * The results of `gather(aws, { returnExceptions: true })`: each position a value or an Error.
 * @example
 * type R = GatherSettled<[Task<number>]>; // [number | Error]
 */
export type GatherSettled<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedResult<A[K]> | Error };

/**
 * The Future gather returns. Its `cancel()` is a request, as asyncio's `_GatheringFuture`'s is:
 * it cancels the children and the gather ends once they have.
 */
class GatheringFuture extends Future<unknown[]> {
  readonly #children: readonly Future<unknown>[];
  readonly #slots: readonly number[] | undefined;
  readonly #returnExceptions: boolean;
  #finished = 0;
  #cancelRequested = false;
  #cancelMessage: string | undefined = undefined;

  constructor(children: readonly Future<unknown>[], slots: readonly number[] | undefined, returnExceptions: boolean) {
    super();
    this.#children = children;
    this.#slots = slots;
    this.#returnExceptions = returnExceptions;
    let alreadyDone: Future<unknown>[] | undefined;
    for (const child of children) {
      if (child.done()) (alreadyDone ??= []).push(child);
      // Counting needs no async context: no AsyncResource per child, as addDoneCallback takes.
      else onDone(child, this.#onChildDone, child);
    }
    // Children done before the call are counted now, so a gather of done Futures is done at once.
    if (alreadyDone !== undefined) for (const child of alreadyDone) this.#onChildDone(child);
    if (children.length === 0) this.setResult([]);
  }

  /**
   * Requests cancellation: cancels every child not done yet and returns true if any of them
   * accepted. The gather then ends with a CancelledError(msg), even if the children swallow it.
   * Returns false once every child is done: the gather keeps its results.
   */
  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    const accepted = cancelAll(this.#children, msg);
    if (accepted) {
      this.#cancelRequested = true;
      this.#cancelMessage = msg;
    }
    return accepted;
  }

  readonly #onChildDone = (child: Future<unknown>): void => {
    this.#finished++;
    if (this.done()) {
      // A later failure of a sibling is ignored, and counts as retrieved.
      if (!child.cancelled()) child.exception();
      return;
    }
    if (!this.#returnExceptions) {
      // A cancelled child's CancelledError becomes the gather's exception: cancelled() stays false.
      const error = failureOf(child);
      if (error !== OK) {
        this.setException(error);
        return;
      }
    }
    if (this.#finished === this.#children.length) this.#complete();
  };

  #complete(): void {
    const children = this.#children;
    const slots = this.#slots;
    const length = slots === undefined ? children.length : slots.length;
    const results = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const child = children[slots === undefined ? i : slots[i]!]!;
      if (this.#returnExceptions) {
        const error = failureOf(child);
        results[i] = error === OK ? child.result() : error;
      } else {
        results[i] = child.result();
      }
    }
    if (this.#cancelRequested) this.setException(new CancelledError(this.#cancelMessage));
    else this.setResult(results);
  }
}

/**
 * Runs awaitables concurrently and resolves to their results in input order. asyncio: `gather`.
 *
 * Generators and functions are wrapped in tasks; a generator object, Future or promise listed twice
 * runs once and its result fills both places (a function listed twice runs twice: it is a
 * factory). A promise can be neither cancelled nor protected: pass `() => work()` to get a task.
 *
 * - `returnExceptions: false` (default): the first failure rejects the gather at once and the other
 *   children keep running; their later failures count as retrieved. A child cancelled from
 *   outside rejects it with that CancelledError, as its exception (`cancelled()` stays false).
 * - `returnExceptions: true`: each failure, or CancelledError, takes its child's place.
 *
 * Cancelling the gather (or the task awaiting it) is a request: every unfinished child is
 * cancelled and the gather always ends with a CancelledError, as its exception. If the children
 * had all finished already, `cancel()` returns false and the results stand. Never put consuming
 * operations (`queue.get()`, `sem.acquire()`) in a gather: a cancelled gather discards the values
 * of children that had completed.
 *
 * An empty array, or one whose Futures are all done, gives a Future that is already done.
 * @throws {TypeError} if `aws` is not an array, or an element is not awaitable (nothing is started then).
 * @example
 * const [user, posts] = await gather([
 *   (signal) => fetchUser(id, { signal }),   // Future<[User, Post[]]>, no `as const` needed
 *   function* () { return yield* loadPosts(id); },
 * ]);
 */
export function gather<const A extends readonly Awaitable<unknown>[]>(
  aws: A,
  options?: GatherOptions & { returnExceptions?: false },
): Future<GatherResults<A>>;
export function gather<const A extends readonly Awaitable<unknown>[]>(
  aws: A,
  options: GatherOptions & { returnExceptions: true },
): Future<GatherSettled<A>>;
export function gather<const A extends readonly Awaitable<unknown>[]>(
  aws: A,
  options?: GatherOptions,
): Future<GatherSettled<A>>;
export function gather(aws: readonly Awaitable<unknown>[], options?: GatherOptions): Future<unknown[]> {
  const returnExceptions = readReturnExceptions(options);
  if (!Array.isArray(aws))
    throw new TypeError(`gather(aws): aws must be an array of awaitables, got ${describeValue(aws)}`);
  const { futures, slots } = toFutures(aws, "gather(aws)");
  return new GatheringFuture(futures, slots, returnExceptions);
}

function readReturnExceptions(options: GatherOptions | undefined): boolean {
  if (options === undefined) return false;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `gather(aws, options): options must be an object like { returnExceptions }, got ${describeValue(options)}`,
    );
  }
  const value = options.returnExceptions;
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    throw new TypeError(
      `gather(aws, options): options.returnExceptions must be a boolean, got ${describeValue(value)}`,
    );
  }
  return value;
}
