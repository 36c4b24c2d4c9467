import { type Awaitable, type AwaitedResult, ExceptionGroup, Future } from "@taskio/core";
import { describeValue } from "@taskio/core/internal";
import { cancelAll, toFutures } from "./awaitables.js";
import { failureOf, OK } from "./outcome.js";

/**
 * The Future race and any return. The first child to decide the outcome (any outcome for race,
 * a success for any) wins; the others are cancelled, and the Future settles only once every
 * child has finished. `cancel()` is a request, as a Task's is.
 */
class RacingFuture<T> extends Future<T> {
  readonly #children: readonly Future<unknown>[];
  readonly #firstSuccess: boolean;
  #left: number;
  #winner: Future<unknown> | undefined = undefined;
  #cancelRequested = false;
  #cancelMessage: string | undefined = undefined;

  constructor(children: readonly Future<unknown>[], firstSuccess: boolean) {
    super();
    this.#children = children;
    this.#firstSuccess = firstSuccess;
    this.#left = children.length;
    let alreadyDone: Future<unknown>[] | undefined;
    for (const child of children) {
      if (child.done()) (alreadyDone ??= []).push(child);
      else child.addDoneCallback(this.#onChildDone);
    }
    // Children done before the call decide now, in input order.
    if (alreadyDone !== undefined) for (const child of alreadyDone) this.#onChildDone(child);
  }

  /**
   * Requests cancellation: cancels every child not done yet and returns true if any accepted; it
   * then ends cancelled once they have all finished. Returns false once a winner is decided (its
   * outcome stands) or every child is done.
   */
  override cancel(msg?: string): boolean {
    if (this.done() || this.#winner !== undefined) return false;
    const accepted = cancelAll(this.#children, msg);
    if (accepted) {
      this.#cancelRequested = true;
      this.#cancelMessage = msg;
    }
    return accepted;
  }

  readonly #onChildDone = (child: Future<unknown>): void => {
    this.#left--;
    if (this.#winner === undefined && !this.#cancelRequested) {
      if (!this.#firstSuccess || failureOf(child) === OK) {
        this.#winner = child;
        for (const loser of this.#children) if (!loser.done()) loser.cancel();
      }
    } else if (!child.cancelled()) {
      // A loser's outcome is discarded; its failure counts as retrieved.
      child.exception();
    }
    if (this.#left === 0) this.#settle();
  };

  #settle(): void {
    if (this.#cancelRequested) {
      super.cancel(this.#cancelMessage);
      return;
    }
    const winner = this.#winner;
    if (winner === undefined) {
      this.setException(new ExceptionGroup("any(): every awaitable failed", this.#children.map(failureOf)));
      return;
    }
    const error = failureOf(winner);
    if (error === OK) this.setResult(winner.result() as T);
    else this.setException(error);
  }
}

function start<T>(aws: readonly Awaitable<unknown>[], firstSuccess: boolean): Future<T> {
  const where = firstSuccess ? "any(aws)" : "race(aws)";
  if (!Array.isArray(aws))
    throw new TypeError(`${where}: aws must be an array of awaitables, got ${describeValue(aws)}`);
  const { futures } = toFutures(aws, where);
  if (futures.length === 0) throw new RangeError(`${where}: aws must not be empty (nothing could ever win)`);
  return new RacingFuture<T>(futures, firstSuccess);
}

/**
 * Settles like the first awaitable to finish — its value, its error, or the CancelledError of a
 * child cancelled from outside (as the Future's exception) — but only after the others have been
 * cancelled and have finished, so nothing is left running. Like `Promise.race` without the leaks.
 *
 * Generators and functions are wrapped in tasks; a promise can be neither cancelled nor awaited
 * to its end early: pass `() => work()` to get a task. What the losers return or throw is
 * discarded (failures count as retrieved), so never race consuming operations such as
 * `queue.get()` or `sem.acquire()`: use `waitFor` or `wait`. Cancelling it (or the task awaiting
 * it) is a request: it cancels the children and ends cancelled once they have finished.
 * @throws {TypeError} if `aws` is not an array or an element is not awaitable.
 * @throws {RangeError} if `aws` is empty.
 * @example
 * const reply = await race([
 *   (signal) => fetch(primary, { signal }),
 *   async (signal) => {
 *     await sleep(200); // give the primary a head start
 *     return fetch(backup, { signal });
 *   },
 * ]); // the slower request has been aborted, and has finished, when race settles
 */
export function race<const A extends readonly Awaitable<unknown>[]>(aws: A): Future<AwaitedResult<A[number]>> {
  return start(aws, false);
}

/**
 * Resolves to the value of the first awaitable to succeed, after cancelling the others and
 * waiting for them to finish. If every one fails, rejects with an ExceptionGroup of the failures
 * (CancelledErrors of children cancelled from outside included), in input order. Like
 * `Promise.any`, but the losers are stopped.
 *
 * Generators and functions are wrapped in tasks; promises cannot be cancelled. Never put consuming
 * operations (`queue.get()`, `sem.acquire()`) in it: a loser's value is discarded. Cancelling it
 * (or the task awaiting it) is a request: it cancels the children and ends cancelled once they
 * have finished.
 * @throws {TypeError} if `aws` is not an array or an element is not awaitable.
 * @throws {RangeError} if `aws` is empty.
 * @example
 * const config = await any([() => readConfig("/etc/app.json"), () => readConfig("./app.json")]);
 */
export function any<const A extends readonly Awaitable<unknown>[]>(aws: A): Future<AwaitedResult<A[number]>> {
  return start(aws, true);
}
