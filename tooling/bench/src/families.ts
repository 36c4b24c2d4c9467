import type { Family } from "./scenario.js";

export { BIG_ROUNDS } from "./scenario.js";

import { fanoutFamily } from "./scenarios/fanout.js";
import { gatherFamily } from "./scenarios/gather.js";
import { limitFamily } from "./scenarios/limit.js";
import { lockFamily } from "./scenarios/lock.js";
import { cancelFamily, memoryFamily } from "./scenarios/memory.js";
import { queueFamily } from "./scenarios/queue.js";
import { semaphoreFamily } from "./scenarios/semaphore.js";
import { streamFamily } from "./scenarios/stream.js";
import { taskFamily } from "./scenarios/task.js";
import { waitForFamily } from "./scenarios/waitfor.js";

/** Every scenario family, in the order the table prints them. */
export const families: readonly Family[] = [
  taskFamily,
  gatherFamily,
  fanoutFamily,
  semaphoreFamily,
  limitFamily,
  queueFamily,
  streamFamily,
  lockFamily,
  waitForFamily,
  memoryFamily,
  cancelFamily,
];

export function findFamily(name: string): Family {
  const family = families.find((f) => f.name === name);
  if (family === undefined) {
    throw new RangeError(
      `unknown family ${JSON.stringify(name)}; expected one of ${families.map((f) => f.name).join(", ")}`,
    );
  }
  return family;
}
