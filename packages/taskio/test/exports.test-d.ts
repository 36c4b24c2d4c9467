import { describe, expectTypeOf, it } from "vitest";
import type * as taskio from "../src/index.js";

describe("the umbrella's types", () => {
  it("exports the public types", () => {
    expectTypeOf<taskio.Task<number>>().toHaveProperty("cancel");
    expectTypeOf<taskio.Future<string>>().toHaveProperty("result");
    expectTypeOf<taskio.Coroutine<number>>().toHaveProperty("next");
    expectTypeOf<taskio.Suspend>().not.toBeAny();
  });
});
