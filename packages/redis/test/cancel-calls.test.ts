import { type Coroutine, createTask, type Future, sleep, type Task } from "@taskio/core";
import { expectCancelled } from "@taskio/testkit";
import { afterEach, beforeEach, describe, expect, it, test } from "vitest";
import { type RemoteQueue, RemoteSemaphore } from "../src/index.js";
import { client, queue, redisUrl, semaphore, unique, until, useRedis } from "./helpers.js";

useRedis();

/** Unhandled rejections seen while a test runs: a taskio call must never cause one. */
const unhandled: unknown[] = [];
const record = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", record);
});
afterEach(() => {
  process.off("unhandledRejection", record);
});

type Form = "generator" | "async function";
const forms: Form[] = ["generator", "async function"];

/** A task of the given form that awaits `call()` once. */
function awaiting(form: Form, call: () => Future<unknown>): Task<unknown> {
  if (form === "generator") {
    return createTask(function* (): Coroutine<unknown> {
      return yield* call();
    });
  }
  return createTask(async () => await call());
}

/** Lets the reply of every call sent so far arrive, then a few turns for its callbacks to run. */
async function settle(sem: RemoteSemaphore | RemoteQueue<unknown>): Promise<void> {
  if (sem instanceof RemoteSemaphore) await sem.value();
  else await sem.qsize();
  await sleep(20);
}

describe("cancelling a task that awaits a one-shot call leaves the process running", () => {
  const semCalls: [
    string,
    (sem: RemoteSemaphore) => PromiseLike<unknown> | undefined,
    (sem: RemoteSemaphore) => Future<unknown>,
  ][] = [
    ["value()", () => undefined, (sem) => sem.value()],
    ["locked()", () => undefined, (sem) => sem.locked()],
    ["release()", (sem) => sem.acquire(), (sem) => sem.release()],
  ];

  for (const form of forms) {
    it.each(semCalls)(
      `RemoteSemaphore.%s (${form}): the task is cancelled and the late reply is dropped`,
      async (_, prepare, call) => {
        const sem = semaphore(unique("cancel-call"), 1);
        await prepare(sem);
        const task = awaiting(form, () => call(sem));
        await sleep(0);
        task.cancel();
        await expectCancelled(task);
        await settle(sem);
        expect(unhandled).toEqual([]);
        expect(await sem.value()).toBe(1);
      },
    );
  }

  const queueCalls: [
    string,
    (q: RemoteQueue<unknown>) => PromiseLike<unknown> | undefined,
    (q: RemoteQueue<unknown>) => Future<unknown>,
  ][] = [
    ["qsize()", () => undefined, (q) => q.qsize()],
    ["empty()", () => undefined, (q) => q.empty()],
    ["full()", () => undefined, (q) => q.full()],
    [
      "taskDone()",
      async (q) => {
        await q.put(1);
        await q.get();
      },
      (q) => q.taskDone(),
    ],
    ["shutdown()", () => undefined, (q) => q.shutdown()],
    ["destroy()", () => undefined, (q) => q.destroy()],
  ];

  for (const form of forms) {
    it.each(queueCalls)(
      `RemoteQueue.%s (${form}): the task is cancelled and the late reply is dropped`,
      async (_, prepare, call) => {
        const q = queue<unknown>(unique("cancel-call"));
        await prepare(q);
        const task = awaiting(form, () => call(q));
        await sleep(0);
        task.cancel();
        await expectCancelled(task);
        await settle(q);
        expect(unhandled).toEqual([]);
      },
    );
  }

  test("the call itself still takes effect: a cancelled release() gives the permit back", async () => {
    const name = unique("cancel-release");
    const sem = semaphore(name, 1);
    await sem.acquire();
    const released = sem.release();
    released.cancel();
    await settle(sem);
    expect(unhandled).toEqual([]);
    expect(await semaphore(name, 1).value()).toBe(1);
  });
});

describe("close() right after run()", () => {
  it.each(forms)("a body that has not started (%s) never runs, and no permit is left held", async (form) => {
    const name = unique("close-run");
    const redis = client();
    // A long lease: a permit leaked by the closed instance would stay held for the whole test.
    const sem = new RemoteSemaphore(name, 1, { redis: redisUrl, leaseMs: 30_000 });
    let ran = false;
    const task =
      form === "generator"
        ? sem.run(function* () {
            ran = true;
            yield* sleep(0);
          })
        : sem.run(async () => {
            ran = true;
          });
    await sem.close();
    await expectCancelled(task);
    await sleep(50);
    expect(ran).toBe(false);
    expect(await redis.exists(`taskio:sem:{${name}}:holders`)).toBe(0);
    const other = semaphore(name, 1);
    await until(async () => (await other.value()) === 1, 1_000);
    expect(await other.acquire()).toBe(true);
  });
});
