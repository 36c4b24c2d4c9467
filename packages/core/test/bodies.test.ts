import { expectCancelled } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { configure, createTask, currentTask, Future, sleep } from "../src/index.js";
import { awaitBody } from "../src/internal.js";

describe("awaitBody", () => {
  it("runs a generator, awaits a Future, follows a promise and passes a value through", async () => {
    const f = new Future<number>();
    f.setResult(2);
    const t = createTask(function* () {
      const a = yield* awaitBody<number>(
        (function* () {
          yield* sleep(1);
          return 1;
        })(),
      );
      const b = yield* awaitBody<number>(f);
      const c = yield* awaitBody<number>(sleep(5).then(() => 3));
      const d = yield* awaitBody<number>(4);
      return [a, b, c, d];
    });
    expect(await t).toEqual([1, 2, 3, 4]);
  });

  it("does not abandon a promise when the task is cancelled: the task ends when the body does", async () => {
    // The body's awaits are the task's cancellation points only with AsyncLocalStorage on, as in
    // any program that has async-function tasks (a generator-only one never turns it on).
    configure({ asyncContext: true });
    const log: string[] = [];
    const t = createTask(function* () {
      const task = currentTask()!;
      return yield* awaitBody(
        (async () => {
          try {
            await sleep(1000);
          } finally {
            log.push(`body ended, task done: ${task.done()}`);
          }
        })(),
      );
    });
    await sleep(1);
    t.cancel();
    await expectCancelled(t);
    expect(log).toEqual(["body ended, task done: false"]);
  });

  it("refuses an async generator with a TypeError", async () => {
    const t = createTask(function* () {
      return yield* awaitBody((async function* () {})());
    });
    await expect(t).rejects.toThrow(/async generator/);
  });
});
