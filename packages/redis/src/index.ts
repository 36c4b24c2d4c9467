export type { SignalOptions } from "@taskio/core";
export type { RedisConnection } from "./connection.js";
export { LeaseLostError, RedisUnavailableError, RemoteQueueShutDown } from "./errors.js";
export { RemoteQueueIterator } from "./iterator.js";
export { type Codec, RemoteQueue, type RemoteQueueOptions } from "./queue.js";
export { RemoteSemaphore, type RemoteSemaphoreOptions } from "./semaphore.js";
