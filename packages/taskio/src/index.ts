// Three packages name their options type WaitOptions: the bare name is wait()'s, the others are prefixed.
export type { WaitOptions } from "@taskio/combinators";
export * from "@taskio/combinators";
// core and semaphore both name an options type RunOptions: the bare name is run()'s.
export type { RunOptions } from "@taskio/core";
export * from "@taskio/core";
export type { WaitOptions as QueueWaitOptions } from "@taskio/queue";
export * from "@taskio/queue";
export type { RunOptions as SemaphoreRunOptions, WaitOptions as SemaphoreWaitOptions } from "@taskio/semaphore";
export * from "@taskio/semaphore";
export * from "@taskio/timeouts";
