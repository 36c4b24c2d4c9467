import { describe, expect, it } from "vitest";
import {
  asCompleted,
  BoundedSemaphore,
  type Coroutine,
  createTask,
  Future,
  now,
  Queue,
  Semaphore,
  sleep,
  type Task,
  TimeoutError,
  waitFor,
} from "../src/index.js";

function* delayed<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

const forms = ["generator", "async function"] as const;

describe("asCompleted with a per-item waitFor ends after one Future per input", () => {
  it.each(forms)("%s loop", async (form) => {
    const hangs = new Future<string>();
    const late = createTask(delayed(300, "c"));
    const inputs = [delayed(10, "a"), hangs, late];
    const seen: string[] = [];
    let handedOut = 0;
    const count = () => {
      if (++handedOut > 3) throw new Error("asCompleted handed out more Futures than inputs");
    };
    const record = (error: unknown) => {
      if (!(error instanceof TimeoutError)) throw error;
      seen.push("timeout");
    };
    const loop: Task<void> =
      form === "generator"
        ? createTask(function* () {
            for (const next of asCompleted(inputs)) {
              count();
              try {
                seen.push(yield* waitFor(next, 100));
              } catch (error) {
                record(error);
              }
            }
          })
        : createTask(async () => {
            for (const next of asCompleted(inputs)) {
              count();
              try {
                seen.push(await waitFor(next, 100));
              } catch (error) {
                record(error);
              }
            }
          });
    await loop;
    expect(seen).toEqual(["a", "timeout", "timeout"]);
    expect(now()).toBe(210);
    hangs.cancel();
    expect(await late).toBe("c");
  });
});

describe("waitFor cancelled before its first step loses no item and leaks no permit", () => {
  it.each(forms)("%s caller: an item handed to the getter stays delivered", async (form) => {
    const q = new Queue<string>();
    const got: string[] = [];
    const caller: Task<void> =
      form === "generator"
        ? createTask(function* () {
            const getter = q.get();
            q.putNowait("item");
            createTask(function* () {
              caller.cancel();
            });
            got.push(yield* waitFor(getter, 100));
          })
        : createTask(async () => {
            const getter = q.get();
            q.putNowait("item");
            createTask(function* () {
              caller.cancel();
            });
            got.push(await waitFor(getter, 100));
          });
    await Promise.allSettled([caller]);
    expect(got.length + q.qsize()).toBe(1);
  });

  it("a permit already granted becomes the value of the task cancelled before its first step", async () => {
    const sem = new BoundedSemaphore(1);
    const waiting = waitFor(sem.acquire(), 100);
    waiting.cancel();
    expect(await waiting).toBe(true);
    sem.release();
    expect(sem.value).toBe(1);
  });

  it("a permit handed to a waiter after waitFor() but before its first step is not leaked", async () => {
    const sem = new Semaphore(0);
    const waiting = waitFor(sem.acquire(), 100);
    sem.release();
    waiting.cancel();
    const outcome = await Promise.allSettled([waiting]);
    if (outcome[0]!.status === "fulfilled") sem.release();
    expect(sem.value).toBe(1);
  });
});

describe("a q.get({ signal }) that reads the task's aborted signal does not take its cancellation", () => {
  it("the task is cancelled at its next taskio await after foreign work that ignored the signal", async () => {
    const q = new Queue<string>();
    const log: string[] = [];
    let finishForeign!: () => void;
    const t = createTask(async (signal) => {
      // A consumer elsewhere shares the task's signal: when it aborts, its get() rejects with the
      // signal's reason, which reads it.
      const consumer = createTask(() => q.get({ signal }));
      consumer.addDoneCallback(() => log.push(`consumer: ${consumer.cancelled() ? "cancelled" : "done"}`));
      await new Promise<void>((resolve) => {
        finishForeign = resolve;
      });
      log.push("foreign done");
      await sleep(1000);
      log.push("not reached");
    });
    await sleep(0);
    expect(t.cancel("stop")).toBe(true);
    await sleep(0);
    finishForeign();
    const error = await t.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe("CancelledError");
    expect(t.cancelled()).toBe(true);
    expect(log).toEqual(["consumer: cancelled", "foreign done"]);
    expect(q.qsize()).toBe(0);
  });
});
