import { createTask, FIRST_COMPLETED, FIRST_EXCEPTION, type Task, wait } from "taskio";
import { getJson, HttpError } from "../client.js";
import { checklist, describeError, formatCounts, formatMs, type Scenario, stopwatch } from "../scenario.js";

interface Answer {
  path: string;
}

const mirrors = [
  { name: "mirror A", latency: 3_000 },
  { name: "mirror B", latency: 150 },
  { name: "mirror C", latency: 5_000 },
];

const renewals = [
  { name: "renew Beloved", latency: 5_000, status: 200 },
  { name: "renew Solaris", latency: 150, status: 409 },
  { name: "renew Ubik", latency: 5_000, status: 200 },
];

/** wait() returns (done, pending) at the moment you choose; it cancels nothing, so you decide what to stop. */
export const waitScenario: Scenario = {
  name: "wait",
  title: "wait with FIRST_COMPLETED and FIRST_EXCEPTION",
  story:
    "Three mirrors are asked for the same file: wait with FIRST_COMPLETED returns as soon as one answers, and the scenario cancels the other two. Then three renewals run: FIRST_EXCEPTION returns at the first refusal, and the scenario cancels the rest. wait itself cancels nothing: every cancellation in the rows is the scenario's own.",
  code: `const [done, pending] = await wait(mirrors, { returnWhen: FIRST_COMPLETED });
for (const task of pending) task.cancel();

const [failed, unfinished] = await wait(renewals, { returnWhen: FIRST_EXCEPTION });`,
  async run({ server, ms, log }) {
    const check = checklist();
    const names = (tasks: Iterable<Task<unknown>>) => [...tasks].map((task) => task.getName()).join(", ") || "none";

    // FIRST_COMPLETED: ask three mirrors, keep the first answer, stop the others.
    log("FIRST_COMPLETED: the same query to three mirrors; the first answer wins.");
    let elapsed = stopwatch();
    const queries = mirrors.map((mirror) => {
      const url = server.url(`/mirror/${mirror.name.at(-1)}`, { latency: ms(mirror.latency) });
      return createTask((signal) => getJson<Answer>(url, mirror.name, signal), { name: mirror.name });
    });
    const [answered, waiting] = await wait(queries, { returnWhen: FIRST_COMPLETED });
    const firstTook = elapsed();
    const winner = [...answered][0];
    log(`  after ${formatMs(firstTook)}: done = {${names(answered)}}, pending = {${names(waiting)}}`);
    const stillRunning = [...waiting].every((task) => !task.done());
    for (const task of waiting) task.cancel("another mirror answered");
    await wait(waiting);
    log(
      `  cancelled the pending ones: ${[...waiting].map((t) => `${t.getName()} ${t.cancelled() ? "cancelled" : "?"}`).join(", ")}`,
    );
    check(
      "FIRST_COMPLETED returned the fastest mirror alone",
      answered.size === 1 && winner?.getName() === "mirror B" && winner.result().path === "/mirror/B",
      `done {${names(answered)}} after ${formatMs(firstTook)}`,
    );
    check(
      "wait cancelled nothing: the others were still running until we cancelled them",
      waiting.size === 2 && stillRunning && [...waiting].every((task) => task.cancelled()),
      `pending {${names(waiting)}}`,
    );

    // FIRST_EXCEPTION: renew three books; stop at the first refusal.
    log("FIRST_EXCEPTION: renew three loans at once; stop at the first refusal.");
    elapsed = stopwatch();
    const renewing = renewals.map((renewal) => {
      const url = server.url("/renew", { latency: ms(renewal.latency), status: renewal.status, book: renewal.name });
      return createTask((signal) => getJson<Answer>(url, renewal.name, signal), { name: renewal.name });
    });
    const [failed, unfinished] = await wait(renewing, { returnWhen: FIRST_EXCEPTION });
    const failTook = elapsed();
    // wait() does not retrieve exceptions: read it, or the task reports "exception was never retrieved".
    const refusal = [...failed][0]?.exception();
    log(`  after ${formatMs(failTook)}: done = {${names(failed)}} with ${describeError(refusal)}`);
    for (const task of unfinished) task.cancel("a renewal was refused");
    await wait(unfinished);
    log(`  cancelled {${names(unfinished)}}`);
    check(
      "FIRST_EXCEPTION returned at the refusal, with its error",
      failed.size === 1 && refusal instanceof HttpError && refusal.status === 409 && failTook < ms(5_000),
      `done {${names(failed)}}: ${describeError(refusal)}`,
    );
    check(
      "the other renewals were cancelled",
      unfinished.size === 2 && [...unfinished].every((task) => task.cancelled()),
      `pending {${names(unfinished)}}`,
    );

    await server.idle();
    const stats = server.stats();
    log(`server: ${formatCounts(stats)}`);
    check(
      "the server saw the four stopped requests aborted",
      stats.started === 6 && stats.completed === 2 && stats.aborted === 4,
      formatCounts(stats),
    );
    return check.results;
  },
};
