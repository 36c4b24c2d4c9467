import type { Family } from "./scenario.js";
import { gatherFamily } from "./scenarios/gather.js";
import { lockFamily } from "./scenarios/lock.js";
import { queueFamily } from "./scenarios/queue.js";
import { semaphoreFamily } from "./scenarios/semaphore.js";
import { taskFamily } from "./scenarios/task.js";

/** Every scenario family, in the order the table prints them. */
export const families: readonly Family[] = [taskFamily, gatherFamily, semaphoreFamily, queueFamily, lockFamily];

export function findFamily(name: string): Family {
  const family = families.find((f) => f.name === name);
  if (family === undefined) {
    throw new RangeError(
      `unknown family ${JSON.stringify(name)}; expected one of ${families.map((f) => f.name).join(", ")}`,
    );
  }
  return family;
}
