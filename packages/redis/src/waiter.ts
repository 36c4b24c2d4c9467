import { Future, InvalidStateError } from "@taskio/core";
import {
  AbortableWaiter,
  listenWaiter,
  rejectWaiter,
  resolveWaiter,
  type WaiterLine,
  WITHDRAW,
} from "@taskio/core/internal";

/** The primitive a waiter waits on. */
export interface WaiterOwner {
  /** The waiter was cancelled or its signal aborted: undo whatever it started in Redis. */
  _withdraw(waiter: RemoteWaiter<any>): void;
}

/**
 * The Future a remote operation returns. Cancelling it, or aborting its signal, settles it at once
 * (DESIGN: cancel takes effect at once for acquire/put/get/join) and tells the owner, which
 * undoes in Redis what the operation had started: no permit, slot or item is left behind.
 */
export class RemoteWaiter<T> extends AbortableWaiter<T> {
  /** @internal */ _owner: WaiterOwner;
  /** @internal the line it waits in (a RemoteQueue's), until it is served or leaves */ _line:
    | WaiterLine<RemoteWaiter<any>>
    | undefined = undefined;

  constructor(owner: WaiterOwner, signal: AbortSignal | undefined) {
    super();
    this._owner = owner;
    listenWaiter(this, signal);
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

  /** @internal cancelled or aborted: the owner undoes it in Redis */
  override [WITHDRAW](): void {
    this._owner._withdraw(this);
  }

  /** @internal */
  _resolve(value: T): void {
    resolveWaiter(this, value);
  }

  /** @internal */
  _reject(error: unknown): void {
    rejectWaiter(this, error);
  }
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
