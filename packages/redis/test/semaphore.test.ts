import { createTask, currentTask, InvalidStateError, isCancelledError, sleep } from "@taskio/core";
import { expectCancelled, outcome } from "@taskio/testkit";
import { describe, expect, test } from "vitest";
import { LeaseLostError, RemoteSemaphore } from "../src/index.js";
import { client, crash, queued, redisUrl, semaphore, unique, until, useRedis } from "./helpers.js";

useRedis();

describe("acquire and release", () => {
  test("permits are counted across instances; value() and locked() see them", async () => {
    const name = unique("count");
    const a = semaphore(name, 2);
    const b = semaphore(name, 2);
    expect(await a.value()).toBe(2);
    expect(await a.locked()).toBe(false);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(true);
    expect(await a.value()).toBe(0);
    expect(await b.locked()).toBe(true);
    await a.release();
    expect(await b.value()).toBe(1);
    await b.release();
    expect(await a.value()).toBe(2);
  });

  test("an idle semaphore leaves no key behind", async () => {
    const name = unique("tidy");
    const sem = semaphore(name, 1);
    await sem.acquire();
    await sem.release();
    expect(await client().keys(`taskio:sem:{${name}}*`)).toEqual([]);
  });

  test("waiters are served FIFO across two connections", async () => {
    const name = unique("fifo");
    const redis = client();
    const a = semaphore(name, 1);
    const b = semaphore(name, 1);
    await a.acquire();
    const order: string[] = [];
    const waiting = [];
    for (const [i, sem] of [a, b, a, b, b, a].entries()) {
      const label = `${sem === a ? "a" : "b"}${i}`;
      waiting.push({ sem, label, permit: sem.acquire().then(() => order.push(label)) });
      await until(async () => (await queued(redis, name)) === i + 1);
    }
    await a.release();
    for (const { sem, label } of waiting) {
      await until(() => order.length > 0 && order.at(-1) === label);
      await sem.release();
    }
    expect(order).toEqual(["a0", "b1", "a2", "b3", "b4", "a5"]);
    expect(await a.value()).toBe(1);
  });

  test("no barging: a newcomer queues behind waiters even when it sees a free permit", async () => {
    const name = unique("barge");
    const a = semaphore(name, 1);
    const b = semaphore(name, 1);
    await a.acquire();
    const first = b.acquire();
    await until(async () => (await queued(client(), name)) === 1);
    expect(await b.locked()).toBe(true);
    await a.release();
    await first;
    const second = a.acquire();
    await sleep(30);
    expect(second.done()).toBe(false);
    await b.release();
    expect(await second).toBe(true);
    await a.release();
  });

  test("a grant wakes only the instance whose waiter it is", async () => {
    const name = unique("wake-one");
    const listener = client();
    const heard: string[] = [];
    listener.on("pmessage", (_pattern: string, channel: string) => heard.push(channel));
    await listener.psubscribe(`taskio:sem:{${name}}:*`);
    const holder = semaphore(name, 1);
    const waiter = semaphore(name, 1);
    const bystander = semaphore(name, 1);
    await holder.acquire();
    const granted = waiter.acquire();
    await until(async () => (await queued(client(), name)) === 1);
    await bystander.value();
    await holder.release();
    expect(await granted).toBe(true);
    await until(() => heard.length > 0);
    expect(heard).toEqual([waiter._channel]);
    expect(new Set([holder._channel, waiter._channel, bystander._channel]).size).toBe(3);
    await waiter.release();
  });

  test("release() without a permit is an InvalidStateError", async () => {
    const sem = semaphore(unique("norelease"), 1);
    expect(() => sem.release()).toThrow(InvalidStateError);
    await sem.acquire();
    await sem.release();
    expect(() => sem.release()).toThrow(/holds no permit/);
  });

  test("instances with different limits are refused while the semaphore is in use", async () => {
    const name = unique("limits");
    const a = semaphore(name, 2);
    const b = semaphore(name, 3);
    await a.acquire();
    const refused = await outcome(b.acquire());
    expect(refused.status).toBe("rejected");
    expect((refused as { error: Error }).error).toBeInstanceOf(RangeError);
    expect(String((refused as { error: Error }).error.message)).toMatch(/limit 3 differs from the limit 2/);
    // The refused call left the limit in force as it was.
    expect(await a.acquire()).toBe(true);
    await a.release();
    await a.release();
    // Idle again: the new limit is accepted.
    expect(await b.acquire()).toBe(true);
    await b.release();
  });
});

describe("cancellation and abort never leak a permit", () => {
  test("cancelling a waiting acquire withdraws it", async () => {
    const name = unique("cancel");
    const redis = client();
    const a = semaphore(name, 1);
    const b = semaphore(name, 1);
    await a.acquire();
    const waiting = b.acquire();
    await until(async () => (await queued(redis, name)) === 1);
    expect(waiting.cancel()).toBe(true);
    expect(waiting.cancelled()).toBe(true);
    await until(async () => (await queued(redis, name)) === 0);
    await a.release();
    expect(await a.value()).toBe(1);
  });

  test("cancelling right after the acquire was sent (still in flight) withdraws it", async () => {
    const name = unique("inflight");
    const a = semaphore(name, 1);
    const b = semaphore(name, 1);
    await a.acquire();
    b.acquire().cancel();
    const free = b.acquire();
    free.cancel();
    // b's calls go out in order on b's own connection, which a busy machine may still be opening:
    // once this one has its reply, Redis has run both acquires, queued behind a's permit.
    await b.value();
    await a.release();
    await until(async () => (await a.value()) === 1);
    expect(await a.locked()).toBe(false);
  });

  test("cancelling an acquire that Redis granted at once passes the permit back", async () => {
    const name = unique("grantcancel");
    const sem = semaphore(name, 1);
    const permit = sem.acquire();
    permit.cancel(); // the acquire script grants it; the reply finds it withdrawn and leaves
    await until(async () => (await sem.value()) === 1);
    expect(await sem.acquire()).toBe(true);
    await sem.release();
  });

  test("aborting the signal of a waiting acquire rejects with its reason and withdraws it", async () => {
    const name = unique("abort");
    const redis = client();
    const a = semaphore(name, 1);
    await a.acquire();
    const controller = new AbortController();
    const waiting = a.acquire({ signal: controller.signal });
    await until(async () => (await queued(redis, name)) === 1);
    const reason = new Error("gave up");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await until(async () => (await queued(redis, name)) === 0);
    await a.release();
    expect(await a.value()).toBe(1);
  });

  test("a signal already aborted rejects at once, even with a free permit", async () => {
    const sem = semaphore(unique("preaborted"), 1);
    const reason = new Error("no");
    const permit = sem.acquire({ signal: AbortSignal.abort(reason) });
    expect(permit.done()).toBe(true);
    await expect(permit).rejects.toBe(reason);
    expect(await sem.value()).toBe(1);
  });

  test.each(["generator", "async"] as const)("cancelling a %s task waiting in acquire() withdraws it", async (form) => {
    const name = unique("taskcancel");
    const redis = client();
    const a = semaphore(name, 1);
    await a.acquire();
    const task =
      form === "generator"
        ? createTask(function* () {
            yield* a.acquire();
          })
        : createTask(async () => {
            await a.acquire();
          });
    await until(async () => (await queued(redis, name)) === 1);
    task.cancel();
    await expectCancelled(task);
    await until(async () => (await queued(redis, name)) === 0);
    await a.release();
    expect(await a.value()).toBe(1);
  });

  test("release racing a cancel: the permit ends up either held or passed on, never lost (30 rounds)", async () => {
    const name = unique("race");
    const a = semaphore(name, 1);
    const b = semaphore(name, 1);
    for (let round = 0; round < 30; round++) {
      await a.acquire();
      const waiting = b.acquire();
      await until(async () => (await queued(client(), name)) === 1 || waiting.done());
      const release = a.release();
      if (round % 3 === 1) await sleep(0);
      if (round % 3 === 2) await release;
      waiting.cancel();
      await release;
      if (!waiting.cancelled()) await b.release(); // it was granted first: it is ours to give back
      await until(async () => (await a.value()) === 1);
    }
    expect(await a.locked()).toBe(false);
  });
});

describe("leases", () => {
  test("a holder that dies without releasing gives its permit back after the lease", async () => {
    const name = unique("dies");
    const dying = semaphore(name, 1, { leaseMs: 300 });
    const other = semaphore(name, 1, { leaseMs: 3_000 });
    await dying.acquire();
    crash(dying);
    const start = performance.now();
    expect(await other.acquire()).toBe(true);
    const waited = performance.now() - start;
    expect(waited).toBeGreaterThan(150);
    expect(waited).toBeLessThan(20_000);
    await other.release();
  });

  test("a waiter that dies leaves the line after its lease, so the ones behind it are served", async () => {
    const name = unique("deadwaiter");
    const redis = client();
    const holder = semaphore(name, 1);
    const dying = semaphore(name, 1);
    const behind = semaphore(name, 1);
    await holder.acquire();
    dying.acquire().then(
      () => {},
      () => {},
    );
    await until(async () => (await queued(redis, name)) === 1);
    const last = behind.acquire();
    await until(async () => (await queued(redis, name)) === 2);
    crash(dying);
    await holder.release();
    expect(await last).toBe(true);
    await behind.release();
  });

  test("leases are renewed while held: a permit held for 4 leases stays held", async () => {
    const name = unique("renew");
    // Leases long enough that a loaded machine renews them in time, every lease/3.
    const sem = semaphore(name, 1, { leaseMs: 1_500 });
    const other = semaphore(name, 1, { leaseMs: 1_500 });
    await sem.acquire();
    const waiting = other.acquire();
    await sleep(6_000);
    expect(waiting.done()).toBe(false);
    await sem.release();
    expect(await waiting).toBe(true);
    await other.release();
  });

  test("a run() body whose lease is lost is cancelled and the Task rejects with LeaseLostError", async () => {
    const name = unique("lost");
    const redis = client();
    const sem = semaphore(name, 1, { leaseMs: 150 });
    let sawCancel = false;
    const task = sem.run(async () => {
      // Someone (a stall, in real life) lets the lease go: the permit vanishes from Redis.
      await redis.del(`taskio:sem:{${name}}:holders`);
      try {
        await sleep(5_000);
      } catch (e) {
        sawCancel = isCancelledError(e);
        throw e;
      }
    });
    const result = await outcome(task);
    expect(result.status).toBe("rejected");
    expect((result as { error: unknown }).error).toBeInstanceOf(LeaseLostError);
    expect(sawCancel).toBe(true);
  });

  test("a lost permit taken with acquire() is reported to onLeaseLost, and release() then just drops it", async () => {
    const name = unique("lostacquire");
    const redis = client();
    const lost: LeaseLostError[] = [];
    const sem = semaphore(name, 1, { leaseMs: 150, onLeaseLost: (e) => lost.push(e) });
    await sem.acquire();
    await redis.del(`taskio:sem:{${name}}:holders`);
    await until(() => lost.length === 1);
    expect(lost[0]).toBeInstanceOf(LeaseLostError);
    await sem.release();
    expect(await sem.value()).toBe(1);
  });
});

describe("run()", () => {
  test("runs bodies at most `limit` at a time across instances, and always releases", async () => {
    const name = unique("run");
    const sems = [semaphore(name, 2), semaphore(name, 2), semaphore(name, 2)];
    let active = 0;
    let peak = 0;
    const tasks = Array.from({ length: 9 }, (_, i) =>
      sems[i % 3]!.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(10);
        active--;
        if (i === 4) throw new Error("boom");
        return i;
      }),
    );
    const results = await Promise.all(tasks.map(outcome));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(8);
    expect(peak).toBe(2);
    await until(async () => (await sems[0]!.value()) === 2);
  });

  test("a generator body holds the permit; the body's task is the run task", async () => {
    const sem = semaphore(unique("gen"), 1);
    const task = sem.run(function* () {
      yield* sleep(5);
      return { current: currentTask() }; // wrapped: a Task is a thenable, `await` would unwrap it
    });
    expect((await task).current).toBe(task);
    await until(async () => (await sem.value()) === 1);
  });

  test("cancelling run() while it waits: the body never runs", async () => {
    const name = unique("runwait");
    const redis = client();
    const a = semaphore(name, 1);
    const b = semaphore(name, 1);
    await a.acquire();
    let ran = false;
    const task = b.run(() => {
      ran = true;
    });
    await until(async () => (await queued(redis, name)) === 1);
    task.cancel();
    await expectCancelled(task);
    await a.release();
    expect(ran).toBe(false);
    expect(await a.value()).toBe(1);
  });

  test("cancelling run() while the body runs cancels the body and releases", async () => {
    const sem = semaphore(unique("runcancel"), 1);
    let started = false;
    const task = sem.run(async (signal) => {
      started = true;
      await sleep(10_000);
      return signal;
    });
    await until(() => started);
    task.cancel();
    await expectCancelled(task);
    await until(async () => (await sem.value()) === 1);
  });
});

describe("close()", () => {
  test("rejects waiting acquires, releases held permits, and refuses new calls", async () => {
    const name = unique("close");
    const redis = client();
    const a = new RemoteSemaphore(name, 1, { redis: redisUrl, leaseMs: 3_000 });
    const b = semaphore(name, 1);
    await a.acquire();
    const waiting = b.acquire();
    await until(async () => (await queued(redis, name)) === 1);
    const mine = a.acquire();
    await until(async () => (await queued(redis, name)) === 2);
    await a.close();
    await expect(mine).rejects.toBeInstanceOf(InvalidStateError);
    expect(await waiting).toBe(true); // a's permit went to b, and a's waiter left the line
    expect(() => a.acquire()).toThrow(InvalidStateError);
    expect(String(a)).toMatch(/closed/);
    await b.release();
    expect(await b.value()).toBe(1);
  });

  test("a client passed in is left open; the semaphore's own subscriber is closed", async () => {
    const redis = client();
    const sem = new RemoteSemaphore(unique("shared"), 1, redis);
    await sem.acquire();
    await sem.close();
    expect(redis.status).toBe("ready");
    await until(() => sem._link._subscriber?.status === "end");
  });
});

describe("bad input", () => {
  test("constructor arguments are checked", () => {
    expect(() => new RemoteSemaphore(1 as never, 1, redisUrl)).toThrow(TypeError);
    expect(() => new RemoteSemaphore("", 1, redisUrl)).toThrow(RangeError);
    expect(() => new RemoteSemaphore("x", 0, redisUrl)).toThrow(/limit must be an integer >= 1, got 0/);
    expect(() => new RemoteSemaphore("x", 1.5, redisUrl)).toThrow(RangeError);
    expect(() => new RemoteSemaphore("x", "2" as never, redisUrl)).toThrow(TypeError);
    expect(() => new RemoteSemaphore("x", 1, undefined as never)).toThrow(/Redis connection/);
    expect(() => new RemoteSemaphore("x", 1, { leaseMs: 100 } as never)).toThrow(/Redis connection/);
    expect(() => new RemoteSemaphore("x", 1, { redis: 42 as never })).toThrow(/ioredis client/);
    expect(() => new RemoteSemaphore("x", 1, { redis: "not a url" })).toThrow(
      /options\.redis is not a Redis URL, got "not a url".*Pass a URL like "redis:\/\/localhost:6379"/,
    );
    expect(() => new RemoteSemaphore("x", 1, "not a url")).toThrow(TypeError);
    expect(() => new RemoteSemaphore("x", 1, { redis: redisUrl, leaseMs: 10 })).toThrow(
      /leaseMs must be an integer >= 30/,
    );
  });

  test("acquire() options and run() bodies are checked", async () => {
    const sem = semaphore(unique("bad"), 1);
    expect(() => sem.acquire(5 as never)).toThrow(TypeError);
    expect(() => sem.acquire({ signal: {} as never })).toThrow(/AbortSignal/);
    expect(() => sem.run(5 as never)).toThrow(/fn must be a function/);
    expect(() =>
      sem.run(async function* () {
        /* not a taskio coroutine */
      } as never),
    ).toThrow(/async generator/);
    expect(String(sem)).toMatch(/^<RemoteSemaphore "bad-.*" limit:1 held:0>$/);
  });
});
