import { currentTask, gather, Semaphore } from "taskio";
import { getJson } from "../client.js";
import { checklist, formatMs, type Scenario, stopwatch } from "../scenario.js";

const LIMIT = 3;
const THUMBNAILS = 12;

/** A Semaphore caps how many requests are in flight, whatever the number of tasks. */
export const semaphoreScenario: Scenario = {
  name: "semaphore",
  title: "rate-limited fetching with a Semaphore",
  limit: LIMIT,
  story:
    "Twelve thumbnails to fetch, but the server should see at most three requests at a time. " +
    "Every request is a task from the start (gather runs each function as a task); sem.run() makes each wait for one of the three " +
    "permits (the light part of its row), run its body while holding it, and give it back " +
    "however the body ends. The in-flight row stays at the limit: four rounds of 150 ms.",
  code: `const sem = new Semaphore(3);
const thumbnails = await gather(
  ids.map((id) => () => sem.run((signal) => fetch(thumbnailUrl(id), { signal }))),
);`,
  async run({ server, ms, log, trace }) {
    const check = checklist();
    const permits = new Semaphore(LIMIT);
    let active = 0;
    let peak = 0;
    const inFlightAtStart: number[] = [];

    log(`${THUMBNAILS} thumbnails (150 ms each), at most ${LIMIT} requests at a time: sem.run(fetch) × ${THUMBNAILS}.`);
    const elapsed = stopwatch();
    // The twelve calls queue for a permit at once: the timeline shows them waiting from the start.
    const enqueued = trace.queued("a permit");
    const fetching = gather(
      // A function per thumbnail: gather runs each as a task, which waits in sem.run() for a permit.
      Array.from(
        { length: THUMBNAILS },
        (_, id) => () =>
          // run(): acquire a permit, run the body inline in this task, release the permit whatever happens.
          permits.run(async (signal) => {
            // It holds a permit from here: named, and no longer waiting on the timeline.
            currentTask()?.setName(`thumbnail ${id}`);
            trace.waited("a permit");
            const release = trace.holding();
            active++;
            peak = Math.max(peak, active);
            inFlightAtStart.push(active);
            try {
              return await getJson(server.url("/thumbnails", { latency: ms(150), id }), `thumbnail ${id}`, signal);
            } finally {
              active--;
              release();
            }
          }),
      ),
    );
    enqueued();
    const thumbnails = await fetching;
    const took = elapsed();
    await server.idle();
    const stats = server.stats();
    const waves = Math.ceil(THUMBNAILS / LIMIT);
    log(`in flight as each request started: ${inFlightAtStart.join(" ")}`);
    log(`max concurrency observed: ${peak} in the client, ${stats.maxInFlight} on the server (limit ${LIMIT})`);
    log(`${formatMs(took)} ≈ ${waves} waves × ${formatMs(ms(150))} (unlimited: 1 wave; one at a time: ${THUMBNAILS})`);

    check(
      "all thumbnails arrived",
      thumbnails.length === THUMBNAILS && stats.completed === THUMBNAILS,
      `${stats.completed} completed`,
    );
    check("the client never ran more than the limit, and used it", peak === LIMIT, `peak ${peak}`);
    check("the server never saw more than the limit", stats.maxInFlight <= LIMIT, `peak ${stats.maxInFlight}`);
    check("every permit came back", permits.value === LIMIT && !permits.locked(), `value ${permits.value}`);
    check(
      `${LIMIT} permits made the ${THUMBNAILS} requests take at least ${waves} rounds`,
      took >= waves * ms(150) - waves,
      `${formatMs(took)} ≥ ${formatMs(waves * ms(150))}`,
    );
    return check.results;
  },
};
