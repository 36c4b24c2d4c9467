export type { SignalOptions } from "@taskio/core";
export { Event } from "./event.js";
export { type LimitFunction, limit } from "./limit.js";
export { Lock, type LockOptions } from "./lock.js";
export { Permit } from "./permit.js";
export { RateLimiter, type RateLimiterOptions } from "./rate-limiter.js";
export {
  type AcquireOptions,
  BoundedSemaphore,
  Semaphore,
  type UnlockOptions,
} from "./semaphore.js";
