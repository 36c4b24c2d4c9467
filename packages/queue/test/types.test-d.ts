import { createTask, type Future, type Task } from "@taskio/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  LifoQueue,
  PriorityQueue,
  type PriorityQueueOptions,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  type SignalOptions,
} from "../src/index.js";

describe("types", () => {
  it("Queue<number>: get is Future<number>, put is Future<void>", () => {
    const q = new Queue<number>({ maxsize: 3 });
    expectTypeOf(q.get()).toEqualTypeOf<Future<number>>();
    expectTypeOf(q.get({ signal: new AbortController().signal })).toEqualTypeOf<Future<number>>();
    expectTypeOf(q.put(1)).toEqualTypeOf<Future<void>>();
    expectTypeOf(q.getNowait()).toEqualTypeOf<number>();
    expectTypeOf(q.join()).toEqualTypeOf<Future<void>>();
    expectTypeOf(q.maxsize).toEqualTypeOf<number>();
    expectTypeOf(q.put).parameter(1).toEqualTypeOf<SignalOptions | undefined>();
    // @ts-expect-error the item type is checked
    q.put("one");
    // @ts-expect-error the item type is checked
    q.putNowait("one");
    // @ts-expect-error maxsize is read-only
    q.maxsize = 3;
  });

  it("yield* and await give the item type", () => {
    const q = new Queue<string>();
    createTask(function* () {
      const item = yield* q.get();
      expectTypeOf(item).toEqualTypeOf<string>();
      const nothing = yield* q.put("x");
      expectTypeOf(nothing).toEqualTypeOf<void>();
    });
    createTask(async () => {
      expectTypeOf(await q.get()).toEqualTypeOf<string>();
      for await (const item of q) expectTypeOf(item).toEqualTypeOf<string>();
    });
    expectTypeOf(createTask(() => q.get())).toEqualTypeOf<Task<string>>();
  });

  it("LifoQueue and PriorityQueue are Queues", () => {
    expectTypeOf(new LifoQueue<Date>()).toExtend<Queue<Date>>();
    expectTypeOf(new PriorityQueue<number>()).toExtend<Queue<number>>();
    expectTypeOf(new PriorityQueue<[number, string]>().get()).toEqualTypeOf<Future<[number, string]>>();
  });

  it("PriorityQueue's compare is typed by the item type, and infers it", () => {
    interface Job {
      deadline: number;
      name: string;
    }
    const jobs = new PriorityQueue<Job>({ compare: (a, b) => a.deadline - b.deadline });
    expectTypeOf(jobs.getNowait()).toEqualTypeOf<Job>();
    const inferred = new PriorityQueue({ compare: (a: Job, b: Job) => a.deadline - b.deadline, maxsize: 2 });
    expectTypeOf(inferred).toEqualTypeOf<PriorityQueue<Job>>();
    // @ts-expect-error compare's parameters are the item type
    new PriorityQueue<Job>({ compare: (a: string, b: string) => a.localeCompare(b) });
    // @ts-expect-error compare must return a number
    new PriorityQueue<number>({ compare: (a, b) => a < b });
    expectTypeOf<PriorityQueueOptions<Job>["compare"]>().toEqualTypeOf<((a: Job, b: Job) => number) | undefined>();
  });

  it("shutdown takes a boolean or { immediate }", () => {
    const q = new Queue<number>();
    q.shutdown();
    q.shutdown(true);
    q.shutdown({ immediate: false });
    // @ts-expect-error not a boolean
    q.shutdown("now");
  });

  it("the errors are Errors", () => {
    expectTypeOf(new QueueEmpty()).toExtend<Error>();
    expectTypeOf(new QueueFull("x")).toExtend<Error>();
    expectTypeOf(new QueueShutDown("x", { cause: 1 })).toExtend<Error>();
  });
});
