import { job, jobs, sum } from "../job.js";
import { type Family, type Impl, PEER_TARGET } from "../scenario.js";

/** Workers contending for the lock; each runs ops / WORKERS critical sections in a row. */
const WORKERS = 4;

/** Runs `ops` jobs split over WORKERS sequential workers, each job through `guard`. */
function workers(guard: (work: () => Promise<number>) => PromiseLike<number>) {
  return (ops: number) => async () => {
    const each = ops / WORKERS;
    const worker = async () => {
      let total = 0;
      for (let i = 0; i < each; i++) total += await guard(job);
      return total;
    };
    return sum(await Promise.all(Array.from({ length: WORKERS }, worker)));
  };
}

export const lockFamily: Family = {
  name: "lock",
  scenarios: [
    {
      id: "lock-contended",
      op: `one critical section (one job under the lock); ${WORKERS} workers × 250 in a row`,
      ops: 1000,
      expect: (ops) => ops,
      check(impl: Impl) {
        if (impl.role !== "baseline" && jobs.peak !== 1) {
          throw new Error(`${impl.name}: ${jobs.peak} jobs held the lock at once`);
        }
      },
      impls: [
        {
          name: "no lock: await Promise.resolve().then(job)",
          role: "baseline",
          async make(ops) {
            return workers((work) => Promise.resolve().then(work))(ops);
          },
        },
        {
          name: "taskio lock.acquire()/release()",
          role: "taskio",
          target: PEER_TARGET,
          async make(ops) {
            const { Lock } = await import("@taskio/semaphore");
            const lock = new Lock();
            return workers(async (work) => {
              await lock.acquire();
              try {
                return await work();
              } finally {
                lock.release();
              }
            })(ops);
          },
        },
        {
          name: "taskio lock.run(fn)",
          role: "taskio",
          // Called from plain code: the body runs inline and AsyncLocalStorage stays off.
          target: PEER_TARGET,
          async make(ops) {
            const { Lock } = await import("@taskio/semaphore");
            const lock = new Lock();
            return workers((work) => lock.run(work))(ops);
          },
        },
        {
          name: "async-mutex Mutex acquire()/release()",
          role: "peer",
          async make(ops) {
            const { Mutex } = await import("async-mutex");
            const mutex = new Mutex();
            return workers(async (work) => {
              const release = await mutex.acquire();
              try {
                return await work();
              } finally {
                release();
              }
            })(ops);
          },
        },
        {
          name: "async-mutex Mutex.runExclusive(fn)",
          role: "peer",
          async make(ops) {
            const { Mutex } = await import("async-mutex");
            const mutex = new Mutex();
            return workers((work) => mutex.runExclusive(work))(ops);
          },
        },
      ],
    },
  ],
};
