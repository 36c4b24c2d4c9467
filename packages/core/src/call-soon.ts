import { type AsyncContext, runtime } from "./runtime.js";

/**
 * A callback waiting to run: asyncio's `Handle` / `TimerHandle`. `cancel()` keeps it from running,
 * even when it is already in the ready queue.
 */
export class TimerHandle {
  /** @internal */ _fn: ((arg: any) => void) | undefined;
  /** @internal */ _arg: unknown;
  /** @internal the async context current when it was scheduled, if anyone needs one */ _ctx: AsyncContext | undefined;
  /** @internal the clock's timer, until it fires */ _timer: unknown = undefined;

  /** @internal use callSoon or callLater */
  constructor(fn: (arg: any) => void, arg: unknown) {
    this._fn = fn;
    this._arg = arg;
    this._ctx = runtime.captureContext?.();
  }

  /** Keeps the callback from running; harmless once it ran. */
  cancel(): void {
    if (this._fn === undefined) return;
    this._fn = this._arg = this._ctx = undefined;
    if (this._timer !== undefined) {
      runtime.clock.clearTimer(this._timer);
      this._timer = undefined;
    }
  }

  /** True until it runs or is cancelled. */
  pending(): boolean {
    return this._fn !== undefined;
  }
}

function run(handle: TimerHandle): void {
  const fn = handle._fn;
  if (fn === undefined) return;
  const arg = handle._arg;
  const ctx = handle._ctx;
  handle._fn = handle._arg = handle._ctx = undefined;
  if (ctx === undefined) fn(arg);
  else ctx.runInAsyncScope(fn, undefined, arg);
}

/** The clock fired: the callback joins the ready queue, as a done-callback of a timer Future would. */
function due(handle: TimerHandle): void {
  handle._timer = undefined;
  runtime.schedule(run, handle);
}

/**
 * Runs `fn(arg)` soon: after every callback already in the ready queue, FIFO, never synchronously,
 * in the async context current now. asyncio: `loop.call_soon`.
 * @example
 * const handle = callSoon(finish, this); // sorted once the callbacks already queued have run
 */
export function callSoon<A>(fn: (arg: A) => void, arg: A): TimerHandle {
  const handle = new TimerHandle(fn, arg);
  runtime.schedule(run, handle);
  return handle;
}

/**
 * Runs `fn(arg)` from the ready queue, as callSoon does, with no handle and no async context
 * captured: for an internal hand-off whose callback enters the context it needs itself.
 */
export function scheduleSoon<A>(fn: (arg: A) => void, arg: A): void {
  runtime.schedule(fn, arg);
}

/**
 * True while the ready queue's burst allows one more hand-off that skips it (counting it); false
 * once it is spent, until timers and I/O have had their turn. A shortcut past the ready queue
 * (a native promise chained directly) asks first, so a loop of such hand-offs cannot starve them.
 */
export function spendBurst(): boolean {
  return runtime.spendBurst();
}

/**
 * Runs `fn(arg)` after `ms` milliseconds on taskio's clock (the virtual clock in tests), in the
 * async context current now; `cancel()` clears the timer. `ms` 0 waits for the next macrotask
 * turn, as `sleep(0)` does (timers and I/O first); `Infinity` never fires. asyncio:
 * `loop.call_later`.
 * @example
 * this._timer = callLater(ms, onTimeout, this);
 */
export function callLater<A>(ms: number, fn: (arg: A) => void, arg: A): TimerHandle {
  const handle = new TimerHandle(fn, arg);
  if (ms <= 0) runtime.scheduleNextTurn(due, handle);
  else if (ms !== Infinity) handle._timer = runtime.clock.setTimer(() => due(handle), ms);
  return handle;
}
