import { describe, expectTypeOf, it } from "vitest";
import { type Coroutine, createTask, Future, run, sleep, type Task } from "../src/index.js";

describe("types", () => {
  it("yield* gives the Future's type", () => {
    createTask(function* () {
      const n = yield* sleep(1, 5);
      expectTypeOf(n).toEqualTypeOf<number>();
      const s = yield* new Future<string>();
      expectTypeOf(s).toEqualTypeOf<string>();
    });
  });

  it("createTask's result type follows each form", () => {
    function* gen(): Coroutine<number> {
      yield* sleep(1);
      return 1;
    }
    expectTypeOf(createTask(gen())).toEqualTypeOf<Task<number>>();
    expectTypeOf(createTask(async () => "s")).toEqualTypeOf<Task<string>>();
    expectTypeOf(
      createTask(function* () {
        yield* sleep(1);
        return true;
      }),
    ).toEqualTypeOf<Task<boolean>>();
    expectTypeOf(createTask(() => new Future<bigint>())).toEqualTypeOf<Task<bigint>>();
    expectTypeOf(run(async () => 1)).toEqualTypeOf<Promise<number>>();
  });

  it("a bare yield of a Future is a compile error", () => {
    function* bad(): Coroutine<void> {
      // @ts-expect-error a Future is not a Suspend: use yield*
      yield sleep(1);
    }
    expectTypeOf(bad).toBeFunction();
    // @ts-expect-error an inline generator function with a bare yield is refused too
    createTask(function* () {
      yield sleep(1);
      return 1;
    });
  });

  it("a promise or an async generator is refused: pass a function, or use a generator", () => {
    // @ts-expect-error a promise is already running outside the task: pass () => work()
    expectTypeOf(() => createTask(Promise.resolve(1))).toBeFunction();
    // @ts-expect-error an async generator function is not a taskio coroutine
    expectTypeOf(() => createTask(async function* () {})).toBeFunction();
    // @ts-expect-error run() refuses a promise too
    expectTypeOf(() => run(Promise.resolve(1))).toBeFunction();
  });
});
