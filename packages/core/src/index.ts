export { configure } from "./async-context.js";
export type { Clock } from "./clock.js";
export { ensureFuture } from "./ensure-future.js";
export {
  CancelledError,
  ExceptionGroup,
  type ExceptionMatch,
  InvalidStateError,
  isCancelledError,
  TimeoutError,
} from "./errors.js";
export { Future } from "./future.js";
export { type RunOptions, run } from "./runners.js";
export { type ExceptionContext, now, setExceptionHandler } from "./runtime.js";
export { shield } from "./shield.js";
export { sleep } from "./sleep.js";
export {
  allTasks,
  createTask,
  currentTask,
  Task,
  type TaskOptions,
} from "./tasks.js";
export type {
  Awaitable,
  AwaitedResult,
  Coroutine,
  CoroutineFunction,
  SignalOptions,
  Suspend,
} from "./types.js";
