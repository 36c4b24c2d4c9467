import { createTask } from "@taskio/core";
import { tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Event, Lock, Semaphore } from "../src/index.js";

describe("a task waiting on a semaphore, lock or event says so", () => {
  it.each([
    [
      "generator",
      (sem: Semaphore) =>
        createTask(
          function* () {
            return yield* sem.acquire();
          },
          { name: "worker" },
        ),
    ],
    ["async function", (sem: Semaphore) => createTask(async () => await sem.acquire(), { name: "worker" })],
  ])("in String(task), while a %s task waits in acquire()", async (_form, acquire) => {
    const sem = new Semaphore(0);
    const task = acquire(sem);
    await tick();
    expect(String(task)).toBe(
      "<Task pending name='worker' waiting in Semaphore.acquire() on <Semaphore [locked, waiters:1]>>",
    );
    sem.release();
    expect(await task).toBe(true);
  });

  it("names Lock.acquire() and Event.wait() too", () => {
    const lock = new Lock();
    lock.acquire();
    const waiting = lock.acquire();
    expect(String(waiting)).toMatch(/^<Future pending waiting in Lock\.acquire\(\) on <Lock /);
    waiting.cancel();
    const event = new Event();
    const wait = event.wait();
    expect(String(wait)).toMatch(/^<Future pending waiting in Event\.wait\(\) on <Event /);
    event.set();
  });
});
