import { createTask, currentTask, Event, isCancelledError, sleep, waitFor } from "taskio";
import { postJson } from "../client.js";
import { checklist, describeError, formatCounts, formatMs, outcomeOf, type Scenario, stopwatch } from "../scenario.js";

/** Cancelling a task aborts its request and runs its `finally`, which may still await. */
export const cancellation: Scenario = {
  name: "cancel",
  title: "cancellation with cleanup (finally runs)",
  story:
    "A patron downloads an e-book and presses stop 200 ms in. cancel() makes the pending fetch reject with the task's CancelledError; the catch block logs it and re-throws, and the finally block still awaits: it writes an audit record through waitFor, as a task of its own with a fresh signal and a time limit.",
  code: `const download = createTask(async (signal) => {
  try { return await fetchBook(signal); }
  finally { await waitFor((signal) => writeAudit(signal), 1_000); }
});
download.cancel("patron pressed stop");`,
  async run({ server, ms, log }) {
    const check = checklist();
    const steps: string[] = [];
    const step = (line: string) => {
      steps.push(line);
      log(`  ${line}`);
    };
    const underway = new Event();

    log("A patron downloads an e-book (5 s) and presses stop 200 ms after it started.");
    const download = createTask(
      async (signal) => {
        try {
          const response = await fetch(server.url("/ebook", { bytes: 50_000, chunks: 50, latency: ms(5_000) }), {
            signal,
          });
          step("download: the server is sending the book");
          underway.set();
          let received = 0;
          for await (const chunk of response.body as ReadableStream<Uint8Array>) received += chunk.byteLength;
          return received;
        } catch (error) {
          // Catching is fine; swallowing is not: a CancelledError must go on up.
          if (isCancelledError(error)) step(`download: caught ${describeError(error)} — re-throwing`);
          throw error;
        } finally {
          // Cleanup can still await taskio operations: the cancellation was delivered once, through
          // fetch. The audit write runs as its own task with a fresh signal (ours stays aborted),
          // and under a time limit, so cleanup can never hang.
          await waitFor((auditSignal) => {
            currentTask()?.setName("audit log (waitFor)");
            return postJson(server.url("/audit", { latency: ms(50) }), "audit log", { event: "stopped" }, auditSignal);
          }, ms(1_000));
          step("download: finally — partial file removed, audit log written");
        }
      },
      { name: "e-book download" },
    );
    await underway.wait();
    const elapsed = stopwatch();
    await sleep(ms(200));
    step(`patron: download.cancel("patron pressed stop") → ${download.cancel("patron pressed stop")}`);

    const ended = await outcomeOf(download);
    const took = elapsed();
    log(`the task ended ${formatMs(took)} after the download started: cancelled() = ${download.cancelled()}`);
    await server.idle();
    const stats = server.stats();
    const ebook = stats.byPath["/ebook"];
    const audit = stats.byPath["/audit"];
    log(`server: /ebook ${formatCounts(ebook)}; /audit ${formatCounts(audit)}`);

    check(
      "the task ended cancelled, with the message given to cancel()",
      ended.status === "cancelled" && ended.error.message === "patron pressed stop",
      ended.status === "fulfilled" ? "it finished" : describeError(ended.error),
    );
    check(
      "finally ran, and its await completed",
      steps.at(-1)?.startsWith("download: finally") === true,
      `${steps.length} steps, the last: ${steps.at(-1)}`,
    );
    check("cancellation did not wait for the 5 s download", took < ms(5_000), formatMs(took));
    check(
      "the server saw the download aborted and the audit write completed",
      ebook?.aborted === 1 && ebook.completed === 0 && audit?.completed === 1,
      `/ebook: ${formatCounts(ebook)}; /audit: ${formatCounts(audit)}`,
    );
    return check.results;
  },
};
