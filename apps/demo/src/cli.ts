import { createTask, now, sleep } from "taskio";

/** Looks a title up in one source; the latency stands in for a network call. */
async function lookup(source: string, ms: number): Promise<string> {
  await sleep(ms);
  return `${source}: found`;
}

const sources: [string, number][] = [
  ["main catalog", 300],
  ["reserves", 300],
  ["inter-library loan", 300],
];

let start = now();
for (const [source, ms] of sources) await lookup(source, ms);
const sequential = now() - start;

start = now();
const tasks = sources.map(([source, ms]) => createTask(() => lookup(source, ms)));
for (const task of tasks) await task;
const concurrent = now() - start;

console.log(`sequential: ${Math.round(sequential)} ms, concurrent: ${Math.round(concurrent)} ms`);
if (!(concurrent < sequential / 2)) {
  console.error("check failed: the concurrent lookups should take about a third of the sequential time");
  process.exit(1);
}
