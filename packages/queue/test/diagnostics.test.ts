import { createTask } from "@taskio/core";
import { tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Queue } from "../src/index.js";

describe("a task waiting on a queue says so", () => {
  it.each([
    [
      "generator",
      (q: Queue<number>) =>
        createTask(
          function* () {
            return yield* q.get();
          },
          { name: "consumer" },
        ),
    ],
    ["async function", (q: Queue<number>) => createTask(async () => await q.get(), { name: "consumer" })],
  ])("in String(task), while a %s task waits in get()", async (_form, consume) => {
    const q = new Queue<number>({ maxsize: 1 });
    const task = consume(q);
    await tick();
    expect(String(task)).toBe("<Task pending name='consumer' waiting in Queue.get() on <Queue maxsize=1 _getters[1]>>");
    q.putNowait(1);
    expect(await task).toBe(1);
  });

  it("names put() and join() too", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    expect(String(q.put(2))).toBe(
      "<Future pending waiting in Queue.put() on <Queue maxsize=1 _queue=[1] _putters[1] tasks=1>>",
    );
    expect(String(q.join())).toMatch(/^<Future pending waiting in Queue\.join\(\) on <Queue /);
    q.shutdown(true);
  });
});
