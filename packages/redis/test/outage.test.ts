import { startRedisServer } from "@taskio/testkit/redis-server";
import { Redis } from "ioredis";
import { expect, test } from "vitest";
import { type LeaseLostError, RedisUnavailableError, RemoteQueue, RemoteSemaphore } from "../src/index.js";
import { queued, unique, until, useRedis } from "./helpers.js";

useRedis();

/** The error `aw` rejects with (fails the test if it fulfils). */
async function failure(aw: PromiseLike<unknown>): Promise<unknown> {
  try {
    await aw;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function expectUnavailable(error: unknown, address: string): void {
  expect(error).toBeInstanceOf(RedisUnavailableError);
  expect((error as RedisUnavailableError).address).toBe(address);
  expect((error as Error).message).toContain(address);
}

test("an unreachable Redis URL: acquire(), put() and get() reject within connectTimeoutMs, naming it, and close() does not hang", async () => {
  const url = "redis://127.0.0.1:1";
  // Long enough for a loaded machine to see a connection attempt fail within it.
  const sem = new RemoteSemaphore("x", 2, { redis: url, connectTimeoutMs: 2_000 });
  const q = new RemoteQueue<number>("x", { redis: url, connectTimeoutMs: 2_000 });
  const started = performance.now();
  const errors = await Promise.all([failure(sem.acquire()), failure(q.put(1)), failure(q.get())]);
  expect(performance.now() - started).toBeLessThan(15_000);
  for (const error of errors) {
    expectUnavailable(error, url);
    expect((error as Error).message).toMatch(/within 2000 ms \(last error: .*ECONNREFUSED/);
  }
  expect((errors[0] as Error).message).toContain('RemoteSemaphore "x"');
  expect((errors[1] as Error).message).toContain('RemoteQueue "x"');
  const closing = performance.now();
  await Promise.all([sem.close(), q.close()]);
  expect(performance.now() - closing).toBeLessThan(15_000);
});

test("the error names the server without its password, and a client passed in is bounded the same way", async () => {
  const sem = new RemoteSemaphore("x", 1, { redis: "redis://user:secret@127.0.0.1:1/2", connectTimeoutMs: 100 });
  const error = await failure(sem.value());
  expectUnavailable(error, "redis://user:***@127.0.0.1:1/2");
  expect((error as Error).message).not.toContain("secret");
  await sem.close();

  const mine = new Redis("redis://127.0.0.1:1", { lazyConnect: true });
  mine.on("error", () => {});
  const q = new RemoteQueue<number>("x", { redis: mine, connectTimeoutMs: 100 });
  const started = performance.now();
  expectUnavailable(await failure(q.put(1)), "redis://127.0.0.1:1");
  expect(performance.now() - started).toBeLessThan(15_000);
  await q.close();
  mine.disconnect();
});

test("connectTimeoutMs must be an integer >= 1, and no longer than a Node timer can wait", () => {
  expect(() => new RemoteSemaphore("x", 1, { redis: "redis://127.0.0.1:1", connectTimeoutMs: 3_000_000_000 })).toThrow(
    /options\.connectTimeoutMs must be at most 2147483647 \(about 24\.8 days, the longest timer Node sets\), got 3000000000/,
  );
  expect(() => new RemoteSemaphore("x", 1, { redis: "redis://127.0.0.1:1", connectTimeoutMs: 0 })).toThrow(
    /options\.connectTimeoutMs must be an integer >= 1, got 0/,
  );
  expect(() => new RemoteQueue("x", { redis: "redis://127.0.0.1:1", connectTimeoutMs: "5" as never })).toThrow(
    TypeError,
  );
});

test("Redis restarted mid-run: calls made while it is down reject with RedisUnavailableError (or wait, if it is back in time), and the same instances work again", async () => {
  // Long enough for the server to restart within it on a loaded machine.
  const connectTimeoutMs = 5_000;
  let server = await startRedisServer();
  const name = unique("restart");
  const lost: LeaseLostError[] = [];
  const sem = new RemoteSemaphore(name, 1, {
    redis: server.url,
    leaseMs: 3_000,
    connectTimeoutMs,
    onLeaseLost: (error) => lost.push(error),
  });
  const q = new RemoteQueue<string>(name, { redis: server.url, visibilityMs: 3_000, connectTimeoutMs });
  const other = new RemoteQueue<string>(name, { redis: server.url, connectTimeoutMs });
  const second = new RemoteSemaphore(name, 1, { redis: server.url, leaseMs: 3_000, connectTimeoutMs });
  try {
    expect(await sem.acquire()).toBe(true);
    await q.put("a");
    expect(await q.get()).toBe("a"); // held across the restart, not acknowledged
    const inLine = second.acquire(); // waits in line across the restart
    const look = new Redis(server.url);
    await until(async () => (await queued(look, name)) === 1);
    look.disconnect();

    await server.stop();
    // Down for longer than connectTimeoutMs: every call rejects, naming the server, in bounded time.
    const down = performance.now();
    const errors = await Promise.all([
      failure(sem.acquire()),
      failure(sem.value()),
      failure(q.put("lost")),
      failure(q.get()),
      failure(q.qsize()),
    ]);
    const waited = performance.now() - down;
    expect(waited).toBeGreaterThanOrEqual(connectTimeoutMs - 100);
    expect(waited).toBeLessThan(connectTimeoutMs + 25_000);
    for (const error of errors) expectUnavailable(error, server.url);

    // Down for less than connectTimeoutMs: the call waits for Redis, then succeeds.
    const put = q.put("b");
    server = await startRedisServer({ port: server.port });
    await put;

    // Nothing was persisted: the held permit went with the old server, and its holder is told.
    await until(() => lost.length === 1);
    await sem.release(); // the lost permit is just dropped
    // The waiting acquire kept waiting: it took its place in the new server's line, and got the permit.
    expect(await inLine).toBe(true);
    await second.release();
    expect(await sem.acquire()).toBe(true);
    expect(await sem.value()).toBe(0);
    await sem.release();
    expect(await sem.value()).toBe(1);

    // The item got before the restart is gone with it; acknowledging it is harmless.
    await q.taskDone();
    expect(await q.get()).toBe("b");
    await q.taskDone();
    // Notifications flow again: the subscription was renewed on the new server.
    // (The subscriber reconnects on its own back-off; a message missed meanwhile is made up for by
    // the re-check it runs when it is back.)
    const probe = new Redis(server.url);
    await until(async () => ((await probe.pubsub("NUMSUB", q._channel)) as [string, number])[1] >= 1);
    await probe.quit();
    const waiting = q.get();
    await other.put("c");
    expect(await waiting).toBe("c");
    await q.taskDone();
    await q.join();
    expect(await q.qsize()).toBe(0);
  } finally {
    await Promise.all([sem.close(), second.close(), q.close(), other.close()]);
    await server.stop();
  }
});
