import { createTask, gather, isCancelledError } from "taskio";
import { getJson, HttpError } from "../client.js";
import { checklist, describeError, formatCounts, formatMs, type Scenario, stopwatch } from "../scenario.js";

interface ShelfCount {
  path: string;
}

const shelves = [
  { name: "fiction", latency: 200, status: 200 },
  { name: "periodicals", latency: 100, status: 503 },
  { name: "rare books", latency: 300, status: 200 },
];

/** gather runs everything at once and keeps the input order; returnExceptions puts failures in their slots. */
export const gatherScenario: Scenario = {
  name: "gather",
  title: "gather with returnExceptions",
  story:
    "Three shelves are counted at once and the periodicals room answers 503. With returnExceptions the error comes back as a value in its slot, in input order, and gather waits for all three. Without the option the first error rejects the gather at once, but the other lookups are not cancelled: their rows run on to the end.",
  code: `const counts = await gather(shelves.map(countShelf), { returnExceptions: true });
// [ { path: "/shelves/fiction" }, HttpError(503), { path: "/shelves/rare-books" } ]

await gather(tasks); // rejects with the first error; the other tasks keep running`,
  async run({ server, ms, log }) {
    const check = checklist();
    const countShelf = (shelf: (typeof shelves)[number]) => (signal: AbortSignal) =>
      getJson<ShelfCount>(
        server.url(`/shelves/${shelf.name.replace(" ", "-")}`, { latency: ms(shelf.latency), status: shelf.status }),
        shelf.name,
        signal,
      );

    log("Counting three shelves at once; the periodicals room answers 503.");
    let elapsed = stopwatch();
    const results = await gather(shelves.map(countShelf), { returnExceptions: true });
    log(`gather(…, { returnExceptions: true }) after ${formatMs(elapsed())}, in input order:`);
    results.forEach((result, i) => {
      const outcome = result instanceof Error ? `${describeError(result)}  (a value in its slot)` : `ok ${result.path}`;
      log(`  [${i}] ${shelves[i]?.name.padEnd(11)} ${outcome}`);
    });
    check(
      "the failure sits in its slot, the others hold their answers",
      results.length === 3 &&
        !(results[0] instanceof Error) &&
        results[1] instanceof HttpError &&
        results[1].status === 503 &&
        !(results[2] instanceof Error),
      results.map((result) => (result instanceof Error ? result.name : "ok")).join(", "),
    );

    // Without returnExceptions the first error rejects the gather; the other children keep running.
    elapsed = stopwatch();
    const tasks = shelves.map((shelf) => createTask(countShelf(shelf), { name: shelf.name }));
    let rejection: unknown;
    try {
      await gather(tasks);
    } catch (error) {
      if (isCancelledError(error)) throw error; // ours (Ctrl-C), not the gather's: go on up
      rejection = error;
    }
    const stillRunning = tasks.filter((task) => !task.done()).length;
    log(`gather(…) without it rejects after ${formatMs(elapsed())}: ${describeError(rejection)}`);
    log(`  ${stillRunning} lookup(s) still running — gather does not cancel them; awaiting them:`);
    const [fiction, rareBooks] = [await tasks[0], await tasks[2]];
    log(`  fiction ok ${fiction?.path}, rare books ok ${rareBooks?.path}`);
    check(
      "without returnExceptions the first error rejects the gather",
      rejection instanceof HttpError && rejection.status === 503,
      describeError(rejection),
    );
    check(
      "the other lookups were not cancelled",
      tasks[0]?.cancelled() === false && tasks[2]?.cancelled() === false && fiction !== undefined,
      "both finished with their answers",
    );

    await server.idle();
    const stats = server.stats();
    log(`server: ${formatCounts(stats)}`);
    check(
      "no request was cut off",
      stats.started === 6 && stats.completed === 6 && stats.aborted === 0,
      formatCounts(stats),
    );
    return check.results;
  },
};
