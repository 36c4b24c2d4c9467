import { createTask, gather, now, Queue } from "taskio";
import { postJson } from "../client.js";
import { checklist, type Scenario } from "../scenario.js";

const returned = [
  "Beloved",
  "Dune",
  "Emma",
  "Kindred",
  "Middlemarch",
  "Neuromancer",
  "Solaris",
  "Ubik",
  "Ulysses",
  "Walden",
];
const shelverNames = ["Ada", "Basil", "Cleo"];

/** A bounded Queue between a fast producer and slow consumers: backpressure, join(), then shutdown(). */
export const queueScenario: Scenario = {
  name: "queue",
  title: "producer/consumer: bounded Queue, join and consumer shutdown",
  story:
    "A returns desk puts ten books on a cart that holds three; three shelvers take them off and " +
    "shelve each one (120 ms). When the cart is full the desk waits for room, and a shelver " +
    "with nothing to take waits for a book: the light parts of their rows. join() returns once " +
    "every book taken off the cart is shelved; shutdown() then ends the shelvers' loops.",
  code: `const cart = new Queue<string>({ maxsize: 3 });
const desk = createTask(async () => { for (const book of returned) await cart.put(book); });
const shelvers = names.map(() => createTask(async (signal) => {
  for await (const book of cart) {
    try { await shelve(book, signal); } finally { cart.taskDone(); }
  }
}));
await desk; await cart.join(); cart.shutdown(); await gather(shelvers);`,
  async run({ server, ms, log, trace }) {
    const check = checklist();
    const cart = new Queue<string>({ maxsize: 3 });
    let producerWaits = 0;
    let fullest = 0;
    const shelved: string[] = [];

    log(
      `The returns desk puts ${returned.length} books on a cart that holds 3; ${shelverNames.length} shelvers take them (120 ms each).`,
    );
    const desk = createTask(
      async () => {
        for (const title of returned) {
          // put() waits while the cart is full: the desk slows down to the shelvers' pace.
          if (cart.full()) {
            producerWaits++;
            const roomFound = trace.waiting("room on the cart");
            await cart.put(title);
            roomFound();
          } else await cart.put(title);
          fullest = Math.max(fullest, cart.qsize());
        }
      },
      { name: "returns desk" },
    );
    const shelvers = shelverNames.map((name) =>
      createTask(
        async (signal) => {
          let count = 0;
          let idleSince = now();
          // Ends when the cart is shut down and empty.
          for await (const title of cart) {
            trace.waited("a book on the cart", idleSince);
            try {
              await postJson(server.url("/shelve", { latency: ms(120) }), "shelve", { title, by: name }, signal);
              shelved.push(title);
              count++;
              log(`  ${name.padEnd(5)} shelved ${title.padEnd(11)} (cart ${cart.qsize()}/3)`);
            } finally {
              cart.taskDone();
              idleSince = now();
            }
          }
          trace.waited("a book on the cart", idleSince);
          return count;
        },
        { name: `shelver ${name}` },
      ),
    );

    await desk;
    await cart.join();
    const shelvedAtJoin = shelved.length;
    log(`join() returned: every book taken off the cart was shelved (${shelvedAtJoin}); shutting the cart down`);
    cart.shutdown();
    const counts = await gather(shelvers);
    log(
      `shelvers stopped: ${shelverNames.map((name, i) => `${name} ${counts[i]}`).join(", ")}; the desk waited ${producerWaits}× for room`,
    );

    await server.idle();
    const stats = server.stats();
    check(
      "every book was shelved exactly once",
      shelved.length === returned.length && [...shelved].sort().join() === [...returned].sort().join(),
      `${shelved.length} of ${returned.length}`,
    );
    check("the cart never held more than 3 books", fullest <= 3, `at most ${fullest}`);
    check("the full cart made the desk wait (backpressure)", producerWaits > 0, `${producerWaits} waits`);
    check(
      "join() returned only after the last taskDone()",
      shelvedAtJoin === returned.length,
      `${shelvedAtJoin} shelved at join`,
    );
    check(
      "shutdown() ended every shelver's loop normally",
      shelvers.every((task) => task.done() && !task.cancelled()) &&
        counts.reduce((a, b) => a + b, 0) === returned.length,
      counts.join(" + "),
    );
    check("the server stored every shelving", stats.completed === returned.length, `${stats.completed} completed`);
    return check.results;
  },
};
