import { describe, expect, it } from "vitest";
import { CancelledError, createTask, Future, sleep } from "../src/index.js";

describe("a cancel message that is not a string", () => {
  it.each([
    ["a Symbol", Symbol("why"), "Symbol(why)"],
    ["an object", { toString: () => "custom" }, "custom"],
    ["a number", 42, "42"],
  ])("Future.cancel(%s): result() throws a CancelledError with it as text", (_, msg, text) => {
    const fut = new Future<number>();
    expect(fut.cancel(msg as never)).toBe(true);
    expect(() => fut.result()).toThrow(CancelledError);
    expect(() => fut.result()).toThrow(text);
  });

  it.each([
    [
      "generator",
      () =>
        createTask(function* () {
          yield* sleep(10);
        }),
    ],
    ["async function", () => createTask(async (_signal: AbortSignal) => sleep(10))],
  ])("%s task cancelled with a Symbol before its first step, its signal read, ends cancelled", async (_, start) => {
    const task = start();
    void task.signal;
    expect(task.cancel(Symbol("why") as never)).toBe(true);
    await expect(task).rejects.toThrow(CancelledError);
    expect((task.signal.reason as Error).message).toBe("Symbol(why)");
  });

  it.each([
    [
      "generator",
      () =>
        createTask(function* () {
          yield* sleep(10);
        }),
    ],
    ["async function", () => createTask(async () => sleep(10))],
  ])("%s task cancelled with a Symbol ends with a CancelledError", async (_, start) => {
    const task = start();
    await sleep(1);
    expect(task.cancel(Symbol("why") as never)).toBe(true);
    await expect(task).rejects.toThrow(CancelledError);
  });
});
