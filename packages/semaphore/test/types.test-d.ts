import { type Coroutine, Future, sleep } from "@taskio/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  BoundedSemaphore,
  Event,
  type LimitFunction,
  Lock,
  limit,
  type Permit,
  RateLimiter,
  Semaphore,
} from "../src/index.js";

declare function fetchText(url: string, init?: { signal?: AbortSignal }): Promise<string>;

describe("run() return types", () => {
  const sem = new Semaphore(2);
  const limited = limit(1);

  it("an async function's result, unwrapped", () => {
    expectTypeOf(sem.run(async () => 42)).toEqualTypeOf<Future<number>>();
    expectTypeOf(sem.run((signal) => fetchText("u", { signal }))).toEqualTypeOf<Future<string>>();
  });

  it("a generator function's return value", () => {
    expectTypeOf(
      sem.run(function* () {
        yield* sleep(1);
        return "done";
      }),
    ).toEqualTypeOf<Future<string>>();
  });

  it("a plain function's value, or what its Future, Task or generator produces", () => {
    expectTypeOf(sem.run(() => 1)).toEqualTypeOf<Future<number>>();
    expectTypeOf(sem.run(() => new Future<boolean>())).toEqualTypeOf<Future<boolean>>();
    expectTypeOf(sem.run(() => sem.run(async () => "inner"))).toEqualTypeOf<Future<string>>();
    function* work(): Coroutine<bigint> {
      yield* sleep(1);
      return 1n;
    }
    expectTypeOf(sem.run(() => work())).toEqualTypeOf<Future<bigint>>();
    expectTypeOf(sem.run(() => undefined)).toEqualTypeOf<Future<undefined>>();
    expectTypeOf(sem.run(() => JSON.parse("1"))).toEqualTypeOf<Future<any>>();
    expectTypeOf(
      sem.run(async () => {
        throw new Error("x");
      }),
    ).toEqualTypeOf<Future<never>>();
  });

  it("the body's parameter is the task's AbortSignal, and run takes a weight", () => {
    sem.run((signal) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
    });
    expectTypeOf(sem.run(() => 1, { weight: 2 })).toEqualTypeOf<Future<number>>();
    // @ts-expect-error run takes a function, not a promise
    sem.run(Promise.resolve(1));
    // @ts-expect-error the weight is a number
    sem.run(() => 1, { weight: "2" });
  });

  it("Lock.run and RateLimiter.run type the same way", () => {
    const lock = new Lock();
    expectTypeOf(lock.run(async () => [1, 2])).toEqualTypeOf<Future<number[]>>();
    expectTypeOf(
      lock.run(function* () {
        return yield* sleep(1, "x" as const);
      }),
    ).toEqualTypeOf<Future<"x">>();
    const rate = new RateLimiter({ limit: 1, interval: 10 });
    expectTypeOf(rate.run((signal) => fetchText("u", { signal }))).toEqualTypeOf<Future<string>>();
  });

  it("a bare yield (a forgotten star) inside a generator body does not compile", () => {
    // @ts-expect-error a Future is not a Suspend: use yield*
    sem.run(function* () {
      yield sleep(1);
    });
    // @ts-expect-error the same for Lock.run
    new Lock().run(function* () {
      yield sleep(1);
    });
    // @ts-expect-error and for limit()
    limited(function* (ms: number) {
      yield sleep(ms);
    }, 1);
  });
});

describe("the waiting operations", () => {
  it("return Future<true>", () => {
    expectTypeOf(new Semaphore().acquire()).toEqualTypeOf<Future<true>>();
    expectTypeOf(new BoundedSemaphore().acquire({ weight: 1 })).toEqualTypeOf<Future<true>>();
    expectTypeOf(new Lock().acquire({ signal: new AbortController().signal })).toEqualTypeOf<Future<true>>();
    expectTypeOf(new Event().wait()).toEqualTypeOf<Future<true>>();
    expectTypeOf(new RateLimiter({ limit: 1, interval: 1 }).acquire()).toEqualTypeOf<Future<true>>();
  });

  it("value is a read-only number", () => {
    const sem = new Semaphore();
    expectTypeOf(sem.value).toEqualTypeOf<number>();
    // @ts-expect-error value is read-only
    sem.value = 3;
  });
});

describe("limit()", () => {
  const limited = limit(2);

  it("types each call from the function and its arguments", () => {
    expectTypeOf(limited).toEqualTypeOf<LimitFunction>();
    expectTypeOf(limited(async (a: number, b: string) => `${a}${b}`, 1, "x")).toEqualTypeOf<Future<string>>();
    expectTypeOf(
      limited(function* (n: number) {
        yield* sleep(n);
        return n > 0;
      }, 5),
    ).toEqualTypeOf<Future<boolean>>();
    expectTypeOf(limited(() => 3)).toEqualTypeOf<Future<number>>();
    // @ts-expect-error the arguments must match the function
    limited(async (a: number) => a, "not a number");
    expectTypeOf(limited.activeCount).toEqualTypeOf<number>();
    expectTypeOf(limited.pendingCount).toEqualTypeOf<number>();
  });
});

describe("the peers' habits", () => {
  it("hold() gives a disposable Permit; waitForUnlock() a Future<true>", () => {
    expectTypeOf(new Semaphore().hold({ weight: 2, priority: 1 })).toEqualTypeOf<Future<Permit>>();
    expectTypeOf(new Lock().hold()).toEqualTypeOf<Future<Permit>>();
    expectTypeOf<Permit>().toExtend<Disposable>();
    expectTypeOf(new Lock().waitForUnlock()).toEqualTypeOf<Future<true>>();
    expectTypeOf(new Semaphore().waiting).toEqualTypeOf<number>();
  });

  it("limit.map() resolves to the mapper's results, unwrapped, in an array", () => {
    const limited = limit(2);
    expectTypeOf(limited.map([1, 2], async (n, i) => `${n}${i}`)).toEqualTypeOf<Future<string[]>>();
    expectTypeOf(
      limited.map(new Set(["a"]), function* (s): Coroutine<number> {
        yield* sleep(1);
        return s.length;
      }),
    ).toEqualTypeOf<Future<number[]>>();
    expectTypeOf(limited.concurrency).toEqualTypeOf<number>();
  });
});
