import type * as combinators from "@taskio/combinators";
import type * as core from "@taskio/core";
import type * as queue from "@taskio/queue";
import type * as semaphore from "@taskio/semaphore";
import { describe, expectTypeOf, it } from "vitest";
import type * as taskio from "../src/index.js";

describe("the umbrella's types", () => {
  it("exports the public types", () => {
    expectTypeOf<taskio.Task<number>>().toHaveProperty("cancel");
    expectTypeOf<taskio.Future<string>>().toHaveProperty("result");
    expectTypeOf<taskio.Coroutine<number>>().toHaveProperty("next");
    expectTypeOf<taskio.Suspend>().not.toBeAny();
  });

  it("gives each options type one name, the same in every package", () => {
    expectTypeOf<taskio.SignalOptions>().toEqualTypeOf<core.SignalOptions>();
    expectTypeOf<queue.SignalOptions>().toEqualTypeOf<core.SignalOptions>();
    expectTypeOf<semaphore.SignalOptions>().toEqualTypeOf<core.SignalOptions>();
    expectTypeOf<taskio.WaitOptions>().toEqualTypeOf<combinators.WaitOptions>();
    expectTypeOf<taskio.RunOptions>().toEqualTypeOf<core.RunOptions>();
    expectTypeOf<taskio.AcquireOptions>().toEqualTypeOf<semaphore.AcquireOptions>();
  });

  it("takes the same { signal } options wherever a wait can be given up", () => {
    const q = new Object() as taskio.Queue<number>;
    const sem = new Object() as taskio.Semaphore;
    const event = new Object() as taskio.Event;
    expectTypeOf(q.get).parameter(0).toEqualTypeOf<taskio.SignalOptions | undefined>();
    expectTypeOf(event.wait).parameter(0).toEqualTypeOf<taskio.SignalOptions | undefined>();
    expectTypeOf(sem.acquire).parameter(0).toEqualTypeOf<taskio.AcquireOptions | undefined>();
    expectTypeOf<taskio.AcquireOptions>().toExtend<taskio.SignalOptions>();
    expectTypeOf<taskio.TaskOptions>().toExtend<taskio.SignalOptions>();
  });
});
