import { job, sum } from "../job.js";
import { BIG_ROUNDS, type Family, PEER_TARGET, type Scenario } from "../scenario.js";

/** waitFors running at once. */
const CONCURRENT = 100_000;
/** A deadline no job comes near: every waitFor finishes in time. */
const DEADLINE_MS = 60_000;

/** Starts `n` jobs through `guard` at once and sums their results. */
function all(guard: () => PromiseLike<number>) {
  return async (ops: number) => async () => {
    const running: PromiseLike<number>[] = [];
    for (let i = 0; i < ops; i++) running.push(guard());
    return sum(await Promise.all(running));
  };
}

const waitFor100k: Scenario = {
  id: "waitfor-100k",
  op: `one of ${CONCURRENT.toLocaleString("en")} concurrent jobs under a ${DEADLINE_MS / 1000} s deadline, all in time`,
  ops: CONCURRENT,
  smokeOps: 200,
  calls: 1,
  expect: (ops) => ops,
  impls: [
    { name: "job() with no deadline", role: "baseline", make: all(job) },
    {
      name: "taskio waitFor(job(), ms)",
      role: "taskio",
      target: PEER_TARGET,
      async make(ops) {
        const { waitFor } = await import("@taskio/timeouts");
        return all(() => waitFor(job(), DEADLINE_MS))(ops);
      },
    },
    {
      name: "taskio waitFor((signal) => job(), ms)",
      role: "taskio",
      context: "async-context",
      target: PEER_TARGET,
      async make(ops) {
        const { waitFor } = await import("@taskio/timeouts");
        return all(() => waitFor(() => job(), DEADLINE_MS))(ops);
      },
    },
    {
      name: "Promise.race([job(), AbortSignal.timeout(ms) as a rejection])",
      role: "peer",
      make: all(() => {
        const signal = AbortSignal.timeout(DEADLINE_MS);
        const expired = new Promise<never>((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
        );
        return Promise.race([job(), expired]);
      }),
    },
    {
      name: "Promise.race([job(), setTimeout rejection]) + clearTimeout",
      role: "peer",
      make: all(() => {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timed out")), DEADLINE_MS);
        });
        return Promise.race([job(), expired]).finally(() => clearTimeout(timer));
      }),
    },
  ],
};

/** Many deadlines at once (scenario 5 of the issue). */
export const waitForFamily: Family = { name: "waitfor", scenarios: [waitFor100k], maxRounds: BIG_ROUNDS };
