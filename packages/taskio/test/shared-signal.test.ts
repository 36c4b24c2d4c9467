import { describe, expect, it } from "vitest";
import { createTask, Event, Lock, Queue, Semaphore, sleep, type Task } from "../src/index.js";

/** An AbortController whose signal counts the native listeners added and still attached. */
function countingController() {
  const controller = new AbortController();
  const signal = controller.signal;
  let attached = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => {
    attached++;
    add(...args);
  }) as AbortSignal["addEventListener"];
  signal.removeEventListener = ((...args: Parameters<AbortSignal["removeEventListener"]>) => {
    attached--;
    remove(...args);
  }) as AbortSignal["removeEventListener"];
  return { controller, signal, attached: () => attached };
}

describe("many waits on one AbortSignal share one native listener", () => {
  it.each(["generator", "async function"] as const)("%s tasks: 50 waits of every kind, then an abort", async (form) => {
    const { controller, signal, attached } = countingController();
    const q = new Queue<number>();
    const sem = new Semaphore(0);
    const lock = new Lock();
    await lock.acquire();
    const event = new Event();
    const waits = [q.get.bind(q), sem.acquire.bind(sem), lock.acquire.bind(lock), event.wait.bind(event)];
    const tasks: Task<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      for (const wait of waits) {
        tasks.push(
          form === "generator"
            ? createTask(function* () {
                return yield* wait({ signal });
              })
            : createTask(async () => wait({ signal })),
        );
      }
      tasks.push(createTask(() => sleep(1000), { signal }));
    }
    await sleep(1);
    expect(attached()).toBe(1);
    controller.abort(new Error("gave up"));
    const outcomes = await Promise.allSettled(tasks);
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
    expect(attached()).toBe(0);
    expect(q.qsize()).toBe(0);
    expect(sem.value).toBe(0);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it("the native listener goes when the last wait is served", async () => {
    const { signal, attached } = countingController();
    const q = new Queue<number>();
    const getters = [q.get({ signal }), q.get({ signal })];
    expect(attached()).toBe(1);
    q.putNowait(1);
    expect(attached()).toBe(1);
    q.putNowait(2);
    expect(attached()).toBe(0);
    expect(await Promise.all(getters)).toEqual([1, 2]);
  });
});
