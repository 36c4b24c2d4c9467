import { type Coroutine, now, sleep } from "@taskio/core";
import { type Outcome, outcome, propertyParams, propertySeed } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asCompleted, FIRST_EXCEPTION, gather, race, wait } from "../src/index.js";

class ChildError extends Error {
  constructor(readonly index: number) {
    super(`child ${index}`);
  }
}

/** Which child an outcome came from: its value, or the index on its ChildError. */
const indexOf = (result: Outcome<number>) =>
  result.status === "fulfilled" ? result.value : (result.error as ChildError).index;

/** One child: finishes after `ms` with its index, or fails with a ChildError. */
interface Plan {
  ms: number;
  fails: boolean;
}

const plans = fc.array(fc.record({ ms: fc.integer({ min: 0, max: 50 }), fails: fc.boolean() }), {
  minLength: 1,
  maxLength: 8,
});

function child(plan: Plan, index: number) {
  return function* (): Coroutine<number> {
    yield* sleep(plan.ms);
    if (plan.fails) throw new ChildError(index);
    return index;
  };
}

// The testkit's fixed seed, so that a failure replays; TASKIO_PROPERTY_SEED explores others.
const options = propertyParams(60);

describe(`combinators keep their promises for any timing (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  it("gather with returnExceptions puts every outcome at its own index", async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (list) => {
        const results = await gather(
          list.map((plan, i) => child(plan, i)),
          { returnExceptions: true },
        );
        results.forEach((result, i) => {
          if (list[i]!.fails) expect((result as ChildError).index).toBe(i);
          else expect(result).toBe(i);
        });
      }),
      options,
    );
  });

  it("asCompleted hands out each outcome exactly once, in completion order", async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (list) => {
        const start = now();
        const seen: { index: number; at: number }[] = [];
        for (const next of asCompleted(list.map((plan, i) => child(plan, i)))) {
          seen.push({ index: indexOf(await outcome(next)), at: now() - start });
        }
        expect(seen.map((s) => s.index).sort((a, b) => a - b)).toEqual(list.map((_, i) => i));
        for (const { index, at } of seen) expect(at).toBe(list[index]!.ms);
      }),
      options,
    );
  });

  it("race settles like the quickest child, and leaves nothing running", async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (list) => {
        const start = now();
        const children = list.map((plan, i) => child(plan, i));
        const result = await outcome(race(children));
        const quickest = Math.min(...list.map((plan) => plan.ms));
        expect(now() - start).toBe(quickest);
        expect(list[indexOf(result)]!.ms).toBe(quickest);
      }),
      options,
    );
  });

  it("wait with FIRST_EXCEPTION returns at the first failure or when all are done", async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (list) => {
        const start = now();
        const futures = list.map((plan, i) => gather([child(plan, i)]));
        const [done, pending] = await wait(futures, { returnWhen: FIRST_EXCEPTION });
        const failures = list.filter((plan) => plan.fails).map((plan) => plan.ms);
        const expected = failures.length ? Math.min(...failures) : Math.max(...list.map((plan) => plan.ms));
        expect(now() - start).toBe(expected);
        expect(done.size + pending.size).toBe(list.length);
        await wait(futures);
        for (const f of futures) f.exception();
      }),
      options,
    );
  });
});
