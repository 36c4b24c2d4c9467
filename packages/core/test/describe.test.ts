import { tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { createTask, Future, sleep } from "../src/index.js";
import { describeWait, labelWait } from "../src/internal.js";

describe("what a waiting Future is waiting for", () => {
  it("is told by sleep: the task and the Future name it", async () => {
    const s = sleep(1000);
    expect(String(s)).toBe("<Future pending waiting in sleep(1000)>");
    s.cancel();
    expect(String(s)).toBe("<Future cancelled>");
  });

  it.each([
    [
      "generator",
      () =>
        createTask(
          function* () {
            yield* sleep(1000);
          },
          { name: "napper" },
        ),
    ],
    [
      "async function",
      () =>
        createTask(
          async () => {
            await sleep(1000);
          },
          { name: "napper" },
        ),
    ],
  ])("shows in String(task) while a %s task waits", async (_form, make) => {
    const task = make();
    await tick();
    expect(String(task)).toBe("<Task pending name='napper' waiting in sleep(1000)>");
    task.cancel();
    await tick();
    expect(String(task)).toBe("<Task cancelled name='napper'>");
  });

  it("names the primitive waited on with its own toString(), built only when asked", () => {
    let asked = 0;
    const owner = {
      toString() {
        asked++;
        return "<Pool 0 free>";
      },
    };
    const future = labelWait(new Future<number>(), "Pool.take()", owner);
    expect(asked).toBe(0);
    expect(describeWait(future)).toBe("Pool.take() on <Pool 0 free>");
    expect(String(future)).toBe("<Future pending waiting in Pool.take() on <Pool 0 free>>");
    expect(asked).toBe(2);
    expect(describeWait(new Future())).toBeUndefined();
  });
});
