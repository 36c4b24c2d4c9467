import { expect, it } from "vitest";
import * as taskio from "../src/index.js";

/** Every runtime name DESIGN.md gives the five packages. */
const names = {
  core: [
    "Future",
    "Task",
    "createTask",
    "run",
    "sleep",
    "shield",
    "ensureFuture",
    "currentTask",
    "allTasks",
    "now",
    "isCancelledError",
    "setExceptionHandler",
    "configure",
    "CancelledError",
    "TimeoutError",
    "InvalidStateError",
    "ExceptionGroup",
  ],
  combinators: [
    "gather",
    "wait",
    "FIRST_COMPLETED",
    "FIRST_EXCEPTION",
    "ALL_COMPLETED",
    "asCompleted",
    "race",
    "any",
    "TaskGroup",
    "taskGroup",
  ],
  timeouts: ["waitFor", "timeout", "timeoutAt", "Timeout"],
  queue: ["Queue", "LifoQueue", "PriorityQueue", "QueueEmpty", "QueueFull", "QueueShutDown"],
  semaphore: ["Semaphore", "BoundedSemaphore", "Lock", "Event"],
};

it.each(Object.entries(names))("re-exports every name of @taskio/%s", (_pkg, list) => {
  const missing = list.filter((name) => !(name in taskio));
  expect(missing).toEqual([]);
});

it("re-exports the packages' own objects, not copies", async () => {
  const core = await import("@taskio/core");
  expect(taskio.Future).toBe(core.Future);
  expect(taskio.createTask).toBe(core.createTask);
});
