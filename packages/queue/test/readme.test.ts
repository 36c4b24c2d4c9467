import { type Coroutine, createTask, now, run, sleep } from "@taskio/core";
import { expect, it } from "vitest";
import { Queue, QueueShutDown } from "../src/index.js";

it("the README's producer/worker example processes every item, then ends", async () => {
  const done: string[] = [];
  await run(async () => {
    const q = new Queue<string>({ maxsize: 10 });
    const workers = [1, 2, 3].map((n) =>
      createTask(async () => {
        for await (const url of q) {
          try {
            await sleep(100);
            done.push(`worker ${n} did ${url}`);
          } finally {
            q.taskDone();
          }
        }
      }),
    );
    for (let i = 0; i < 20; i++) await q.put(`https://example.com/${i}`);
    await q.join();
    q.shutdown();
    await Promise.all(workers);
  });
  expect(done).toHaveLength(20);
  expect(new Set(done.map((line) => line.split(" did ")[1])).size).toBe(20);
  expect(now()).toBe(700); // 20 items, 3 workers, 100 ms each: 7 rounds
});

it("the README's generator worker stops at QueueShutDown", async () => {
  const handled: string[] = [];
  function* handle(url: string): Coroutine<void> {
    yield* sleep(10);
    handled.push(url);
  }
  function* worker(q: Queue<string>): Coroutine<void> {
    for (;;) {
      let url: string;
      try {
        url = yield* q.get();
      } catch (e) {
        if (e instanceof QueueShutDown) return;
        throw e;
      }
      try {
        yield* handle(url);
      } finally {
        q.taskDone();
      }
    }
  }
  const q = new Queue<string>();
  const w = createTask(worker(q));
  for (const url of ["a", "b", "c"]) q.putNowait(url);
  await q.join();
  q.shutdown();
  await w;
  expect(handled).toEqual(["a", "b", "c"]);
});
