import { createTask, sleep } from "@taskio/core";
import { expect, test } from "vitest";
import type { RemoteQueue, RemoteSemaphore } from "../src/index.js";
import { queue, semaphore, unique, useRedis } from "./helpers.js";

useRedis();

test("README: 10 workers on each of 2 machines share a quota of 3 and process every order", async () => {
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
        try {
          await quota.run(() => callPartner(order.orderId));
        } finally {
          await orders.taskDone();
        }
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
