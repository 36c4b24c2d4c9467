import { type CancelledError, Future } from "@taskio/core";
import { cancelWithError } from "@taskio/core/internal";

/** What a Permit gives back to. */
export interface Releasable {
  _give(weight: number): void;
}

/**
 * A permit taken with `hold()`: `release()` gives it back exactly once (a second call does
 * nothing), and so does `Symbol.dispose`, so `using` releases it when the block ends, however
 * it ends. Not in asyncio, where `async with` does this.
 * @example
 * {
 *   using permit = await sem.hold();
 *   await work();
 * } // released here, even if work() threw
 */
export class Permit implements Disposable {
  /** @internal what it gives back to; undefined once released */ _owner: Releasable | undefined;
  /** @internal */ readonly _weight: number;

  /** @internal made by `hold()` once the permit is held */
  constructor(owner: Releasable, weight: number) {
    this._owner = owner;
    this._weight = weight;
  }

  /** How many permits it holds (the `weight` it was taken with; 1 for a Lock). */
  get weight(): number {
    return this._weight;
  }

  /** True once it was given back. */
  get released(): boolean {
    return this._owner === undefined;
  }

  /** Gives the permit back, the first time only: calling it again is a no-op. */
  release(): void {
    const owner = this._owner;
    if (owner === undefined) return;
    this._owner = undefined;
    owner._give(this._weight);
  }

  /** `using permit = …`: releases it (once) when the block ends. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * The Future `hold()` returns while it waits. Cancelling it withdraws the wait (nothing taken);
 * if the permit was already handed over, it is passed on unused.
 */
class PermitWait extends Future<Permit> {
  constructor(readonly _wait: Future<true>) {
    super();
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    this._wait.cancel();
    return super.cancel(msg);
  }
}

/** Turns a wait for `weight` permits of `owner` into a Future of a Permit. */
export function holdPermit(owner: Releasable, wait: Future<true>, weight: number): Future<Permit> {
  if (wait.done()) {
    const future = new Future<Permit>();
    settle(future, wait, owner, weight);
    return future;
  }
  const future = new PermitWait(wait);
  // Runs after the owner's own callback that counts a handed-over permit as held, so giving it
  // back from here is always a valid release.
  wait.addDoneCallback(() => {
    if (!future.done()) settle(future, wait, owner, weight);
    else if (!wait.cancelled() && wait.exception() === undefined) owner._give(weight);
  });
  return future;
}

function settle(future: Future<Permit>, wait: Future<true>, owner: Releasable, weight: number): void {
  if (wait.cancelled()) {
    try {
      wait.exception();
    } catch (error) {
      cancelWithError(future, error as CancelledError);
    }
    return;
  }
  const error = wait.exception();
  if (error !== undefined) future.setException(error);
  else future.setResult(new Permit(owner, weight));
}
