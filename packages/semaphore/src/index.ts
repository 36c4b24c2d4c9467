export type { WaitOptions } from "./check.js";
export { Event } from "./event.js";
export { type LimitFunction, limit } from "./limit.js";
export { Lock, type LockOptions } from "./lock.js";
export { Permit } from "./permit.js";
export { RateLimiter, type RateLimiterOptions } from "./rate-limiter.js";
export {
  type AcquireOptions,
  BoundedSemaphore,
  type RunOptions,
  Semaphore,
  type UnlockOptions,
} from "./semaphore.js";
