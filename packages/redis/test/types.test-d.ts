import type { Future, Suspend, Task } from "@taskio/core";
import { Redis } from "ioredis";
import { describe, expectTypeOf, test } from "vitest";
import {
  type Codec,
  type LeaseLostError,
  type RedisUnavailableError,
  RemoteQueue,
  type RemoteQueueOptions,
  type RemoteQueueShutDown,
  RemoteSemaphore,
  type RemoteSemaphoreOptions,
} from "../src/index.js";

test("connectTimeoutMs is an option of both; RedisUnavailableError names the server", () => {
  expectTypeOf<RemoteSemaphoreOptions["connectTimeoutMs"]>().toEqualTypeOf<number | undefined>();
  expectTypeOf<RemoteQueueOptions<number>["connectTimeoutMs"]>().toEqualTypeOf<number | undefined>();
  expectTypeOf<RedisUnavailableError["address"]>().toEqualTypeOf<string>();
  expectTypeOf<RedisUnavailableError>().toExtend<Error>();
});

describe("RemoteSemaphore", () => {
  const sem = new RemoteSemaphore("api", 3, { redis: "redis://localhost:6379" });

  test("waiting operations return Futures; inspection is async", () => {
    expectTypeOf(sem.acquire()).toEqualTypeOf<Future<true>>();
    expectTypeOf(sem.release()).toEqualTypeOf<Future<void>>();
    expectTypeOf(sem.value()).toEqualTypeOf<Future<number>>();
    expectTypeOf(sem.locked()).toEqualTypeOf<Future<boolean>>();
    expectTypeOf(sem.close()).toEqualTypeOf<Promise<void>>();
  });

  test("run() is typed by its body", () => {
    expectTypeOf(sem.run(async () => 1)).toEqualTypeOf<Task<number>>();
    expectTypeOf(sem.run(() => "x")).toEqualTypeOf<Task<string>>();
    expectTypeOf(
      sem.run(function* (): Generator<Suspend, boolean, unknown> {
        return true;
      }),
    ).toEqualTypeOf<Task<boolean>>();
    expectTypeOf(sem.run((signal) => signal)).toEqualTypeOf<Task<AbortSignal>>();
  });

  test("the connection may be a client, a URL or options", () => {
    new RemoteSemaphore("a", 1, new Redis({ lazyConnect: true }));
    new RemoteSemaphore("a", 1, "redis://localhost:6379");
    new RemoteSemaphore("a", 1, { redis: { host: "localhost", port: 6379 }, leaseMs: 5_000 });
    // @ts-expect-error the limit is a number
    new RemoteSemaphore("a", "1", "redis://localhost:6379");
    // @ts-expect-error the connection is required
    new RemoteSemaphore("a", 1);
  });
});

describe("RemoteQueue", () => {
  const q = new RemoteQueue<{ id: number }>("jobs", { redis: "redis://localhost:6379", maxsize: 10 });

  test("items are typed", () => {
    expectTypeOf(q.get()).toEqualTypeOf<Future<{ id: number }>>();
    expectTypeOf(q.put({ id: 1 })).toEqualTypeOf<Future<void>>();
    // @ts-expect-error wrong item type
    q.put("x");
    expectTypeOf(q.taskDone()).toEqualTypeOf<Future<void>>();
    expectTypeOf(q.join()).toEqualTypeOf<Future<void>>();
    expectTypeOf(q.qsize()).toEqualTypeOf<Future<number>>();
    expectTypeOf(q.shutdown(true)).toEqualTypeOf<Future<void>>();
  });

  test("for await yields items; a codec is typed by the item", async () => {
    for await (const item of q) expectTypeOf(item).toEqualTypeOf<{ id: number }>();
    const codec: Codec<bigint> = { encode: (n) => n.toString(), decode: (text) => BigInt(text) };
    expectTypeOf(new RemoteQueue("n", { redis: "redis://localhost:6379", codec })).toEqualTypeOf<RemoteQueue<bigint>>();
  });

  test("errors", () => {
    expectTypeOf<RemoteQueueShutDown>().toExtend<Error>();
    expectTypeOf<LeaseLostError>().toExtend<Error>();
  });
});
