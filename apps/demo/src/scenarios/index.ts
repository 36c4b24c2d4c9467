import type { Scenario } from "../scenario.js";
import { asCompletedScenario } from "./as-completed.js";
import { cancellation } from "./cancellation.js";
import { concurrent } from "./concurrent.js";
import { gatherScenario } from "./gather.js";
import { progressScenario } from "./progress.js";
import { queueScenario } from "./queue.js";
import { semaphoreScenario } from "./semaphore.js";
import { shieldScenario } from "./shield.js";
import { taskGroupScenario } from "./task-group.js";
import { timeoutsScenario } from "./timeouts.js";
import { waitScenario } from "./wait.js";

/** Every scenario, in the order of the tour. */
export const scenarios: readonly Scenario[] = [
  concurrent,
  gatherScenario,
  taskGroupScenario,
  cancellation,
  shieldScenario,
  timeoutsScenario,
  waitScenario,
  asCompletedScenario,
  queueScenario,
  semaphoreScenario,
  progressScenario,
];
