import { createTask } from "taskio";
import { getJson } from "../client.js";
import { checklist, formatMs, type Scenario, stopwatch } from "../scenario.js";

interface Availability {
  path: string;
  title: string;
}

const title = "The Left Hand of Darkness";
const sources = [
  { name: "main catalog", path: "/catalog", latency: 500 },
  { name: "reserves", path: "/reserves", latency: 300 },
  { name: "inter-library loan", path: "/inter-library-loan", latency: 700 },
];

/** asyncio's first lesson: three awaits in a row take the sum of their latencies; three tasks take the longest. */
export const concurrent: Scenario = {
  name: "concurrent",
  title: "sequential vs concurrent inventory check",
  expectedMs: 2_200,
  story:
    "Is a title on the shelf? Three sources answer in 500, 300 and 700 ms. Awaiting them one after " +
    "another takes the sum, 1.5 s: each lookup starts only when the previous one has answered (the " +
    "three rows in a staircase). Creating three tasks first starts all three requests at once, so " +
    "awaiting them takes only as long as the slowest, 0.7 s (three rows side by side).",
  code: `// sequential: 1.5 s
for (const source of sources) answers.push(await lookup(source));

// concurrent: 0.7 s
const tasks = sources.map((source) => createTask((signal) => lookup(source, signal)));
for (const task of tasks) answers.push(await task);`,
  async run({ server, ms, slack, log, trace }) {
    const check = checklist();
    const lookup = (source: (typeof sources)[number], signal?: AbortSignal) =>
      getJson<Availability>(server.url(source.path, { latency: ms(source.latency), title }), source.name, signal);
    const sum = sources.reduce((total, source) => total + ms(source.latency), 0);
    const slowest = Math.max(...sources.map((source) => ms(source.latency)));

    log(`Is "${title}" on the shelf? ${sources.map((s) => `${s.name} ${formatMs(ms(s.latency))}`).join(", ")}.`);

    // Sequential: each await finishes before the next request starts.
    server.reset();
    let elapsed = stopwatch();
    const oneByOne: Availability[] = [];
    for (const source of sources) oneByOne.push(await trace.step(`await ${source.name}`, () => lookup(source)));
    const sequential = elapsed();
    await server.idle();
    const sequentialPeak = server.stats().maxInFlight;
    log(`sequential  for (…) await lookup(source)          ${formatMs(sequential).padStart(9)}`);

    // Concurrent: three tasks start at once, then we wait for each.
    server.reset();
    elapsed = stopwatch();
    const tasks = sources.map((source) =>
      createTask(async (signal) => lookup(source, signal), { name: `lookup ${source.name}` }),
    );
    const together: Availability[] = [];
    for (const task of tasks) together.push(await task);
    const concurrent = elapsed();
    await server.idle();
    const concurrentPeak = server.stats().maxInFlight;
    log(`concurrent  createTask(lookup) × 3, then await  ${formatMs(concurrent).padStart(9)}`);
    log(
      `→ ${(sequential / concurrent).toFixed(1)}× faster: the server saw ${sequentialPeak} request at a time, ` +
        `then ${concurrentPeak} at once`,
    );

    check(
      "every source answered, both ways",
      oneByOne.length === 3 && together.every((answer, i) => answer.path === sources[i]?.path),
      `${oneByOne.length} + ${together.length} answers`,
    );
    // Timers may fire up to 1 ms early on Node's millisecond clock: allow that much per request.
    check(
      "sequential takes the sum of the latencies",
      sequential >= sum - sources.length,
      `${formatMs(sequential)} ≥ ${formatMs(sum)}`,
    );
    check(
      "concurrent takes the slowest latency, not the sum",
      concurrent >= slowest - 1 && concurrent <= slowest + slack,
      `${formatMs(slowest)} ≤ ${formatMs(concurrent)} ≤ ${formatMs(slowest)} + ${formatMs(slack)} of overhead`,
    );
    check(
      "the server saw 1 request at a time, then 3 at once",
      sequentialPeak === 1 && concurrentPeak === 3,
      `peaks ${sequentialPeak} and ${concurrentPeak}`,
    );
    return check.results;
  },
};
