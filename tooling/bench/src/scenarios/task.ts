import { one, oneAsync, oneGen } from "../job.js";
import {
  ALS_GENERATOR_TARGET,
  ASYNC_FUNCTION_TARGET,
  type Family,
  GENERATOR_TARGET,
  type Impl,
  type Run,
  TOP_LEVEL_GENERATOR_TARGET,
} from "../scenario.js";

/** `await Promise.resolve().then(one)`, `ops` times: DESIGN.md's baseline for one task. */
async function baselineRun(ops: number): Promise<Run> {
  return async () => {
    let total = 0;
    for (let i = 0; i < ops; i++) total += await Promise.resolve().then(one);
    return total;
  };
}

/** The bare async function call: what an async function costs with no task around it. */
async function asyncCallRun(ops: number): Promise<Run> {
  return async () => {
    let total = 0;
    for (let i = 0; i < ops; i++) total += await oneAsync();
    return total;
  };
}

const baseline: Impl = { name: "Promise.resolve().then(fn)", role: "baseline", make: baselineRun };

/**
 * DESIGN.md's floor for an async-function task, measured in the same run: each call gets its own
 * async-context frame (an AsyncResource for the caller's context, `als.run` for the task), a
 * deferred first step, and its promise followed — and none of taskio's bookkeeping.
 */
async function frameFloorRun(ops: number): Promise<Run> {
  const { AsyncLocalStorage, AsyncResource } = await import("node:async_hooks");
  const als = new AsyncLocalStorage<object>();
  const spawn = (fn: () => Promise<number>) => {
    const caller = new AsyncResource("floor");
    const task = {};
    return Promise.resolve().then(() => caller.runInAsyncScope(() => als.run(task, fn)));
  };
  return async () => {
    let total = 0;
    for (let i = 0; i < ops; i++) total += await spawn(oneAsync);
    return total;
  };
}

/** The same rows again in a process where AsyncLocalStorage is on: the Node 20 tax on every promise. */
const alsReferences: Impl[] = [
  {
    name: "Promise.resolve().then(fn) [ALS on]",
    role: "reference",
    context: "async-context",
    contextBaseline: true,
    make: baselineRun,
  },
  { name: "async function call [ALS on]", role: "reference", context: "async-context", make: asyncCallRun },
];

export const taskFamily: Family = {
  name: "task",
  scenarios: [
    {
      id: "task",
      op: "create + run + await one task returning 1, from plain async code",
      ops: 100,
      expect: (ops) => ops,
      impls: [
        baseline,
        { name: "async function call", role: "reference", make: asyncCallRun },
        {
          name: "taskio createTask(gen())",
          role: "taskio",
          target: TOP_LEVEL_GENERATOR_TARGET,
          async make(ops) {
            const { createTask } = await import("@taskio/core");
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += await createTask(oneGen());
              return total;
            };
          },
        },
        {
          name: "taskio createTask(async fn)",
          role: "taskio",
          context: "async-context",
          target: ASYNC_FUNCTION_TARGET,
          async make(ops) {
            const { createTask } = await import("@taskio/core");
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += await createTask(oneAsync);
              return total;
            };
          },
        },
        {
          name: "taskio createTask(gen()) [ALS on]",
          role: "reference",
          context: "async-context",
          target: ALS_GENERATOR_TARGET,
          async make(ops) {
            const { createTask } = await import("@taskio/core");
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += await createTask(oneGen());
              return total;
            };
          },
        },
        {
          name: "taskio createTask(async fn) [a store of the program's own]",
          role: "reference",
          context: "async-context",
          async make(ops) {
            const { AsyncLocalStorage } = await import("node:async_hooks");
            const { createTask } = await import("@taskio/core");
            // A store of the program's own (a request id, a tracing span) in every task's context:
            // each task's first step then runs in its caller's context, kept for it.
            const request = new AsyncLocalStorage<number>();
            return () =>
              request.run(1, async () => {
                let total = 0;
                for (let i = 0; i < ops; i++) total += await createTask(oneAsync);
                return total;
              });
          },
        },
        ...alsReferences,
        {
          name: "floor: own frame per call (AsyncResource + als.run), deferred, promise followed",
          role: "reference",
          context: "async-context",
          make: frameFloorRun,
        },
        {
          name: "effection run(op)",
          role: "peer",
          async make(ops) {
            const { run } = await import("effection");
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += await run(oneGen);
              return total;
            };
          },
        },
        {
          name: "effect Effect.runPromise(Effect.sync(fn))",
          role: "peer",
          async make(ops) {
            const { Effect } = await import("effect");
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += await Effect.runPromise(Effect.sync(one));
              return total;
            };
          },
        },
      ],
    },
    {
      id: "task-nested",
      op: "inside a running task: create a child task returning 1 and await it",
      ops: 100,
      expect: (ops) => ops,
      impls: [
        baseline,
        {
          name: "taskio yield* createTask(gen())",
          role: "taskio",
          target: GENERATOR_TARGET,
          async make(ops) {
            const { createTask } = await import("@taskio/core");
            function* parent() {
              let total = 0;
              for (let i = 0; i < ops; i++) total += yield* createTask(oneGen());
              return total;
            }
            return async () => await createTask(parent());
          },
        },
        {
          name: "taskio await createTask(async fn)",
          role: "taskio",
          context: "async-context",
          target: ASYNC_FUNCTION_TARGET,
          async make(ops) {
            const { createTask } = await import("@taskio/core");
            const parent = async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += await createTask(oneAsync);
              return total;
            };
            return async () => await createTask(parent);
          },
        },
        {
          name: "effection yield* spawn(op)",
          role: "peer",
          async make(ops) {
            const { run, spawn } = await import("effection");
            function* parent() {
              let total = 0;
              for (let i = 0; i < ops; i++) {
                const child = yield* spawn(oneGen);
                total += yield* child;
              }
              return total;
            }
            return async () => await run(parent);
          },
        },
        {
          name: "effect forkChild + Fiber.join",
          role: "peer",
          async make(ops) {
            const { Effect, Fiber } = await import("effect");
            const parent = Effect.gen(function* () {
              let total = 0;
              for (let i = 0; i < ops; i++) {
                const fiber = yield* Effect.forkChild(Effect.sync(one));
                total += yield* Fiber.join(fiber);
              }
              return total;
            });
            return () => Effect.runPromise(parent);
          },
        },
      ],
    },
  ],
};
