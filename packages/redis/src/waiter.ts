import { Future, InvalidStateError } from "@taskio/core";

/** The primitive a waiter waits on. */
export interface WaiterOwner {
  /** The waiter was cancelled or its signal aborted: undo whatever it started in Redis. */
  _withdraw(waiter: RemoteWaiter<any>): void;
}

const LISTEN_ONCE = { once: true } as const;
const baseSetResult = Future.prototype.setResult;
const baseSetException = Future.prototype.setException;

/**
 * The Future a remote operation returns. It is its own abort listener (`handleEvent`), so waiting
 * costs one allocation and no closure. Cancelling it, or aborting its signal, settles it at once
 * (DESIGN: cancel takes effect at once for acquire/put/get/join) and tells the owner, which
 * undoes in Redis what the operation had started: no permit, slot or item is left behind.
 */
export class RemoteWaiter<T> extends Future<T> {
  /** @internal */ _owner: WaiterOwner;
  /** @internal listened to only while pending */ _signal: AbortSignal | undefined;

  constructor(owner: WaiterOwner, signal: AbortSignal | undefined) {
    super();
    this._owner = owner;
    this._signal = signal;
    signal?.addEventListener("abort", this, LISTEN_ONCE);
  }

  /** Cancels the wait at once and withdraws it from Redis. */
  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._unlisten();
    this._owner._withdraw(this);
    return true;
  }

  /** Only the primitive completes this Future: a result set by hand would mint a permit or an item. */
  override setResult(_value: T): void {
    throw new InvalidStateError("This Future is completed by its RemoteSemaphore or RemoteQueue, not by setResult()");
  }

  /** Only the primitive completes this Future. */
  override setException(_error: unknown): void {
    throw new InvalidStateError(
      "This Future is completed by its RemoteSemaphore or RemoteQueue, not by setException()",
    );
  }

  /** @internal the signal aborted while waiting: reject with exactly its reason, then withdraw */
  handleEvent(): void {
    if (this.done()) return;
    const reason = this._signal!.reason;
    this._signal = undefined;
    baseSetException.call(this, reason);
    this._owner._withdraw(this);
  }

  /** @internal */
  _resolve(value: T): void {
    this._unlisten();
    baseSetResult.call(this, value);
  }

  /** @internal */
  _reject(error: unknown): void {
    this._unlisten();
    baseSetException.call(this, error);
  }

  /** @internal */
  _unlisten(): void {
    if (this._signal !== undefined) {
      this._signal.removeEventListener("abort", this);
      this._signal = undefined;
    }
  }
}

/** A Future already rejected with an aborted signal's reason (checked before anything else). */
export function abortedFuture<T>(signal: AbortSignal): Future<T> {
  const future = new Future<T>();
  future.setException(signal.reason);
  return future;
}

/**
 * A Future that follows a promise of a Redis reply. Cancelling it stops the wait, not the call
 * (already sent): the reply that comes later is dropped, since settling a cancelled Future would
 * throw inside a promise callback and end the process with an unhandled rejection.
 */
export function follow<T>(promise: Promise<T>): Future<T> {
  const future = new Future<T>();
  promise.then(
    (value) => {
      if (!future.done()) future.setResult(value);
    },
    (error) => {
      if (!future.done()) future.setException(error);
    },
  );
  return future;
}
