import { propertyParams, propertySeed, settle } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Coroutine, createTask, isCancelledError, sleep, type Task } from "../src/index.js";

/** What the innermost task of the chain does when the request reaches it. */
type Innermost = "sleeps" | "foreign" | "foreign then sleeps" | "swallows";

/** How one task of the chain awaits the next. */
interface Level {
  form: "generator" | "async";
  /** Async form only: `Promise.race([next, sleep(ms)])`, so the request goes two ways at once. */
  race: boolean;
}

const chains = fc.record({
  levels: fc.array(fc.record({ form: fc.constantFrom("generator" as const, "async" as const), race: fc.boolean() }), {
    minLength: 0,
    maxLength: 4,
  }),
  innermost: fc.constantFrom<Innermost>("sleeps", "foreign", "foreign then sleeps", "swallows"),
  topRaces: fc.boolean(),
});

function innermostTask(kind: Innermost, foreign: Promise<void>): Task<string> {
  return createTask(async () => {
    if (kind === "swallows") {
      try {
        await sleep(1000);
      } catch {
        return "swallowed";
      }
    }
    if (kind === "sleeps") await sleep(1000);
    if (kind === "foreign" || kind === "foreign then sleeps") await foreign;
    if (kind === "foreign then sleeps") await sleep(1000);
    return "value";
  });
}

function levelTask(level: Level, next: Task<string>): Task<string> {
  if (level.form === "generator") {
    return createTask(function* (): Coroutine<string> {
      return yield* next;
    });
  }
  return createTask(async () => (level.race ? await Promise.race([next, sleep(5000).then(() => "late")]) : await next));
}

describe(`a cancel request down a chain of awaiting tasks (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  it("reaches the top once, unless the task at the bottom swallowed it, and never twice", async () => {
    await fc.assert(
      fc.asyncProperty(chains, async ({ levels, innermost, topRaces }) => {
        let finishForeign!: () => void;
        const foreign = new Promise<void>((resolve) => {
          finishForeign = resolve;
        });
        let next = innermostTask(innermost, foreign);
        for (const level of levels) next = levelTask(level, next);
        const chain = next;
        let cancels = 0;
        const top = createTask(async () => {
          // Three waits, each catching a cancellation: a request delivered twice shows as 2.
          for (let step = 0; step < 3; step++) {
            try {
              if (step > 0) await sleep(1);
              else if (topRaces) await Promise.race([chain, sleep(5000)]);
              else await chain;
            } catch (error) {
              if (!isCancelledError(error)) throw error;
              cancels++;
            }
          }
          return "done";
        });
        await settle();
        top.cancel();
        finishForeign();
        expect(await top).toBe("done");
        // A race anywhere on the way delivers it there (its sleep is cancelled at once); otherwise
        // only a bottom task that catches it keeps the top from being cancelled.
        const raced = topRaces || levels.some((level) => level.form === "async" && level.race);
        expect(cancels).toBe(raced || innermost !== "swallows" ? 1 : 0);
        await settle();
        expect(chain.done()).toBe(true);
      }),
      propertyParams(100),
    );
  });
});
