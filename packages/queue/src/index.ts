export { QueueEmpty, QueueFull, QueueShutDown } from "./errors.js";
export { LifoQueue } from "./lifo-queue.js";
export type { PriorityQueueOptions, QueueOptions, WaitOptions } from "./options.js";
export { PriorityQueue } from "./priority-queue.js";
export { Queue } from "./queue.js";
