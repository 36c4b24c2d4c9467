import { createTask, type Future } from "@taskio/core";
import { cpuTime } from "@taskio/testkit";
import type { Redis } from "ioredis";
import { describe, expect, test } from "vitest";
import { callInChunks, IDS_PER_CALL } from "../src/chunks.js";
import { client, queue, queued, semaphore, unique, until, useRedis } from "./helpers.js";

useRedis();

// Each test makes tens of thousands of calls: on a loaded machine, answers and renewals can come
// later than the helpers' short leases and visibility timeouts, or the default 5 s call timeout, allow.
const patient = { connectTimeoutMs: 60_000, visibilityMs: 60_000 };
const patientSemaphore = { connectTimeoutMs: 60_000, leaseMs: 60_000 };

// Each operation of one instance costs the same however many others it has going: the waiting
// lines and the items not yet acknowledged are never scanned or shifted per operation. The old
// arrays made tens of thousands of them block the event loop for seconds.
describe("one instance with tens of thousands of operations going", () => {
  test("cancelling 50,000 waiting gets takes milliseconds, and the queue goes on", async () => {
    const q = queue<number>(unique("cancel-many"), patient);
    const gets: Future<number>[] = [];
    for (let i = 0; i < 50_000; i++) gets.push(q.get());
    const keep = q.get();
    const used = await cpuTime(() => {
      for (const get of gets) get.cancel();
    });
    // Generous for a loaded machine: it takes about 20 ms (a scan of the line per cancel: 5 s).
    expect(used).toBeLessThan(2_000);
    expect(String(q)).toMatch(/getters:1>$/);
    await q.put(7);
    expect(await keep).toBe(7);
    await q.taskDone();
  });

  test("50,000 items got by plain code and acknowledged by a task cost time linear in their number", async () => {
    const q = queue<number>(unique("ack-many"), patient);
    await Promise.all(Array.from({ length: 50_000 }, (_, i) => q.put(i)));
    const got = await Promise.all(Array.from({ length: 50_000 }, () => q.get()));
    expect(got.slice(0, 3)).toEqual([0, 1, 2]);
    const acks: Future<void>[] = [];
    // The task got none of them, so each taskDone() looks for its own item first, then takes the oldest.
    const used = await cpuTime(() =>
      createTask(() => {
        for (let i = 0; i < 50_000; i++) acks.push(q.taskDone());
      }),
    );
    // Generous for a loaded machine: sending the 50,000 calls takes about 1 s (a scan per call: 6.5 s).
    expect(used).toBeLessThan(3_000);
    await Promise.all(acks);
    await q.join();
  });

  test("a RemoteSemaphore takes and gives back 50,000 permits with acquire() and release()", async () => {
    const sem = semaphore(unique("release-many"), 50_000, patientSemaphore);
    await Promise.all(Array.from({ length: 50_000 }, () => sem.acquire()));
    expect(String(sem)).toMatch(/held:50000/);
    await Promise.all(Array.from({ length: 50_000 }, () => sem.release()));
    expect(await sem.value()).toBe(50_000);
  });
});

/**
 * A client that counts the calls written to it and not yet answered (ioredis's `sendCommand`), and
 * the most arguments one call carried.
 */
function countingClient(): {
  redis: Redis;
  written: () => number;
  awaiting: () => number;
  most: () => number;
  longest: () => number;
} {
  const redis = client();
  const send = redis.sendCommand.bind(redis);
  let written = 0;
  let awaiting = 0;
  let most = 0;
  let longest = 0;
  const answered = (): void => {
    awaiting--;
  };
  redis.sendCommand = ((command: Parameters<Redis["sendCommand"]>[0], stream?: unknown) => {
    written++;
    most = Math.max(most, ++awaiting);
    longest = Math.max(longest, command.args.length);
    command.promise.then(answered, answered);
    return send(command, stream as never);
  }) as Redis["sendCommand"];
  return { redis, written: () => written, awaiting: () => awaiting, most: () => most, longest: () => longest };
}

// An owned client gives up on a call `connectTimeoutMs` after writing it: written all at once, the
// last calls of a burst would time out while Redis still answered the first, and read as an outage.
// A renewal used to spread every id into one call: past ~125,000 that threw a RangeError, taken
// for Redis being unreachable, so no place in line was renewed again and none was ever served.
describe("renewing tens of thousands of places in line", () => {
  test("goes in calls of at most 10,000 ids, and the waiters keep their places", async () => {
    const name = unique("renew-many");
    const holder = semaphore(name, 1, patientSemaphore);
    await holder.acquire();
    const counting = countingClient();
    // Renewed every 3 s; a place not renewed for 9 s is dropped from the line (long enough for a
    // loaded machine).
    const sem = semaphore(name, 1, { redis: counting.redis, leaseMs: 9_000, connectTimeoutMs: 60_000 });
    const waiting = Array.from({ length: 15_000 }, () => sem.acquire());
    await until(async () => (await queued(counting.redis, name)) === 15_000);
    const renewed = counting.written();
    await until(() => counting.written() >= renewed + 2); // a renewal in two calls
    expect(counting.longest()).toBeLessThanOrEqual(IDS_PER_CALL + 16);
    expect(await queued(counting.redis, name)).toBe(15_000);
    await holder.release();
    await waiting[0];
    for (const call of waiting.slice(1)) call.cancel();
    await sem.release();
  });

  test("of a queue's unacknowledged items goes in calls of at most 10,000 ids", async () => {
    const name = unique("heartbeat-many");
    const counting = countingClient();
    const q = queue<number>(name, { ...patient, redis: counting.redis, visibilityMs: 6_000 });
    await Promise.all(Array.from({ length: 15_000 }, (_, i) => q.put(i)));
    await Promise.all(Array.from({ length: 15_000 }, () => q.get()));
    const got = counting.written();
    await until(() => counting.written() >= got + 2); // a heartbeat in two calls
    expect(counting.longest()).toBeLessThanOrEqual(IDS_PER_CALL + 16);
  });

  test("callInChunks splits ids into calls of at most IDS_PER_CALL and joins the replies in order", async () => {
    const ids = Array.from({ length: 2 * IDS_PER_CALL + 3 }, (_, i) => String(i));
    const sizes: number[] = [];
    const replies = await callInChunks(ids, async (chunk) => {
      sizes.push(chunk.length);
      return chunk.map(Number);
    });
    expect(sizes).toEqual([IDS_PER_CALL, IDS_PER_CALL, 3]);
    expect(replies).toEqual(ids.map(Number));
  });
});

describe("a burst of calls", () => {
  test("goes out at most a thousand calls at a time, and every call succeeds", async () => {
    const counting = countingClient();
    const sem = semaphore(unique("burst"), 20_000, { redis: counting.redis });
    expect(await sem.value()).toBe(20_000); // connected
    const outcomes = await Promise.allSettled(Array.from({ length: 20_000 }, () => sem.acquire()));
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    expect(counting.most()).toBeLessThanOrEqual(1_000);
    expect(await sem.value()).toBe(0);
    await Promise.all(Array.from({ length: 20_000 }, () => sem.release()));
    expect(await sem.value()).toBe(20_000);
    expect(counting.awaiting()).toBe(0);
  });

  test("is written once the code that made it has run, so a long loop does not time out its own first calls", async () => {
    const counting = countingClient();
    const sem = semaphore(unique("burst-later"), 10, { redis: counting.redis });
    await sem.value(); // connected
    const before = counting.written();
    const calls = Array.from({ length: 10 }, () => sem.acquire());
    expect(counting.written()).toBe(before);
    await Promise.all(calls);
    expect(counting.written()).toBeGreaterThanOrEqual(before + 10);
  });
});
