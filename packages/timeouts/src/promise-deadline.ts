import { Future, type Task } from "@taskio/core";
import { callLater, cancelledError, followPromise, type TimerHandle, timeoutError } from "@taskio/core/internal";

/**
 * What `waitFor(promise, ms)` waits on: a Future that follows the promise and, at the deadline,
 * fails with a TimeoutError instead. A promise cannot be cancelled, so at the deadline there is
 * nothing to cancel and wait for, and no code runs in the returned task: this Future settles
 * itself, and the task only follows it (core's followTask), with no generator to step and no
 * Timeout scope to enter, which is most of what a waitFor of a Future costs.
 */
export class PromiseDeadline<T> extends Future<T> {
  /** @internal the callback due at the deadline, until this Future is done */ _timer: TimerHandle | undefined;
  /** @internal the task that follows this Future, named in the TimeoutError's cause */ _task: Task<T> | undefined =
    undefined;

  /** @internal created by waitFor(); `delay` null: no deadline */
  constructor(
    promise: PromiseLike<T>,
    readonly _delay: number | null,
  ) {
    super();
    this._timer = _delay === null ? undefined : callLater(_delay, expire, this);
    // As ensureFuture's Future follows a promise; settled in time, the deadline goes.
    followPromise(this, promise, disarm);
  }

  /** Cancelled with the task that follows it: the timer goes too, or it would keep the process alive. */
  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._disarm();
    return true;
  }

  /** @internal */
  _disarm(): void {
    const timer = this._timer;
    if (timer === undefined) return;
    this._timer = undefined;
    timer.cancel();
  }
}

function disarm(deadline: PromiseDeadline<unknown>): void {
  deadline._disarm();
}

/**
 * The deadline passed: the error a waitFor of a Future ends with, a TimeoutError caused by the
 * CancelledError raised into its task.
 */
function expire(deadline: PromiseDeadline<unknown>): void {
  deadline._timer = undefined;
  if (deadline.done()) return;
  const message = `waitFor() timed out after ${deadline._delay} ms`;
  deadline.setException(timeoutError(message, cancelledError(message, deadline._task), deadline._task));
}
