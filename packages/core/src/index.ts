export { awaitBody, type Caller, callAs, callInline, captureCaller } from "./bodies.js";
export type { Clock } from "./clock.js";
export {
  CancelledError,
  describeValue,
  ExceptionGroup,
  type ExceptionMatch,
  InvalidStateError,
  isCancelledError,
  TimeoutError,
} from "./errors.js";
export { Future } from "./future.js";
export { run } from "./runners.js";
export { configure, type ExceptionContext, now, setExceptionHandler } from "./runtime.js";
export { ensureFuture, shield } from "./shield.js";
export { readSignal } from "./signals.js";
export { sleep } from "./sleep.js";
export {
  allTasks,
  createTask,
  currentTask,
  isCoroutine,
  isPromiseLike,
  Task,
  type TaskOptions,
} from "./tasks.js";
export type { Awaitable, AwaitedResult, Coroutine, CoroutineFunction, Suspend } from "./types.js";
