import { expect, it } from "vitest";
import * as m from "../src/index.js";

it("loads", () => {
  expect(typeof m).toBe("object");
});
