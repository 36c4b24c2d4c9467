import { type Coroutine, createTask, type Future, sleep, type Task } from "@taskio/core";
import { describe, expectTypeOf, it } from "vitest";
import { any, asCompleted, FIRST_COMPLETED, gather, race, type TaskGroup, taskGroup, wait } from "../src/index.js";

function* genOfString(): Coroutine<string> {
  yield* sleep(1);
  return "s";
}
async function asyncFnOfNumber(): Promise<number> {
  return 1;
}

describe("gather", () => {
  it("types each position without `as const`", () => {
    expectTypeOf(gather([genOfString(), asyncFnOfNumber])).toEqualTypeOf<Future<[string, number]>>();
    const task = createTask(asyncFnOfNumber);
    expectTypeOf(gather([task, sleep(1, true), Promise.resolve(1n), () => "plain"])).toEqualTypeOf<
      Future<[number, boolean, bigint, string]>
    >();
    expectTypeOf(gather([])).toEqualTypeOf<Future<[]>>();
  });

  it("makes each slot `T | Error` with returnExceptions", () => {
    expectTypeOf(gather([genOfString(), asyncFnOfNumber], { returnExceptions: true })).toEqualTypeOf<
      Future<[string | Error, number | Error]>
    >();
    expectTypeOf(gather([genOfString()], { returnExceptions: false })).toEqualTypeOf<Future<[string]>>();
    const flag = Math.random() > 0.5;
    expectTypeOf(gather([genOfString()], { returnExceptions: flag })).toEqualTypeOf<Future<[string | Error]>>();
  });

  it("keeps arrays as arrays", () => {
    const tasks: Task<number>[] = [];
    expectTypeOf(gather(tasks)).toEqualTypeOf<Future<number[]>>();
  });

  it("refuses what is not awaitable", () => {
    // @ts-expect-error a number is not awaitable
    gather([1]);
  });
});

describe("wait", () => {
  it("returns Sets of the Futures it was given", () => {
    const a = createTask(asyncFnOfNumber);
    const b = createTask(genOfString());
    expectTypeOf(wait([a, b], { returnWhen: FIRST_COMPLETED })).toEqualTypeOf<
      Future<[done: Set<Task<number> | Task<string>>, pending: Set<Task<number> | Task<string>>]>
    >();
    // @ts-expect-error returnWhen takes one of the three constants
    wait([a], { returnWhen: "SOMETIMES" });
  });
});

describe("asCompleted, race, any", () => {
  it("types the Futures they hand out", () => {
    const ac = asCompleted([genOfString(), asyncFnOfNumber]);
    expectTypeOf(ac).toMatchTypeOf<Iterable<Future<string | number>>>();
    expectTypeOf(ac).toMatchTypeOf<AsyncIterable<Future<string | number>>>();
    // A `for await` variable is typed as the awaited value (TypeScript's rule); next() keeps the Future.
    void ac[Symbol.asyncIterator]()
      .next()
      .then((step) => {
        if (!step.done) expectTypeOf(step.value).toEqualTypeOf<Future<string | number>>();
      });
    for (const next of ac) expectTypeOf(next).toEqualTypeOf<Future<string | number>>();
    expectTypeOf(race([genOfString(), asyncFnOfNumber])).toEqualTypeOf<Future<string | number>>();
    expectTypeOf(any([asyncFnOfNumber, asyncFnOfNumber])).toEqualTypeOf<Future<number>>();
  });
});

describe("taskGroup", () => {
  it("returns a Task of the body's value", () => {
    expectTypeOf(taskGroup(async (tg) => tg.createTask(genOfString()).name.length)).toEqualTypeOf<Task<number>>();
    expectTypeOf(
      taskGroup(function* (tg: TaskGroup) {
        yield* sleep(1);
        return tg.toString();
      }),
    ).toEqualTypeOf<Task<string>>();
    expectTypeOf(taskGroup(() => 1)).toEqualTypeOf<Task<number>>();
    expectTypeOf(taskGroup(async () => {})).toEqualTypeOf<Task<void>>();
  });

  it("types tg.createTask like createTask", () => {
    taskGroup((tg) => {
      expectTypeOf(tg.createTask(genOfString())).toEqualTypeOf<Task<string>>();
      expectTypeOf(tg.createTask(asyncFnOfNumber)).toEqualTypeOf<Task<number>>();
      expectTypeOf(tg.signal).toEqualTypeOf<AbortSignal>();
    });
  });
});
