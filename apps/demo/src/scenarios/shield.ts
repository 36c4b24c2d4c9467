import { createTask, Event, shield, sleep, type Task } from "taskio";
import { answer } from "../client.js";
import { checklist, describeError, formatCounts, formatMs, outcomeOf, type Scenario, stopwatch } from "../scenario.js";

interface Attempt {
  request: Task<string>;
  save: Task<unknown>;
  requestEndedAfter: number;
  /** Whether the save was still running when the request had ended. */
  saveRunningThen: boolean;
}

const record = { patron: 1042, book: "Kindred", action: "checkout" };

/** shield keeps a critical write going when the request that started it is cancelled. */
export const shieldScenario: Scenario = {
  name: "shield",
  title: "shield protecting a critical save",
  story:
    "A checkout request saves its record (1 s), and the client disconnects 100 ms into the save. When the request awaits the save directly, the cancellation passes on to it: the save is aborted and the checkout lost. When it awaits shield(save), the request ends at once while the shielded save runs on to completion.",
  code: `const save = createTask((signal) => saveCheckout(record, signal));
const request = createTask(async () => {
  await shield(save); // the request's cancellation stops here
});
request.cancel("client disconnected"); // the save completes`,
  expectedMs: 1_100,
  async run({ server, ms, log, trace }) {
    const check = checklist();

    // The same request twice: it saves a checkout (1 s), and the client disconnects 100 ms into the save.
    const attempt = async (path: string, protect: boolean): Promise<Attempt> => {
      const saving = new Event();
      const save = createTask(
        async (signal) => {
          const response = await fetch(server.url(path, { latency: ms(1_000) }), {
            method: "POST",
            body: JSON.stringify(record),
            signal,
          });
          saving.set(); // the server has the record and is writing it
          return answer(response, "checkout save");
        },
        { name: protect ? "save (shielded)" : "save" },
      );
      const request = createTask(
        async () => {
          // Awaiting a task passes our cancellation on to it; awaiting shield(task) does not.
          await (protect ? shield(save) : save);
          return "saved";
        },
        { name: protect ? "request (shield)" : "request" },
      );
      if (protect) trace.note(save, "shielded");
      await saving.wait();
      const elapsed = stopwatch();
      await sleep(ms(100));
      request.cancel("client disconnected");
      await outcomeOf(request);
      const requestEndedAfter = elapsed();
      const saveRunningThen = !save.done();
      await outcomeOf(save);
      return { request, save, requestEndedAfter, saveRunningThen };
    };

    log("A checkout request saves its record (1 s); the client disconnects 100 ms into the save.");
    const plain = await attempt("/save/plain", false);
    log(
      `await save:          request ${state(plain.request)} after ${formatMs(plain.requestEndedAfter)}, ` +
        `save ${state(plain.save)}  ← the checkout is lost`,
    );
    const shielded = await attempt("/save/shielded", true);
    log(
      `await shield(save):  request ${state(shielded.request)} after ${formatMs(shielded.requestEndedAfter)}, ` +
        `save ${state(shielded.save)}`,
    );

    await server.idle();
    const { byPath } = server.stats();
    const lost = byPath["/save/plain"];
    const kept = byPath["/save/shielded"];
    log(`server: unshielded save ${formatCounts(lost)}; shielded save ${formatCounts(kept)}`);

    check(
      "both requests ended cancelled",
      plain.request.cancelled() && shielded.request.cancelled(),
      `${state(plain.request)}, ${state(shielded.request)}`,
    );
    check(
      "without shield the cancellation reached the save and aborted its request",
      plain.save.cancelled() && lost?.aborted === 1 && lost.completed === 0,
      `save ${state(plain.save)}; server: ${formatCounts(lost)}`,
    );
    check(
      "with shield the save finished and the server stored it",
      !shielded.save.cancelled() &&
        shielded.save.exception() === undefined &&
        kept?.completed === 1 &&
        kept.aborted === 0,
      `save ${state(shielded.save)}; server: ${formatCounts(kept)}`,
    );
    check(
      "the shielded request still ended at once, without waiting for the save",
      shielded.saveRunningThen,
      `ended after ${formatMs(shielded.requestEndedAfter)}, the save still running`,
    );
    return check.results;
  },
};

function state(task: Task<unknown>): string {
  if (!task.done()) return "pending";
  if (task.cancelled()) return "cancelled";
  const error = task.exception();
  return error === undefined ? "done" : `failed (${describeError(error)})`;
}
