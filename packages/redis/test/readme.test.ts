import { createTask, sleep } from "@taskio/core";
import { readmeSnippets, runSnippet } from "@taskio/testkit";
import { describe, expect, it, test } from "vitest";
import type { RemoteQueue, RemoteSemaphore } from "../src/index.js";
import { queue, redisUrl, semaphore, unique, useRedis } from "./helpers.js";

useRedis();

/**
 * The README's ```ts test blocks run here, with the runner every other README uses, against the
 * test run's redis-server: they read its URL from REDIS_URL, as the examples say.
 */
describe("README snippets", () => {
  const snippets = readmeSnippets(new URL("../README.md", import.meta.url), "packages/redis/README");

  it("has snippets to run", () => {
    expect(snippets.length).toBeGreaterThan(1);
  });

  it.each(snippets.map((s, i) => [s.name, i] as const))("%s", async (_name, i) => {
    const snippet = snippets[i]!;
    const before = process.env.REDIS_URL;
    process.env.REDIS_URL = redisUrl;
    try {
      const printed = await runSnippet(snippet, new URL(`.snippets/snippet-${i}.ts`, import.meta.url));
      expect(printed).toEqual(snippet.expected);
    } finally {
      if (before === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = before;
    }
  });
});

test("the README's worker, on 2 machines of 10 workers each, shares a quota of 3 and processes every order", async () => {
  const names = { quota: unique("partner-api"), orders: unique("orders") };
  let calling = 0;
  let peak = 0;
  const processed: string[] = [];
  // A stand-in for the partner API: it records how many calls overlap.
  const callPartner = async (orderId: string) => {
    calling++;
    peak = Math.max(peak, calling);
    await sleep(2);
    calling--;
    processed.push(orderId);
  };

  function machine(quota: RemoteSemaphore, orders: RemoteQueue<{ orderId: string }>) {
    async function worker(): Promise<void> {
      for await (const order of orders) {
        await quota.run(() => callPartner(order.orderId));
        await orders.taskDone();
      }
    }
    return Array.from({ length: 10 }, () => createTask(worker));
  }

  const machines = [0, 1].map(() => ({
    quota: semaphore(names.quota, 3),
    orders: queue<{ orderId: string }>(names.orders),
  }));
  const workers = machines.flatMap(({ quota, orders }) => machine(quota, orders));
  const producer = queue<{ orderId: string }>(names.orders);
  for (let i = 0; i < 40; i++) await producer.put({ orderId: `order-${i}` });
  await producer.join();
  await producer.shutdown();
  await Promise.all(workers);
  expect(peak).toBeLessThanOrEqual(3);
  expect(processed.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `order-${i}`).sort());
  expect(await machines[0]!.quota.value()).toBe(3);
});
