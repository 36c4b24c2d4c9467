import { asCompleted, createTask } from "taskio";
import { getJson } from "../client.js";
import { checklist, formatMs, type Scenario, stopwatch } from "../scenario.js";

interface Cover {
  path: string;
  title: string;
}

const books = [
  { title: "Dune", latency: 500 },
  { title: "Emma", latency: 100 },
  { title: "Ulysses", latency: 300 },
  { title: "Kindred", latency: 200 },
  { title: "Solaris", latency: 400 },
];

/** asCompleted hands you each result as soon as it is ready, not in the order you asked. */
export const asCompletedScenario: Scenario = {
  name: "as-completed",
  title: "asCompleted: streaming results as they finish",
  story:
    "Five covers are requested in one order and take 100 to 500 ms. asCompleted hands them back in the order they finish, so each is shown as soon as it arrives rather than after the slowest.",
  code: `const tasks = books.map((book) => createTask((signal) => cover(book, signal)));
for (const next of asCompleted(tasks)) show(await next);`,
  async run({ server, ms, log }) {
    const check = checklist();
    log(`Fetching five cover images, asked in the order ${books.map((book) => book.title).join(", ")}.`);
    const completionOrder: string[] = [];
    const elapsed = stopwatch();
    const tasks = books.map((book) => {
      const url = server.url("/covers", { latency: ms(book.latency), title: book.title });
      const task = createTask((signal) => getJson<Cover>(url, book.title, signal), { name: book.title });
      // Done-callbacks run in the order the tasks finish: the order asCompleted must follow.
      task.addDoneCallback(() => completionOrder.push(book.title));
      return task;
    });

    const arrived: string[] = [];
    let stillRunningAtFirst = 0;
    for (const next of asCompleted(tasks)) {
      const cover = await next;
      if (arrived.length === 0) stillRunningAtFirst = tasks.filter((task) => !task.done()).length;
      arrived.push(cover.title);
      log(`  ${formatMs(elapsed()).padStart(8)}  ${cover.title}`);
    }
    log(
      `first cover shown while ${stillRunningAtFirst} were still loading; a for…await over the list would have waited for Dune first`,
    );

    check("all five covers arrived", arrived.length === 5 && new Set(arrived).size === 5, arrived.join(", "));
    check(
      "they came in the order the requests finished",
      arrived.join() === completionOrder.join(),
      `arrived ${arrived.join(", ")}; finished ${completionOrder.join(", ")}`,
    );
    return check.results;
  },
};
