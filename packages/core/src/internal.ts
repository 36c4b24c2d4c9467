/**
 * @taskio/core/internal: the helpers taskio's sibling packages share (argument checks, body
 * following, scheduling, waiters, wait labels). Unstable: not covered by semver; a minor or patch
 * release may change or remove any of them. Applications should not import this entry.
 */

export {
  asyncGeneratorBodyError,
  awaitBody,
  type Caller,
  callAs,
  callInline,
  callWithSignal,
  captureCaller,
  createBodyTask,
  followBody,
} from "./bodies.js";
export { checkBody, isGeneratorFunction } from "./body-checks.js";
export { callLater, callSoon, scheduleSoon, spendBurst, TimerHandle } from "./call-soon.js";
export { Deque } from "./deque.js";
export { describeWait, labelWait } from "./describe.js";
export { followPromise } from "./ensure-future.js";
export { brandCheck, brandClass, describeValue } from "./errors.js";
export { cancelWithError, Deferred, futureThen, onDone, runDoneCallbacks } from "./future.js";
export { GetIterator, type Gettable } from "./get-iterator.js";
export { futureOnPromise, PromiseFuture, settlePromise } from "./promise-futures.js";
export { constantFuture, rejectedFuture, resolvedFuture } from "./settled.js";
export { cancelledError, timeoutError } from "./short-stacks.js";
export { type AbortListener, listenAbort, readSignal, unlistenAbort } from "./signals.js";
export {
  awaitRunning,
  createHeldTask,
  followTask,
  isAsyncIterator,
  isCoroutine,
  isPromiseLike,
  keepCallersRequests,
  startHeld,
} from "./tasks.js";
export {
  AbortableWaiter,
  listenWaiter,
  rejectWaiter,
  resolveWaiter,
  resolveWaiterInOneSlot,
  SETTLE_ABORTED,
  unlistenWaiter,
  WITHDRAW,
} from "./waiter.js";
export { type InLine, WaiterLine } from "./waiter-line.js";
