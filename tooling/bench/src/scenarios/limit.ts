import { job, repeat, sum } from "../job.js";
import { BIG_ROUNDS, type Family, type Impl, type Scenario } from "../scenario.js";
import { checkLimit, limiters } from "./semaphore.js";

/** Permits. */
const PERMITS = 10;
/** Jobs started at once, all through the one limit. */
const JOBS = 200_000;

/**
 * async-mutex's and Effect's semaphores slow down quadratically with the number of waiters (a
 * 40,000-job run takes 0.8 s and 5.7 s; 200,000 would take ~20 s and ~140 s): they run smaller
 * batches, which flatters them.
 */
const QUADRATIC = { maxOps: 10_000 };
const QUADRATIC_NOTE = " [10k jobs: O(n²) in waiters]";

const limited: Scenario = {
  id: "semaphore-200k",
  op: `one job of ${JOBS.toLocaleString("en")} started at once through a limit of ${PERMITS}`,
  ops: JOBS,
  smokeOps: 200,
  calls: 1,
  expect: (ops) => ops,
  check: checkLimit(PERMITS, PERMITS),
  impls: [
    {
      name: "Promise.all(jobs.map(j => Promise.resolve().then(j))) (no limit)",
      role: "baseline",
      async make(ops) {
        const all = repeat(job, ops);
        return async () => sum(await Promise.all(all.map((j) => Promise.resolve().then(j))));
      },
    },
    // The weighted and rate-limited rows are variations the small scenarios already cover.
    ...limiters
      .filter((l) => !l.name.includes("weight") && !l.name.includes("RateLimiter"))
      .map(
        (limiter): Impl => ({
          ...(limiter.name.startsWith("async-mutex") ? QUADRATIC : {}),
          name: limiter.name.startsWith("async-mutex") ? `${limiter.name}${QUADRATIC_NOTE}` : limiter.name,
          role: limiter.role,
          context: limiter.context,
          target: limiter.target,
          async make(ops) {
            const runJob = await limiter.load(PERMITS);
            const all = repeat(job, ops);
            return async () => sum(await Promise.all(all.map(runJob)));
          },
        }),
      ),
    {
      name: `effect Semaphore.withPermits(sem, 1, promise(job)), all unbounded${QUADRATIC_NOTE}`,
      role: "peer",
      ...QUADRATIC,
      async make(ops) {
        const { Effect, Semaphore } = await import("effect");
        const sem = await Effect.runPromise(Semaphore.make(PERMITS));
        const one = Semaphore.withPermits(sem, 1, Effect.promise(job));
        const all = repeat(one, ops);
        return async () => sum(await Effect.runPromise(Effect.all(all, { concurrency: "unbounded" })));
      },
    },
  ],
};

/** Many jobs through one small limit (scenario 3 of the issue). */
export const limitFamily: Family = { name: "limit", scenarios: [limited], maxRounds: BIG_ROUNDS };
