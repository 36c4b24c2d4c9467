import { one, oneAsync, oneGen, repeat, sum } from "../job.js";
import {
  ASYNC_FUNCTION_TARGET,
  BIG_ROUNDS,
  type Family,
  GENERATOR_TARGET,
  PEER_TARGET,
  type Scenario,
} from "../scenario.js";

/** Tasks per fan-out. */
const WIDTH = 10_000;

/** Sums the results of finished taskio tasks. */
function results(tasks: readonly { result(): number }[]): number {
  let total = 0;
  for (let i = 0; i < tasks.length; i++) total += tasks[i]!.result();
  return total;
}

const gather10k: Scenario = {
  id: "gather-10k",
  op: `one of ${WIDTH.toLocaleString("en")} trivial tasks gathered at once (one fan-out per call)`,
  ops: WIDTH,
  smokeOps: 100,
  calls: 5,
  expect: (ops) => ops,
  impls: [
    {
      name: "Promise.all(fns.map(f => Promise.resolve().then(f)))",
      role: "baseline",
      async make(ops) {
        const fns = repeat(one, ops);
        return async () => sum(await Promise.all(fns.map((f) => Promise.resolve().then(f))));
      },
    },
    {
      // Calling the async functions directly runs each body at once, without deferring it as a
      // task does: the cheapest a fan-out can be.
      name: "Promise.all(asyncFns.map(f => f()))",
      role: "reference",
      async make(ops) {
        const fns = repeat(oneAsync, ops);
        return async () => sum(await Promise.all(fns.map((f) => f())));
      },
    },
    {
      name: "taskio gather(gens)",
      role: "taskio",
      target: GENERATOR_TARGET,
      async make(ops) {
        const { gather } = await import("@taskio/combinators");
        const gens = repeat(oneGen, ops);
        return async () => sum(await gather(gens.map((g) => g())));
      },
    },
    {
      name: "taskio gather(async fns)",
      role: "taskio",
      context: "async-context",
      target: ASYNC_FUNCTION_TARGET,
      async make(ops) {
        const { gather } = await import("@taskio/combinators");
        const fns = repeat(oneAsync, ops);
        return async () => sum(await gather(fns));
      },
    },
    {
      name: "taskio taskGroup(function* (tg) { tg.createTask(gen()) ×N })",
      role: "taskio",
      target: PEER_TARGET,
      async make(ops) {
        const { taskGroup } = await import("@taskio/combinators");
        return async () => {
          const tasks = await taskGroup(function* (tg) {
            const started = [];
            for (let i = 0; i < ops; i++) started.push(tg.createTask(oneGen()));
            return started;
          });
          return results(tasks);
        };
      },
    },
    {
      name: "taskio taskGroup(async (tg) => { tg.createTask(asyncFn) ×N })",
      role: "taskio",
      context: "async-context",
      target: PEER_TARGET,
      async make(ops) {
        const { taskGroup } = await import("@taskio/combinators");
        return async () => {
          const tasks = await taskGroup(async (tg) => {
            const started = [];
            for (let i = 0; i < ops; i++) started.push(tg.createTask(oneAsync));
            return started;
          });
          return results(tasks);
        };
      },
    },
    {
      // ~130 µs a task: a smaller batch keeps the run short (per-task cost barely depends on it).
      name: "effection run(() => all(ops)) [1k tasks]",
      role: "peer",
      maxOps: 1_000,
      async make(ops) {
        const { all, run } = await import("effection");
        const gens = repeat(oneGen, ops);
        return async () => sum(await run(() => all(gens.map((g) => g()))));
      },
    },
    {
      name: "effect Effect.all(effs, unbounded)",
      role: "peer",
      async make(ops) {
        const { Effect } = await import("effect");
        const fns = repeat(one, ops);
        return async () =>
          sum(
            await Effect.runPromise(
              Effect.all(
                fns.map((f) => Effect.sync(f)),
                { concurrency: "unbounded" },
              ),
            ),
          );
      },
    },
  ],
};

/** Wide fan-outs: gather and task groups of 10,000 tasks (scenario 2 of the issue). */
export const fanoutFamily: Family = { name: "fanout", scenarios: [gather10k], maxRounds: BIG_ROUNDS };
