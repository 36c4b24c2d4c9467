import { createTask, sleep } from "@taskio/core";
import { expectCancelled, timeline } from "@taskio/testkit";
import { expect, it } from "vitest";
import { RateLimiter, Semaphore } from "../src/index.js";

/** fetch() stand-in on the virtual clock: 100 ms per request, rejects with signal.reason when aborted. */
function fakeFetch(url: string, { signal }: { signal: AbortSignal }) {
  return new Promise<{ text(): Promise<string> }>((resolve, reject) => {
    const timer = sleep(100);
    timer.addDoneCallback(() => {
      if (!timer.cancelled()) resolve({ text: async () => `body of ${url}` });
    });
    signal.addEventListener("abort", () => {
      timer.cancel();
      reject(signal.reason);
    });
  });
}

function setup() {
  const tl = timeline();
  const sem = new Semaphore(4);
  const rate = new RateLimiter({ limit: 10, interval: 1000 });
  let running = 0;
  async function download(url: string): Promise<string> {
    await rate.acquire();
    return sem.run(async (signal) => {
      running++;
      tl.log(`start ${url} (${running} running)`);
      try {
        const res = await fakeFetch(url, { signal });
        return res.text();
      } finally {
        running--;
      }
    });
  }
  return { tl, sem, download };
}

it("the README example: 4 at once, 10 per second", async () => {
  const { tl, sem, download } = setup();
  const urls = Array.from({ length: 12 }, (_, i) => `u${i}`);
  const bodies = await createTask(() => Promise.all(urls.map(download)));
  expect(bodies).toEqual(urls.map((u) => `body of ${u}`));
  expect(tl.stamped()).toEqual([
    "start u0 (1 running)@0",
    "start u1 (2 running)@0",
    "start u2 (3 running)@0",
    "start u3 (4 running)@0",
    "start u4 (4 running)@100",
    "start u5 (4 running)@100",
    "start u6 (4 running)@100",
    "start u7 (4 running)@100",
    "start u8 (4 running)@200",
    "start u9 (4 running)@200",
    "start u10 (1 running)@1000",
    "start u11 (2 running)@1000",
  ]);
  expect(sem.value).toBe(4);
});

it("the README example: cancelling the job cancels the downloads in flight and the queued ones", async () => {
  const { tl, sem, download } = setup();
  const job = createTask(() => Promise.all(["a", "b", "c", "d", "e", "f"].map(download)));
  await sleep(50);
  job.cancel();
  await expectCancelled(job);
  await sleep(1000);
  expect(tl.labels()).toEqual([
    "start a (1 running)",
    "start b (2 running)",
    "start c (3 running)",
    "start d (4 running)",
  ]);
  expect(sem.value).toBe(4);
  expect(sem.locked()).toBe(false);
});
