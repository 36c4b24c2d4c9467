import { createTask, sleep } from "@taskio/core";
import { expectCancelled, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue } from "../src/index.js";
import { waiters } from "./helpers.js";

describe("for await (const item of queue)", () => {
  it("yields items until the queue is shut down and drained", async () => {
    const q = new Queue<number>();
    const seen: number[] = [];
    const consumer = createTask(async () => {
      for await (const n of q) seen.push(n);
      return "ended";
    });
    for (let i = 0; i < 3; i++) {
      await q.put(i);
      await sleep(10);
    }
    q.putNowait(3);
    q.putNowait(4);
    q.shutdown();
    expect(await consumer).toBe("ended");
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("ends at once after an immediate shutdown, dropping what was queued", async () => {
    const q = new LifoQueue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const seen: number[] = [];
    const consumer = createTask(async () => {
      for await (const n of q) {
        seen.push(n);
        q.shutdown(true);
      }
    });
    await consumer;
    expect(seen).toEqual([2]);
  });

  it("does not call taskDone(): join() waits for the consumer's", async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const consumer = createTask(async () => {
      for await (const _ of q) {
        await sleep(5);
        q.taskDone();
      }
    });
    await q.join();
    expect(q.qsize()).toBe(0);
    q.shutdown();
    await consumer;
  });

  it("cancelling the consuming task cancels its pending get and leaves no getter", async () => {
    const q = new Queue<number>();
    const consumer = createTask(async () => {
      for await (const _ of q) {
        // nothing
      }
    });
    await tick();
    expect(waiters(q).getters).toBe(1);
    consumer.cancel();
    await expectCancelled(consumer);
    expect(waiters(q).getters).toBe(0);
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });

  it("a consumer woken with an item and then cancelled still processes that item", async () => {
    const q = new Queue<number>();
    const seen: number[] = [];
    const consumer = createTask(async () => {
      for await (const n of q) seen.push(n);
    });
    await tick();
    q.putNowait(7);
    consumer.cancel();
    await expectCancelled(consumer);
    expect(seen).toEqual([7]);
    expect(q.qsize()).toBe(0);
  });

  it("break ends the loop without taking another item", async () => {
    const q = new Queue<number>();
    for (const n of [1, 2, 3]) q.putNowait(n);
    const first = await createTask(async () => {
      for await (const n of q) return n;
      return -1;
    });
    expect(first).toBe(1);
    expect(q.qsize()).toBe(2);
    const it = q[Symbol.asyncIterator]();
    expect(await it.return?.()).toEqual({ done: true, value: undefined });
  });

  it("rethrows errors other than QueueShutDown", async () => {
    let broken = false;
    const q = new PriorityQueue<number>({
      compare: (a, b) => {
        if (broken) throw new Error("compare broke");
        return a - b;
      },
    });
    for (const n of [3, 1, 2, 5, 4]) q.putNowait(n);
    const iterator = q[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    broken = true;
    await expect(iterator.next()).rejects.toThrow("compare broke");
    broken = false;
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
  });
});
