import { CHAIN_BOTTOMS, cancelDownChain, propertyParams, propertySeed } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Coroutine, createTask, sleep, type Task } from "../src/index.js";

/** How one task of the chain awaits the next. */
interface Level {
  form: "generator" | "async";
  /** Async form only: `Promise.race([next, sleep(ms)])`, so the request goes two ways at once. */
  race: boolean;
  /** The sleep first in that race: the way that delivers it is tried first. */
  sleepFirst: boolean;
}

/** `Promise.race()` of `task` and a long sleep, in either order. */
function raceWithSleep(task: Task<string>, sleepFirst: boolean): Promise<unknown> {
  const late = sleep(5000);
  return Promise.race(sleepFirst ? [late, task] : [task, late]);
}

const chains = fc.record({
  levels: fc.array(
    fc.record({
      form: fc.constantFrom("generator" as const, "async" as const),
      race: fc.boolean(),
      sleepFirst: fc.boolean(),
    }),
    { minLength: 0, maxLength: 4 },
  ),
  bottom: fc.constantFrom(...CHAIN_BOTTOMS),
  topRaces: fc.boolean(),
  topSleepFirst: fc.boolean(),
});

function levelTask(level: Level, next: Task<string>): Task<string> {
  if (level.form === "generator") {
    return createTask(function* (): Coroutine<string> {
      return yield* next;
    });
  }
  return createTask(async () => String(level.race ? await raceWithSleep(next, level.sleepFirst) : await next));
}

describe(`a cancel request down a chain of awaiting tasks (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  it("reaches the top once, unless the task at the bottom swallowed it, and never twice", async () => {
    await fc.assert(
      fc.asyncProperty(chains, async ({ levels, bottom, topRaces, topSleepFirst }) => {
        const outcome = await cancelDownChain(
          bottom,
          (task) => levels.reduce((next, level) => levelTask(level, next), task),
          (chain) => (topRaces ? raceWithSleep(chain, topSleepFirst) : chain),
        );
        // A race anywhere on the way delivers it there (its sleep is cancelled at once); otherwise
        // only a bottom task that catches it keeps the top from being cancelled.
        const raced = topRaces || levels.some((level) => level.form === "async" && level.race);
        expect(outcome.cancels).toBe(raced || bottom !== "swallows" ? 1 : 0);
        expect(outcome.bottom.done()).toBe(true);
      }),
      propertyParams(100),
    );
  });
});
