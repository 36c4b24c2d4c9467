export type { SignalOptions } from "@taskio/core";
export { QueueEmpty, QueueFull, QueueShutDown } from "./errors.js";
export { LifoQueue } from "./lifo-queue.js";
export type { PriorityQueueOptions, QueueOptions } from "./options.js";
export { PriorityQueue } from "./priority-queue.js";
export { Queue } from "./queue.js";
