import { createTask, InvalidStateError, sleep } from "@taskio/core";
import { QueueShutDown } from "@taskio/queue";
import { expectCancelled, outcome } from "@taskio/testkit";
import { describe, expect, test } from "vitest";
import { RemoteQueue, RemoteQueueShutDown } from "../src/index.js";
import { client, crash, queue, redisUrl, unique, until, useRedis } from "./helpers.js";

useRedis();

describe("put, get, taskDone, join across processes", () => {
  test("items put by one instance are got by another, in FIFO order", async () => {
    const name = unique("fifo");
    const producer = queue<{ n: number }>(name);
    const consumer = queue<{ n: number }>(name);
    for (let n = 0; n < 5; n++) await producer.put({ n });
    expect(await consumer.qsize()).toBe(5);
    const got = [];
    for (let n = 0; n < 5; n++) got.push((await consumer.get()).n);
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(await producer.qsize()).toBe(0);
    expect(await producer.empty()).toBe(true);
  });

  test("a waiting get is woken by a put from another instance", async () => {
    const name = unique("wake");
    const producer = queue<string>(name);
    const consumer = queue<string>(name);
    const got = consumer.get();
    await sleep(20);
    expect(got.done()).toBe(false);
    await producer.put("hello");
    expect(await got).toBe("hello");
  });

  test("join() waits until every item put anywhere was acknowledged", async () => {
    const name = unique("join");
    const producer = queue<number>(name);
    const workers = [queue<number>(name), queue<number>(name)];
    for (let n = 0; n < 6; n++) await producer.put(n);
    const joined = producer.join();
    const seen: number[] = [];
    const runs = workers.map((q) =>
      createTask(async () => {
        for (let i = 0; i < 3; i++) {
          seen.push(await q.get());
          await sleep(5);
          expect(joined.done()).toBe(false);
          await q.taskDone();
        }
      }),
    );
    await Promise.all(runs);
    await joined;
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await client().xlen(`taskio:queue:{${name}}:stream`)).toBe(0);
  });

  test("join() elsewhere is woken at once when a put taken back leaves the queue empty", async () => {
    const name = unique("join-retract");
    // Re-checked every 20 s: only a message wakes the join in time.
    const a = queue<string>(name, { visibilityMs: 60_000 });
    const b = queue<string>(name, { visibilityMs: 60_000 });
    await a.put("Y");
    await a.get();
    const joined = b.join();
    await sleep(100);
    const put = a.put("Z"); // written, then taken back when its reply comes
    put.cancel();
    await a.taskDone(); // Y: "Z" is still in the stream, so no "empty" yet
    const started = performance.now();
    await joined;
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test("join() on an empty queue resolves; it can be cancelled", async () => {
    const q = queue<number>(unique("joinempty"));
    await q.join();
    await q.put(1);
    const joined = q.join();
    joined.cancel();
    expect(joined.cancelled()).toBe(true);
    await q.get();
    await q.taskDone();
    await q.join();
  });

  test("taskDone() acknowledges the calling task's own item", async () => {
    const name = unique("own");
    const q = queue<string>(name);
    const redis = client();
    await q.put("slow");
    await q.put("fast");
    const ready = { slow: false };
    const slow = createTask(async () => {
      await q.get();
      await until(() => ready.slow);
      await q.taskDone();
    });
    const fast = createTask(async () => {
      await q.get();
      await q.taskDone(); // acknowledges "fast", not the older "slow"
    });
    await fast;
    const left = await redis.xrange(`taskio:queue:{${name}}:stream`, "-", "+");
    expect(left.map(([, fields]) => fields[1])).toEqual([JSON.stringify("slow")]);
    ready.slow = true;
    await slow;
    await q.join();
  });

  test("taskDone() more times than items got is a RangeError", async () => {
    const q = queue<number>(unique("toomany"));
    expect(() => q.taskDone()).toThrow(RangeError);
    await q.put(1);
    await q.get();
    await q.taskDone();
    expect(() => q.taskDone()).toThrow(/called more times/);
  });

  test("for await drains the queue and ends at shutdown", async () => {
    const name = unique("iter");
    const producer = queue<number>(name);
    const consumer = queue<number>(name);
    for (let n = 0; n < 3; n++) await producer.put(n);
    await producer.shutdown();
    const got: number[] = [];
    for await (const n of consumer) {
      got.push(n);
      await consumer.taskDone();
    }
    expect(got).toEqual([0, 1, 2]);
  });

  test("a custom codec stores what JSON cannot", async () => {
    const q = queue<bigint>(unique("codec"), {
      codec: { encode: (n) => n.toString(), decode: (text) => BigInt(text) },
    });
    await q.put(2n ** 70n);
    expect(await q.get()).toBe(2n ** 70n);
  });
});

describe("maxsize", () => {
  test("put waits while full and is let through by a get on another instance", async () => {
    const name = unique("bounded");
    const producer = queue<number>(name, { maxsize: 2 });
    const consumer = queue<number>(name, { maxsize: 2 });
    await producer.put(1);
    await producer.put(2);
    expect(await producer.full()).toBe(true);
    const third = producer.put(3);
    await sleep(30);
    expect(third.done()).toBe(false);
    expect(await consumer.get()).toBe(1);
    await third;
    expect(await consumer.qsize()).toBe(2);
    expect(await consumer.get()).toBe(2);
    expect(await consumer.get()).toBe(3);
  });

  test("waiting puts of one instance go in FIFO order", async () => {
    const name = unique("putfifo");
    const producer = queue<number>(name, { maxsize: 1 });
    const consumer = queue<number>(name, { maxsize: 1 });
    await producer.put(0);
    const puts = [1, 2, 3].map((n) => producer.put(n));
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await consumer.get());
    await Promise.all(puts);
    expect(got).toEqual([0, 1, 2, 3]);
  });

  test("aborting a put that waits for room withdraws it: its item never arrives", async () => {
    const name = unique("abortput");
    const q = queue<string>(name, { maxsize: 1 });
    await q.put("a");
    const controller = new AbortController();
    const waiting = q.put("b", { signal: controller.signal });
    await sleep(20);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(await q.get()).toBe("a");
    await q.put("c");
    expect(await q.get()).toBe("c");
    expect(await q.qsize()).toBe(0);
  });
});

describe("cancellation takes nothing and leaves nothing", () => {
  test("a cancelled waiting get leaves the next item to the next getter", async () => {
    const name = unique("cancelget");
    const producer = queue<string>(name);
    const consumer = queue<string>(name);
    const first = consumer.get();
    await sleep(20);
    first.cancel();
    await producer.put("x");
    expect(await consumer.get()).toBe("x");
  });

  test.each(["generator", "async"] as const)("a %s task cancelled in get() takes no item", async (form) => {
    const name = unique("taskget");
    const q = queue<string>(name);
    const task =
      form === "generator"
        ? createTask(function* () {
            return yield* q.get();
          })
        : createTask(async () => await q.get());
    await sleep(20);
    task.cancel();
    await expectCancelled(task);
    await q.put("kept");
    expect(await q.get()).toBe("kept");
  });

  test("a get cancelled while its claim is in flight puts the item back (50 rounds)", async () => {
    const name = unique("getrace");
    const q = queue<number>(name);
    const other = queue<number>(name);
    for (let round = 0; round < 50; round++) {
      await q.put(round);
      const got = q.get();
      if (round % 2) await sleep(0);
      got.cancel();
      if (got.cancelled()) expect(await other.get()).toBe(round);
      else {
        expect(got.result()).toBe(round);
      }
      await (got.cancelled() ? other : q).taskDone();
    }
    await q.join();
  });

  test("a put cancelled while its write is in flight is taken back (50 rounds)", async () => {
    const name = unique("putrace");
    const q = queue<number>(name);
    let kept = 0;
    for (let round = 0; round < 50; round++) {
      const put = q.put(round);
      if (round % 2) await sleep(0);
      put.cancel();
      if (!put.cancelled()) kept++;
    }
    await until(async () => (await q.qsize()) === kept);
    await sleep(20);
    expect(await q.qsize()).toBe(kept);
  });

  test("a signal already aborted rejects at once", async () => {
    const q = queue<number>(unique("preaborted"));
    const reason = new Error("no");
    await expect(q.get({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(q.put(1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await q.qsize()).toBe(0);
  });
});

describe("at-least-once delivery", () => {
  test("an item got by a consumer that dies is delivered again after the visibility timeout", async () => {
    const name = unique("redeliver");
    const producer = queue<string>(name);
    const dying = queue<string>(name, { visibilityMs: 300 });
    const survivor = queue<string>(name, { visibilityMs: 3_000 });
    await producer.put("job");
    expect(await dying.get()).toBe("job");
    crash(dying);
    const start = performance.now();
    expect(await survivor.get()).toBe("job");
    expect(performance.now() - start).toBeGreaterThan(200);
    await survivor.taskDone();
    await producer.join();
  });

  test("a live consumer keeps its item past the visibility timeout (heartbeats)", async () => {
    const name = unique("heartbeat");
    // A visibility timeout long enough that a loaded machine sends each heartbeat in time.
    const slow = queue<string>(name, { visibilityMs: 1_500 });
    const other = queue<string>(name, { visibilityMs: 1_500 });
    await slow.put("job");
    expect(await slow.get()).toBe("job");
    const stolen = other.get();
    await sleep(6_000);
    expect(stolen.done()).toBe(false);
    stolen.cancel();
    await slow.taskDone();
    await slow.join();
  });
});

describe("shutdown", () => {
  test("puts reject at once; gets drain then reject; waiting gets are woken with the error", async () => {
    const name = unique("shutdown");
    const a = queue<number>(name);
    const b = queue<number>(name);
    const c = queue<number>(name);
    const waiting = c.get();
    await a.put(1);
    expect(await waiting).toBe(1);
    const blocked = c.get();
    await a.put(2);
    await c.taskDone();
    expect(await blocked).toBe(2);
    await c.taskDone();
    await a.put(3);
    await a.shutdown();
    await expect(b.put(4)).rejects.toBeInstanceOf(RemoteQueueShutDown);
    expect(await b.get()).toBe(3);
    const error = await outcome(b.get());
    expect(error.status).toBe("rejected");
    const shutDown = (error as { error: unknown }).error;
    expect(shutDown).toBeInstanceOf(RemoteQueueShutDown);
    // It carries @taskio/queue's brand: code written for the in-process queue catches it too.
    expect(shutDown).toBeInstanceOf(QueueShutDown);
    expect(String(shutDown)).toMatch(/^RemoteQueueShutDown: RemoteQueue ".*" was shut down$/);
  });

  test("a get waiting on an empty queue rejects when another process shuts it down", async () => {
    const name = unique("wakeshut");
    const a = queue<number>(name);
    const b = queue<number>(name);
    const waiting = b.get();
    await sleep(20);
    await a.shutdown();
    await expect(waiting).rejects.toBeInstanceOf(RemoteQueueShutDown);
  });

  test("immediate: items not yet got are dropped, gets reject at once, join counts them done", async () => {
    const name = unique("immediate");
    const a = queue<number>(name, { maxsize: 3 });
    const b = queue<number>(name, { maxsize: 3 });
    for (let n = 0; n < 3; n++) await a.put(n);
    const blockedPut = a.put(3);
    expect(await b.get()).toBe(0);
    await blockedPut;
    const joined = a.join();
    await a.shutdown({ immediate: true });
    await expect(blockedPut).resolves.toBeUndefined();
    await expect(b.get()).rejects.toBeInstanceOf(RemoteQueueShutDown);
    expect(await a.qsize()).toBe(0);
    expect(joined.done()).toBe(false); // item 0 was got and is not acknowledged yet
    await b.taskDone();
    await joined;
  });

  test("a put waiting for room rejects when the queue is shut down", async () => {
    const name = unique("shutput");
    const q = queue<number>(name, { maxsize: 1 });
    await q.put(1);
    const waiting = q.put(2);
    await sleep(20);
    await q.shutdown();
    await expect(waiting).rejects.toBeInstanceOf(RemoteQueueShutDown);
  });

  test("destroy() clears the flag and the items, so the name can be used afresh", async () => {
    const name = unique("destroy");
    const q = queue<number>(name);
    await q.put(1);
    await q.shutdown(true);
    await q.destroy();
    await q.put(2);
    expect(await q.get()).toBe(2);
  });

  test("destroy() wakes a join() on another instance at once", async () => {
    const name = unique("destroy-join");
    // Re-checked every 20 s: only a message wakes the join in time.
    const a = queue<number>(name, { visibilityMs: 60_000 });
    const b = queue<number>(name, { visibilityMs: 60_000 });
    await a.put(1);
    const joined = b.join();
    await sleep(100);
    const started = performance.now();
    await a.destroy();
    await joined;
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("maxsize: Infinity", () => {
  test("is unbounded, as in the in-process Queue: puts never wait and full() is false", async () => {
    const q = queue<number>(unique("infinite"), { maxsize: Number.POSITIVE_INFINITY });
    expect(q.maxsize).toBe(Number.POSITIVE_INFINITY);
    await Promise.all(Array.from({ length: 50 }, (_, n) => q.put(n)));
    expect(await q.qsize()).toBe(50);
    expect(await q.full()).toBe(false);
    expect(await q.get()).toBe(0);
    expect(String(q)).not.toMatch(/maxsize/);
  });
});

describe("close() and bad input", () => {
  test("close() rejects waiting operations and leaves the group when it owes nothing", async () => {
    const name = unique("close");
    const redis = client();
    const q = new RemoteQueue<number>(name, { redis: redisUrl });
    const waiting = q.get();
    await sleep(20);
    await q.close();
    await expect(waiting).rejects.toBeInstanceOf(InvalidStateError);
    expect(() => q.get()).toThrow(InvalidStateError);
    expect(await redis.xinfo("CONSUMERS", `taskio:queue:{${name}}:stream`, "taskio")).toEqual([]);
  });

  test("constructor, put and shutdown arguments are checked", async () => {
    expect(() => new RemoteQueue(5 as never, redisUrl)).toThrow(TypeError);
    expect(() => new RemoteQueue("q", { redis: redisUrl, maxsize: -1 })).toThrow(/maxsize must be an integer >= 0/);
    expect(() => new RemoteQueue("q", { redis: redisUrl, maxsize: 1.5 })).toThrow(RangeError);
    expect(() => new RemoteQueue("q", { redis: redisUrl, maxsize: Number.NaN })).toThrow(RangeError);
    expect(() => new RemoteQueue("q", { redis: redisUrl, maxsize: "3" as never })).toThrow(TypeError);
    expect(() => new RemoteQueue("q", { redis: "not a url" })).toThrow(/options\.redis is not a Redis URL/);
    expect(() => new RemoteQueue("q", { redis: redisUrl, visibilityMs: 5 })).toThrow(RangeError);
    expect(() => new RemoteQueue("q", { redis: redisUrl, codec: {} as never })).toThrow(/codec/);
    const q = queue<unknown>(unique("bad"));
    expect(() => q.put(undefined)).toThrow(/cannot be stored as JSON/);
    expect(() => q.put(10n)).toThrow(TypeError);
    expect(() => q.get({ signal: 1 as never })).toThrow(/AbortSignal/);
    expect(() => q.shutdown("yes" as never)).toThrow(/immediate must be a boolean/);
    expect(String(q)).toMatch(/^<RemoteQueue "bad-.*">$/);
  });
});
