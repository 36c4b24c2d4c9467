import { ExceptionGroup, isCancelledError, type Task, taskGroup } from "taskio";
import { getJson, HttpError } from "../client.js";
import { checklist, describeError, formatCounts, formatMs, type Scenario, stopwatch } from "../scenario.js";

const branches = [
  { name: "north branch", latency: 5_000, status: 200 },
  { name: "south branch", latency: 5_000, status: 200 },
  { name: "east branch", latency: 250, status: 500 },
];

/** Structured concurrency: one failure cancels the siblings, and the group reports every failure at once. */
export const taskGroupScenario: Scenario = {
  name: "taskgroup",
  title: "TaskGroup: one task fails, its siblings are cancelled",
  story:
    "Three branches sync their holdings in one TaskGroup. The east branch fails after 250 ms: the group cancels its two siblings at once (their requests are aborted on the server, their rows end cancelled) and throws an ExceptionGroup holding just the real failure, without waiting for the slow branches.",
  code: `await taskGroup((tg) => {
  for (const branch of branches)
    tg.createTask((signal) => sync(branch, signal), { name: branch.name });
}); // throws ExceptionGroup [HttpError: east branch: HTTP 500]`,
  async run({ server, ms, log }) {
    const check = checklist();
    const tasks: Task<unknown>[] = [];
    log("Three branches sync their holdings in one TaskGroup; the east branch fails after 250 ms.");
    const elapsed = stopwatch();
    let failure: unknown;
    try {
      await taskGroup((tg) => {
        for (const branch of branches) {
          const url = server.url(`/sync/${branch.name.split(" ")[0]}`, {
            latency: ms(branch.latency),
            status: branch.status,
          });
          tasks.push(tg.createTask((signal) => getJson(url, branch.name, signal), { name: branch.name }));
        }
      });
    } catch (error) {
      if (isCancelledError(error)) throw error; // ours (Ctrl-C): a group's own failure is an ExceptionGroup
      failure = error;
    }
    const took = elapsed();
    log(`the group ended after ${formatMs(took)} (the slow branches would take ${formatMs(ms(5_000))})`);
    if (failure instanceof ExceptionGroup) {
      log(`${describeError(failure)}`);
      for (const error of failure.exceptions) log(`  └─ ${describeError(error)}`);
    } else log(`unexpected outcome: ${describeError(failure)}`);
    log(`tasks: ${tasks.map((task) => `${task.getName()} ${task.cancelled() ? "cancelled" : "failed"}`).join(", ")}`);

    await server.idle();
    const stats = server.stats();
    log(`server: ${formatCounts(stats)}`);

    check(
      "the group raised an ExceptionGroup holding just the real failure",
      failure instanceof ExceptionGroup &&
        failure.exceptions.length === 1 &&
        failure.exceptions[0] instanceof HttpError &&
        failure.exceptions[0].status === 500,
      describeError(failure),
    );
    check(
      "the two siblings were cancelled",
      tasks.filter((task) => task.cancelled()).length === 2,
      tasks.map((task) => `${task.getName()}: ${task.cancelled() ? "cancelled" : "not cancelled"}`).join(", "),
    );
    check("the group did not wait for the slow branches", took < ms(5_000), formatMs(took));
    check(
      "the server saw both sibling requests aborted",
      stats.started === 3 && stats.completed === 1 && stats.aborted === 2,
      formatCounts(stats),
    );
    return check.results;
  },
};
