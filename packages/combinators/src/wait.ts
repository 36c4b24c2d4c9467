import { Future } from "@taskio/core";
import { callLater, callSoon, describeValue, onDone, type TimerHandle } from "@taskio/core/internal";
import { failureOf, OK } from "./outcome.js";
import { readTimeout } from "./timers.js";

/**
 * `wait` returns when any Future finishes or is cancelled. asyncio: `FIRST_COMPLETED`.
 * @example
 * const [done, pending] = await wait(tasks, { returnWhen: FIRST_COMPLETED });
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/**
 * `wait` returns when any Future fails (a cancellation is not a failure), else when all are done.
 * asyncio: `FIRST_EXCEPTION`.
 * @example
 * const [done, pending] = await wait(workers, { returnWhen: FIRST_EXCEPTION });
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/**
 * `wait` returns when every Future is done (the default). asyncio: `ALL_COMPLETED`.
 * @example
 * const [done] = await wait(tasks, { returnWhen: ALL_COMPLETED, timeout: 1_000 });
 */
export const ALL_COMPLETED = "ALL_COMPLETED";

/**
 * When {@link wait} returns: one of {@link FIRST_COMPLETED}, {@link FIRST_EXCEPTION}, {@link ALL_COMPLETED}.
 * @example
 * const returnWhen: ReturnWhen = FIRST_COMPLETED;
 */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/**
 * Options for {@link wait}.
 * @example
 * await wait(tasks, { timeout: 500, returnWhen: FIRST_COMPLETED });
 */
export interface WaitOptions {
  /** Milliseconds to wait at most; `null` (default) or `Infinity` waits without limit. */
  timeout?: number | null;
  /** {@link ALL_COMPLETED} (default), {@link FIRST_COMPLETED} or {@link FIRST_EXCEPTION}. */
  returnWhen?: ReturnWhen;
}

/** The Future wait returns: cancelling it cancels only the wait and detaches it at once. */
class WaitFuture<F extends Future<unknown>> extends Future<[done: Set<F>, pending: Set<F>]> {
  readonly #fs: Set<F>;
  readonly #returnWhen: ReturnWhen;
  #left: number;
  #timer: TimerHandle | undefined = undefined;
  #triggered = false;

  constructor(fs: Set<F>, timeout: number | null, returnWhen: ReturnWhen) {
    super();
    this.#fs = fs;
    this.#returnWhen = returnWhen;
    this.#left = fs.size;
    // Counting needs no async context: no AsyncResource per Future, as addDoneCallback takes.
    for (const f of fs) onDone(f, this.#onCompletion, f);
    if (timeout !== null) this.#timer = callLater(timeout, this.#trigger, undefined);
  }

  /** Cancels the wait (never the Futures it watches), at once. */
  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    this.#detach();
    return super.cancel(msg);
  }

  readonly #onCompletion = (f: Future<unknown>): void => {
    this.#left--;
    if (
      this.#left === 0 ||
      this.#returnWhen === FIRST_COMPLETED ||
      (this.#returnWhen === FIRST_EXCEPTION && !f.cancelled() && failureOf(f) !== OK)
    ) {
      this.#trigger();
    }
  };

  readonly #trigger = (): void => {
    if (this.#triggered) return;
    this.#triggered = true;
    // Sorted one callback later, as asyncio sorts when the waiting task resumes, so Futures that
    // finish in the meantime are in `done` too.
    callSoon(this.#finish, undefined);
  };

  readonly #finish = (): void => {
    if (this.done()) return;
    this.#detach();
    const done = new Set<F>();
    const pending = new Set<F>();
    for (const f of this.#fs) (f.done() ? done : pending).add(f);
    this.setResult([done, pending]);
  };

  #detach(): void {
    for (const f of this.#fs) f.removeDoneCallback(this.#onCompletion);
    if (this.#timer !== undefined) {
      this.#timer.cancel();
      this.#timer = undefined;
    }
  }
}

/**
 * Waits until Futures finish, without taking their outcomes, and resolves to
 * `[done, pending]`. asyncio: `wait`.
 *
 * It never throws the Futures' errors (they stay in the Futures in `done`), never throws on
 * timeout (the unfinished ones are in `pending`), and cancels nothing: neither on timeout
 * nor when the wait itself, or the task awaiting it, is cancelled. Duplicates collapse.
 * With FIRST_EXCEPTION, the failures it inspects count as retrieved, as in asyncio.
 * Its callbacks and timer are removed when it returns.
 * @throws {TypeError} if `fs` is not an iterable of Futures: wrap a coroutine, function or promise
 * with `createTask()` or `ensureFuture()` first.
 * @throws {RangeError} if `fs` is empty, `returnWhen` is not one of the three constants, or `timeout` is NaN.
 * @example
 * const [done, pending] = await wait([fetchA, fetchB], { timeout: 1_000, returnWhen: FIRST_COMPLETED });
 * for (const task of pending) task.cancel();
 */
export function wait<F extends Future<unknown>>(
  fs: Iterable<F>,
  options?: WaitOptions,
): Future<[done: Set<F>, pending: Set<F>]> {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(
      `wait(fs, options): options must be an object like { timeout, returnWhen }, got ${describeValue(options)}`,
    );
  }
  const timeout = readTimeout(options?.timeout, "wait(fs, options)");
  const returnWhen = options?.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(
      `wait(fs, options): options.returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${describeValue(returnWhen)}`,
    );
  }
  if (
    typeof fs !== "object" ||
    fs === null ||
    fs instanceof Future ||
    typeof (fs as Partial<Iterable<F>>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`wait(fs): expected an iterable of Futures (an array or a Set), got ${describeValue(fs)}`);
  }
  const set = new Set<F>();
  for (const f of fs) {
    if (!(f instanceof Future)) {
      throw new TypeError(
        `wait(fs): every element must be a Future or Task, got ${describeValue(f)}: ` +
          "wrap a coroutine or function with createTask(), or a promise with ensureFuture()",
      );
    }
    set.add(f);
  }
  if (set.size === 0) throw new RangeError("wait(fs): fs must not be empty");
  return new WaitFuture(set, timeout, returnWhen);
}
