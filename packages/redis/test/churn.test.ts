import { sleep } from "@taskio/core";
import { propertyParams, propertySeed } from "@taskio/testkit";
import fc from "fast-check";
import { expect, test } from "vitest";
import { client, queued, semaphore, unique, useRedis } from "./helpers.js";

useRedis();

/** One client's operation: a run() body or an acquire()/release() pair, maybe cut short. */
const operation = fc.record({
  who: fc.nat({ max: 2 }),
  kind: fc.constantFrom("run", "acquire"),
  holdMs: fc.nat({ max: 8 }),
  /** cancel (run) or abort (acquire) after this many ms, or never */
  cutMs: fc.option(fc.nat({ max: 15 }), { nil: undefined }),
});

test(`under churn with 3 clients, at most \`limit\` hold a permit, and every permit comes back (TASKIO_PROPERTY_SEED=${propertySeed()})`, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.array(operation, { minLength: 5, maxLength: 25 }),
      async (limit, ops) => {
        const name = unique("churn");
        const sems = [semaphore(name, limit), semaphore(name, limit), semaphore(name, limit)];
        let active = 0;
        let peak = 0;
        const enter = () => {
          active++;
          peak = Math.max(peak, active);
        };
        const work = ops.map(async ({ who, kind, holdMs, cutMs }) => {
          const sem = sems[who]!;
          if (kind === "run") {
            const task = sem.run(async () => {
              enter();
              try {
                await sleep(holdMs);
              } finally {
                active--;
              }
            });
            if (cutMs !== undefined) sleep(cutMs).then(() => task.cancel());
            await task.then(
              () => {},
              () => {},
            );
            return;
          }
          const signal = cutMs === undefined ? undefined : AbortSignal.timeout(cutMs);
          try {
            await sem.acquire({ signal });
          } catch {
            return; // aborted while waiting: it holds nothing
          }
          enter();
          await sleep(holdMs);
          active--;
          await sem.release();
        });
        await Promise.all(work);
        expect(peak).toBeLessThanOrEqual(limit);
        // Withdrawals and releases from tasks cut short go out without being awaited: let them land.
        const redis = client();
        for (let i = 0; i < 100 && ((await sems[0]!.value()) < limit || (await queued(redis, name)) > 0); i++) {
          await sleep(5);
        }
        expect(await sems[0]!.value()).toBe(limit);
        expect(await queued(redis, name)).toBe(0);
        await Promise.all(sems.map((s) => s.close()));
      },
    ),
    propertyParams(12),
  );
});
