import { currentTask, isCancelledError, TimeoutError, timeout, waitFor } from "taskio";
import { getJson } from "../client.js";
import { checklist, describeError, formatCounts, formatMs, type Scenario, stopwatch } from "../scenario.js";

interface Answer {
  path: string;
}

/** waitFor and timeout cancel what they cut off: the slow request is really aborted, then TimeoutError. */
export const timeoutsScenario: Scenario = {
  name: "timeout",
  title: "waitFor time-out (and the timeout scope)",
  story:
    "Each lookup gets a 500 ms budget. The union catalog takes 5 s: waitFor cancels its task at the deadline, waits until the request has really stopped, then throws TimeoutError. The local catalog answers in time and waitFor returns its answer. timeout() does the same for a block of code, as a scope whose signal the fetch takes.",
  code: `await waitFor((signal) => lookup(unionCatalog, signal), 500); // TimeoutError
await waitFor((signal) => lookup(localCatalog, signal), 500);  // the answer
await timeout(500, (scope) => fetch(url, { signal: scope.signal }));`,
  expectedMs: 1_000,
  async run({ server, ms, log }) {
    const check = checklist();
    const limit = ms(500);
    log("A 500 ms budget for each lookup; the union catalog takes 5 s, the local one 20 ms.");

    // waitFor(aw, ms): cancels aw at the deadline, waits until it has finished, then throws TimeoutError.
    let elapsed = stopwatch();
    const slow = await attempt(() =>
      waitFor((signal) => {
        // waitFor runs its body as a task of its own: named here, so the timeline says which.
        currentTask()?.setName("union catalog (waitFor)");
        return getJson<Answer>(server.url("/union-catalog", { latency: ms(5_000) }), "union", signal);
      }, limit),
    );
    const slowTook = elapsed();
    log(`waitFor(union catalog, 500)  ${formatMs(slowTook).padStart(7)}  → ${describeError(slow)}`);

    elapsed = stopwatch();
    const fast = await attempt(() =>
      waitFor((signal) => {
        currentTask()?.setName("local catalog (waitFor)");
        return getJson<Answer>(server.url("/local-catalog", { latency: ms(20) }), "local", signal);
      }, limit),
    );
    const fastTook = elapsed();
    log(
      `waitFor(local catalog, 500)  ${formatMs(fastTook).padStart(7)}  → ${fast instanceof Error ? describeError(fast) : `ok ${fast.path}`}`,
    );

    // timeout(ms, scope => …): the scope form of asyncio.timeout; foreign work takes scope.signal.
    elapsed = stopwatch();
    const scoped = await attempt(() =>
      timeout(limit, async (scope) => {
        // timeout() runs its body as a task of its own: named here, so the timeline says which.
        currentTask()?.setName("union catalog (timeout scope)");
        const response = await fetch(server.url("/union-catalog/scoped", { latency: ms(5_000) }), {
          signal: scope.signal,
        });
        return (await response.json()) as Answer;
      }),
    );
    const scopedTook = elapsed();
    const cause = scoped instanceof Error ? scoped.cause : undefined;
    log(`timeout(500, scope => fetch(…, { signal: scope.signal }))  ${formatMs(scopedTook)}`);
    log(`  → ${describeError(scoped)}, caused by the scope's own ${describeError(cause)}`);

    await server.idle();
    const stats = server.stats();
    log(`server: ${formatCounts(stats)} (the two cut-off requests)`);

    check(
      "waitFor threw TimeoutError at the deadline",
      slow instanceof TimeoutError && slowTook >= limit - 1 && slowTook < ms(5_000),
      `${describeError(slow)} at ${formatMs(slowTook)}`,
    );
    check(
      "waitFor returned the fast answer",
      !(fast instanceof Error) && fast.path === "/local-catalog",
      JSON.stringify(fast),
    );
    check(
      "timeout() threw TimeoutError caused by its own cancellation",
      scoped instanceof TimeoutError &&
        cause instanceof Error &&
        cause.name === "CancelledError" &&
        scopedTook < ms(5_000),
      `${describeError(scoped)}, cause ${describeError(cause)}`,
    );
    check(
      "both slow requests were aborted on the server; the fast one completed",
      stats.started === 3 && stats.aborted === 2 && stats.byPath["/local-catalog"]?.completed === 1,
      formatCounts(stats),
    );
    return check.results;
  },
};

/** The value, or the error it threw (the scenario prints and checks both); cancellation is re-thrown. */
async function attempt<T>(work: () => PromiseLike<T>): Promise<T | Error> {
  try {
    return await work();
  } catch (error) {
    // A cancellation from outside (Ctrl-C) must go on up, never become a result.
    if (isCancelledError(error)) throw error;
    return error instanceof Error ? error : new Error(String(error));
  }
}
