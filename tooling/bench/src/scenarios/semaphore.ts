import { job, jobs, repeat, sum } from "../job.js";
import { ACQUIRE_TARGET, type Family, type Impl, RUN_TARGET, type Scenario } from "../scenario.js";

/** Permits: N in "N=4 over 1000 jobs". */
const LIMIT = 4;
/** Jobs started at once in the contended scenario. */
const JOBS = 1000;

/** How one limiter runs one job; each scenario drives it the same way for every library. */
export interface Limiter {
  name: string;
  role: Impl["role"];
  context?: Impl["context"];
  target?: Impl["target"];
  load(permits: number): Promise<(work: () => Promise<number>) => PromiseLike<number>>;
}

export const limiters: Limiter[] = [
  {
    name: "taskio sem.acquire()/release()",
    role: "taskio",
    target: ACQUIRE_TARGET,
    async load(permits) {
      const { Semaphore } = await import("@taskio/semaphore");
      const sem = new Semaphore(permits);
      return async (work) => {
        await sem.acquire();
        try {
          return await work();
        } finally {
          sem.release();
        }
      };
    },
  },
  {
    name: "taskio sem.acquire({ weight: 2 })/release(2)",
    role: "taskio",
    target: ACQUIRE_TARGET,
    async load(permits) {
      const { Semaphore } = await import("@taskio/semaphore");
      // Twice the permits, two per job: the same concurrency as the others.
      const sem = new Semaphore(permits * 2);
      return async (work) => {
        await sem.acquire({ weight: 2 });
        try {
          return await work();
        } finally {
          sem.release(2);
        }
      };
    },
  },
  {
    name: "taskio RateLimiter.acquire() (fixed window) + sem",
    role: "taskio",
    async load(permits) {
      const { RateLimiter, Semaphore } = await import("@taskio/semaphore");
      // A window so wide it never throttles: this measures the limiter's bookkeeping per call.
      const rate = new RateLimiter({ limit: 1e9, interval: 1_000, window: "fixed" });
      const sem = new Semaphore(permits);
      return async (work) => {
        await rate.acquire();
        await sem.acquire();
        try {
          return await work();
        } finally {
          sem.release();
        }
      };
    },
  },
  {
    name: "taskio sem.run(fn)",
    role: "taskio",
    // Called from plain code, as p-limit is: AsyncLocalStorage stays off (the harness checks).
    target: RUN_TARGET,
    async load(permits) {
      const { Semaphore } = await import("@taskio/semaphore");
      const sem = new Semaphore(permits);
      return (work) => sem.run(work);
    },
  },
  {
    name: "taskio limit(n)(fn)",
    role: "taskio",
    // Called from plain code, as with run(): AsyncLocalStorage stays off.
    target: RUN_TARGET,
    async load(permits) {
      const { limit } = await import("@taskio/semaphore");
      const limited = limit(permits);
      return (work) => limited(work);
    },
  },
  {
    name: "p-limit limit(fn)",
    role: "peer",
    async load(permits) {
      const { default: pLimit } = await import("p-limit");
      const limit = pLimit(permits);
      return (work) => limit(work);
    },
  },
  {
    name: "async-sema acquire()/release()",
    role: "peer",
    async load(permits) {
      const { Sema } = await import("async-sema");
      const sema = new Sema(permits);
      return async (work) => {
        await sema.acquire();
        try {
          return await work();
        } finally {
          sema.release();
        }
      };
    },
  },
  {
    name: "async-mutex Semaphore.runExclusive(fn)",
    role: "peer",
    async load(permits) {
      const { Semaphore } = await import("async-mutex");
      const sem = new Semaphore(permits);
      return (work) => sem.runExclusive(work);
    },
  },
  {
    name: "p-queue add(fn) {concurrency}",
    role: "peer",
    async load(permits) {
      const { default: PQueue } = await import("p-queue");
      const queue = new PQueue({ concurrency: permits });
      return async (work) => (await queue.add(work)) as number;
    },
  },
];

export function checkLimit(expectedPeak: number, limit = LIMIT) {
  return (impl: Impl) => {
    if (impl.role === "baseline") return;
    if (jobs.peak > limit) throw new Error(`${impl.name}: ${jobs.peak} jobs ran at once, limit ${limit}`);
    if (jobs.peak !== expectedPeak) {
      throw new Error(`${impl.name}: at most ${jobs.peak} jobs ran at once; the scenario expects ${expectedPeak}`);
    }
  };
}

const uncontended: Scenario = {
  id: "semaphore-uncontended",
  op: `acquire a permit (limit ${LIMIT}), run one job, release; one job at a time`,
  ops: 100,
  expect: (ops) => ops,
  check: checkLimit(1),
  impls: [
    {
      name: "await Promise.resolve().then(job)",
      role: "baseline",
      async make(ops) {
        return async () => {
          let total = 0;
          for (let i = 0; i < ops; i++) total += await Promise.resolve().then(job);
          return total;
        };
      },
    },
    ...limiters.map(
      (limiter): Impl => ({
        name: limiter.name,
        role: limiter.role,
        context: limiter.context,
        target: limiter.target,
        async make(ops) {
          const runJob = await limiter.load(LIMIT);
          return async () => {
            let total = 0;
            for (let i = 0; i < ops; i++) total += await runJob(job);
            return total;
          };
        },
      }),
    ),
  ],
};

const contended: Scenario = {
  id: "semaphore-contended",
  op: `one job of ${JOBS} started at once through a limit of ${LIMIT} (all awaited with Promise.all)`,
  ops: JOBS,
  expect: (ops) => ops,
  check: checkLimit(LIMIT),
  impls: [
    {
      name: "Promise.all(jobs.map(j => Promise.resolve().then(j)))",
      role: "baseline",
      async make(ops) {
        const all = repeat(job, ops);
        return async () => sum(await Promise.all(all.map((j) => Promise.resolve().then(j))));
      },
    },
    ...limiters.map(
      (limiter): Impl => ({
        name: limiter.name,
        role: limiter.role,
        context: limiter.context,
        target: limiter.target,
        async make(ops) {
          const runJob = await limiter.load(LIMIT);
          const all = repeat(job, ops);
          return async () => sum(await Promise.all(all.map(runJob)));
        },
      }),
    ),
  ],
};

export const semaphoreFamily: Family = { name: "semaphore", scenarios: [uncontended, contended] };
