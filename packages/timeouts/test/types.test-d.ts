import { type Coroutine, Future, sleep, type Task } from "@taskio/core";
import { describe, expectTypeOf, it } from "vitest";
import { type Timeout, timeout, timeoutAt, waitFor } from "../src/index.js";

describe("timeout / timeoutAt types", () => {
  it("a generator body gives Task<its return type>", () => {
    expectTypeOf(
      timeout(10, function* () {
        return 1;
      }),
    ).toEqualTypeOf<Task<number>>();
    expectTypeOf(
      timeoutAt(10, function* (scope) {
        expectTypeOf(scope).toEqualTypeOf<Timeout>();
        return yield* sleep(1, "slept");
      }),
    ).toEqualTypeOf<Task<string>>();
  });

  it("an async body gives Task<the awaited value>; a Future-returning one unwraps it", () => {
    expectTypeOf(timeout(10, async () => "x")).toEqualTypeOf<Task<string>>();
    expectTypeOf(timeout(null, (scope) => scope.signal)).toEqualTypeOf<Task<AbortSignal>>();
    expectTypeOf(timeoutAt(5, () => new Future<boolean>())).toEqualTypeOf<Task<boolean>>();
  });

  it("the scope's API", () => {
    expectTypeOf<Timeout["when"]>().returns.toEqualTypeOf<number | null>();
    expectTypeOf<Timeout["reschedule"]>().parameters.toEqualTypeOf<[when: number | null]>();
    expectTypeOf<Timeout["expired"]>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<Timeout["signal"]>().toEqualTypeOf<AbortSignal>();
  });

  it("rejects what is not a body", () => {
    // @ts-expect-error a promise is already running: pass a function
    timeout(10, Promise.resolve(1));
    // @ts-expect-error ms is required (null for no limit)
    timeout(() => 1);
    // @ts-expect-error ms is a number
    timeout("10", () => 1);
  });
});

describe("waitFor types", () => {
  it("gives Task<T> for each kind of awaitable", () => {
    function* gen(): Coroutine<string> {
      yield* sleep(1);
      return "a";
    }
    expectTypeOf(waitFor(new Future<number>(), 10)).toEqualTypeOf<Task<number>>();
    expectTypeOf(waitFor(gen(), 10)).toEqualTypeOf<Task<string>>();
    expectTypeOf(waitFor(gen, null)).toEqualTypeOf<Task<string>>();
    expectTypeOf(waitFor(async (signal: AbortSignal) => signal.aborted, 10)).toEqualTypeOf<Task<boolean>>();
    expectTypeOf(waitFor(Promise.resolve(1n), 10)).toEqualTypeOf<Task<bigint>>();
    // @ts-expect-error not awaitable
    waitFor(42, 10);
  });
});
