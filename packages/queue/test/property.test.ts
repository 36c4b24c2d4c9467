/**
 * Property tests: random churn of puts, gets, cancellations and aborts must never lose, duplicate
 * or invent an item, and must leave the queue consistent. Seeded; a failure prints the seed and
 * path (re-run with TASKIO_PROPERTY_SEED=<seed> to replay).
 */
import { createTask, type Future, isCancelledError, sleep, type Task } from "@taskio/core";
import { outcome, propertyParams, propertySeed, seededRandom, settle } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown } from "../src/index.js";
import { drain, waiters } from "./helpers.js";

type Kind = "fifo" | "lifo" | "priority";
type Ending = "cancel" | "shutdown" | "immediate";

function makeQueue(kind: Kind, maxsize: number): Queue<number> {
  if (kind === "fifo") return new Queue<number>({ maxsize });
  if (kind === "lifo") return new LifoQueue<number>({ maxsize });
  return new PriorityQueue<number>({ maxsize });
}

interface Op {
  task: Task<unknown>;
  controller: AbortController | undefined;
}

/**
 * One churn run. Every put and get is its own task (generator or async), sometimes with a
 * signal; the driver interleaves them with direct putNowait/getNowait, cancels and aborts at
 * random, and lets the loop run for 0–3 virtual ms between steps.
 */
async function churn(
  seed: number,
  kind: Kind,
  maxsize: number,
  putShare: number,
  steps: number,
  ending: Ending,
): Promise<void> {
  const random = seededRandom(seed);
  const q = makeQueue(kind, maxsize);
  let nextId = 0;
  const accepted = new Set<number>();
  const refused = new Set<number>();
  const received: number[] = [];
  const pending: Op[] = [];
  const putOf = new Map<Task<unknown>, number>();
  const settled: Promise<void>[] = [];

  const track = (task: Task<unknown>, kindOfOp: "put" | "get", id: number) => {
    settled.push(
      outcome(task).then((result) => {
        if (kindOfOp === "put") {
          if (result.status === "fulfilled") accepted.add(id);
          else refused.add(id);
        } else if (result.status === "fulfilled") {
          received.push(result.value as number);
        }
      }),
    );
  };

  const spawn = (kindOfOp: "put" | "get") => {
    const controller = random.chance(0.3) ? new AbortController() : undefined;
    const options = controller ? { signal: controller.signal } : undefined;
    const id = nextId++;
    const generator = random.chance(0.5);
    let task: Task<unknown>;
    if (kindOfOp === "put") {
      task = generator
        ? createTask(function* () {
            yield* q.put(id, options);
          })
        : createTask(async () => {
            await q.put(id, options);
          });
      putOf.set(task, id);
    } else {
      task = generator
        ? createTask(function* () {
            return yield* q.get(options);
          })
        : createTask(async () => await q.get(options));
    }
    track(task, kindOfOp, id);
    pending.push({ task, controller });
  };

  for (let step = 0; step < steps; step++) {
    const roll = random.int(100);
    const putting = random.chance(putShare);
    if (roll < 56) spawn(putting ? "put" : "get");
    else if (roll < 68 && putting) {
      const id = nextId++;
      try {
        q.putNowait(id);
        accepted.add(id);
      } catch (e) {
        if (!(e instanceof QueueFull)) throw e;
        refused.add(id);
      }
    } else if (roll < 68) {
      try {
        received.push(q.getNowait());
      } catch (e) {
        if (!(e instanceof QueueEmpty)) throw e;
      }
    } else if (roll < 78 && pending.length > 0) {
      const op = pending[random.int(pending.length)]!;
      op.task.cancel(random.chance(0.5) ? "chaos" : undefined);
    } else if (roll < 84 && pending.length > 0) {
      const op = pending[random.int(pending.length)]!;
      op.controller?.abort(random.chance(0.2) ? new Error("aborted") : undefined);
    } else if (roll < 87) {
      // A bare Future used and dropped at once (outside any task).
      const f: Future<number> = q.get();
      if (f.done()) received.push(f.result());
      else f.cancel();
    } else if (roll < 95) {
      await sleep(0);
    } else {
      await sleep(1 + random.int(3));
    }
    if (pending.length > 64) {
      for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.task.done()) pending.splice(i, 1);
    }
  }

  let discarded = 0;
  if (ending === "cancel") {
    for (const op of pending) op.task.cancel("end of run");
  } else {
    if (ending === "immediate") discarded = q.qsize();
    q.shutdown(ending === "immediate");
  }
  await Promise.all(settled);
  const leftover = drain(q);

  const where = `seed ${seed}, ${kind}, maxsize ${maxsize}, putShare ${putShare}, ${steps} steps, ending ${ending}`;
  // Nothing duplicated: every id came out at most once.
  const out = [...received, ...leftover];
  expect(new Set(out).size, `duplicate item (${where})`).toBe(out.length);
  // Nothing invented: only accepted items come out; refused (cancelled, aborted, shut out) never do.
  for (const id of out) {
    expect(accepted.has(id), `item ${id} came out but its put did not succeed (${where})`).toBe(true);
  }
  // Nothing lost: every accepted item came out, except those an immediate shutdown discarded.
  expect(out.length + discarded, `lost items (${where})`).toBe(accepted.size);
  for (const id of refused) expect(accepted.has(id)).toBe(false);
  // Consistent: no waiter left, and the unfinished count is exactly the items handed out.
  expect(waiters(q)).toEqual({ getters: 0, putters: 0 });
  expect(q.qsize()).toBe(0);
  for (let i = 0; i < out.length; i++) q.taskDone();
  expect(q.join().done(), `join() not done after every taskDone (${where})`).toBe(true);
  expect(() => q.taskDone()).toThrow(RangeError);
}

describe(`random churn (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  it("puts, gets, cancellations and aborts never lose, duplicate or invent an item", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom<Kind>("fifo", "lifo", "priority"),
        fc.constantFrom(0, 1, 2, 5),
        fc.constantFrom(0.3, 0.5, 0.7),
        fc.constantFrom<Ending>("cancel", "shutdown", "immediate"),
        (seed, kind, maxsize, putShare, ending) => churn(seed, kind, maxsize, putShare, 1500, ending),
      ),
      propertyParams(24),
    );
  }, 300_000);
});

describe(`interleavings explored with fc.scheduler() (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
  it("producers and consumers with foreign awaits and cancellations deliver each accepted item once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(0, 1, 3),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 0, maxLength: 6 }),
        async (s, maxsize, cancelAt) => {
          const q = new Queue<string>({ maxsize });
          const accepted = new Set<string>();
          const received: string[] = [];
          const producers = [0, 1].map((p) =>
            createTask(async () => {
              for (let i = 0; i < 4; i++) {
                const item = `p${p}-${i}`;
                await s.schedule(Promise.resolve(), `p${p} before put ${i}`);
                try {
                  await q.put(item);
                  accepted.add(item);
                } catch (e) {
                  if (e instanceof QueueShutDown) return;
                  // A caught cancellation: that item must not be in the queue; go on with the next.
                  if (!isCancelledError(e)) throw e;
                }
              }
            }),
          );
          const consumers = [0, 1, 2].map((c) =>
            createTask(async () => {
              for (;;) {
                await s.schedule(Promise.resolve(), `c${c} before get`);
                try {
                  received.push(await q.get());
                } catch (e) {
                  if (e instanceof QueueShutDown) return;
                  if (!isCancelledError(e)) throw e;
                }
              }
            }),
          );
          const everyone = [...producers, ...consumers];
          // Releases scheduled steps one at a time, in fc's order, until nothing can move.
          const runOut = async () => {
            for (;;) {
              await settle();
              if (s.count() === 0) return;
              await s.waitOne();
            }
          };
          try {
            for (const k of cancelAt) {
              s.scheduleFunction(async () => {
                everyone[k % everyone.length]!.cancel(`chaos ${k}`);
              })();
            }
            await runOut();
          } finally {
            q.shutdown();
            await runOut();
            await Promise.all(everyone.map((t) => outcome(t)));
          }
          const out = [...received, ...drain(q)];
          expect(new Set(out).size).toBe(out.length);
          expect(new Set(out)).toEqual(accepted);
          expect(waiters(q)).toEqual({ getters: 0, putters: 0 });
        },
      ),
      propertyParams(200),
    );
  }, 300_000);
});
