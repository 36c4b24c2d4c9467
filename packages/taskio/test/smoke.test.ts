import { expect, it } from "vitest";
import * as taskio from "../src/index.js";

it("re-exports @taskio/core", async () => {
  expect(await taskio.createTask(async () => taskio.sleep(1, "ok"))).toBe("ok");
});
