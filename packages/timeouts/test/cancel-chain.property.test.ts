import { type Coroutine, createTask, isCancelledError, sleep, type Task } from "@taskio/core";
import { propertyParams, propertySeed, settle } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timeout, waitFor } from "../src/index.js";

/** What the innermost task of the chain does when the request reaches it. */
type Innermost = "sleeps" | "foreign" | "foreign then sleeps" | "swallows";

/** How one link of the chain waits for the next task, through a scope task of this package. */
type Link = "waitFor(task)" | "timeout(generator)" | "timeout(async fn)" | "await task (async fn)";

const chains = fc.record({
  links: fc.array(
    fc.constantFrom<Link>("waitFor(task)", "timeout(generator)", "timeout(async fn)", "await task (async fn)"),
    { minLength: 1, maxLength: 4 },
  ),
  innermost: fc.constantFrom<Innermost>("sleeps", "foreign", "foreign then sleeps", "swallows"),
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

function linkTask(link: Link, next: Task<string>): Task<string> {
  switch (link) {
    case "waitFor(task)":
      return waitFor(next, 10_000);
    case "timeout(generator)":
      return timeout(10_000, function* (): Coroutine<string> {
        return yield* next;
      });
    case "timeout(async fn)":
      return timeout(10_000, async () => await next);
    case "await task (async fn)":
      return createTask(async () => await next);
  }
}

describe(`a cancel request down a chain of scopes (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  it("reaches the top once, unless the task at the bottom swallowed it, and never becomes a TimeoutError", async () => {
    await fc.assert(
      fc.asyncProperty(chains, async ({ links, innermost }) => {
        let finishForeign!: () => void;
        const foreign = new Promise<void>((resolve) => {
          finishForeign = resolve;
        });
        const bottom = innermostTask(innermost, foreign);
        let next = bottom;
        for (const link of links) next = linkTask(link, next);
        const chain = next;
        let cancels = 0;
        const top = createTask(async () => {
          // Three waits, each catching a cancellation: a request delivered twice shows as 2.
          for (let step = 0; step < 3; step++) {
            try {
              if (step === 0) await chain;
              else await sleep(1);
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
        expect(cancels).toBe(innermost === "swallows" ? 0 : 1);
        await settle();
        expect(bottom.done()).toBe(true);
      }),
      propertyParams(100),
    );
  });
});
