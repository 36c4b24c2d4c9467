import { one, oneAsync, oneGen, repeat, sum } from "../job.js";
import { ASYNC_FUNCTION_TARGET, type Family, GENERATOR_TARGET } from "../scenario.js";

/** Children per gather. */
const WIDTH = 100;

export const gatherFamily: Family = {
  name: "gather",
  scenarios: [
    {
      id: "gather-100",
      op: `gather ${WIDTH} tasks returning 1 and await the ${WIDTH} results`,
      ops: 10,
      expect: (ops) => ops * WIDTH,
      impls: [
        {
          name: "Promise.all(fns.map(f => Promise.resolve().then(f)))",
          role: "baseline",
          async make(ops) {
            const fns = repeat(one, WIDTH);
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += sum(await Promise.all(fns.map((f) => Promise.resolve().then(f))));
              return total;
            };
          },
        },
        {
          name: "taskio gather(gens)",
          role: "taskio",
          target: GENERATOR_TARGET,
          async make(ops) {
            const { gather } = await import("@taskio/combinators");
            const gens = repeat(oneGen, WIDTH);
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += sum(await gather(gens.map((g) => g())));
              return total;
            };
          },
        },
        {
          name: "taskio gather(async fns)",
          role: "taskio",
          context: "async-context",
          target: ASYNC_FUNCTION_TARGET,
          async make(ops) {
            const { gather } = await import("@taskio/combinators");
            const fns = repeat(oneAsync, WIDTH);
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += sum(await gather(fns));
              return total;
            };
          },
        },
        {
          name: "effection run(() => all(ops))",
          role: "peer",
          async make(ops) {
            const { all, run } = await import("effection");
            const gens = repeat(oneGen, WIDTH);
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) total += sum(await run(() => all(gens.map((g) => g()))));
              return total;
            };
          },
        },
        {
          name: "effect Effect.all(effs, unbounded)",
          role: "peer",
          async make(ops) {
            const { Effect } = await import("effect");
            const fns = repeat(one, WIDTH);
            return async () => {
              let total = 0;
              for (let i = 0; i < ops; i++) {
                const results = await Effect.runPromise(
                  Effect.all(
                    fns.map((f) => Effect.sync(f)),
                    { concurrency: "unbounded" },
                  ),
                );
                total += sum(results);
              }
              return total;
            };
          },
        },
      ],
    },
  ],
};
