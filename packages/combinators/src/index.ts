export { type AsCompleted, type AsCompletedOptions, asCompleted } from "./as-completed.js";
export { type GatherOptions, type GatherResults, type GatherSettled, gather } from "./gather.js";
export { any, race } from "./race.js";
export { TaskGroup, type TaskGroupBody, taskGroup, taskGroupOf } from "./task-groups.js";
export { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, type ReturnWhen, type WaitOptions, wait } from "./wait.js";
