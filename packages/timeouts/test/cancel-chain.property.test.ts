import { type Coroutine, createTask, type Task } from "@taskio/core";
import { CHAIN_BOTTOMS, cancelDownChain, propertyParams, propertySeed } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timeout, waitFor } from "../src/index.js";

/** How one link of the chain waits for the next task, through a scope task of this package. */
type Link = "waitFor(task)" | "timeout(generator)" | "timeout(async fn)" | "await task (async fn)";

const chains = fc.record({
  links: fc.array(
    fc.constantFrom<Link>("waitFor(task)", "timeout(generator)", "timeout(async fn)", "await task (async fn)"),
    { minLength: 1, maxLength: 4 },
  ),
  bottom: fc.constantFrom(...CHAIN_BOTTOMS),
});

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
      fc.asyncProperty(chains, async ({ links, bottom }) => {
        const outcome = await cancelDownChain(bottom, (task) =>
          links.reduce((next, link) => linkTask(link, next), task),
        );
        expect(outcome.cancels).toBe(bottom === "swallows" ? 0 : 1);
        expect(outcome.bottom.done()).toBe(true);
      }),
      propertyParams(100),
    );
  });
});
