import { createTask, isCancelledError, now, sleep, TimeoutError } from "@taskio/core";
import { outcome, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { type Timeout, timeout, timeoutAt, waitFor } from "../src/index.js";

/** Foreign work that only ends when its signal aborts (or when `finish` is called). */
function foreignOp(signal: AbortSignal, log: (label: string) => void) {
  let finish!: (value: string) => void;
  const promise = new Promise<string>((resolve, reject) => {
    finish = resolve;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener(
      "abort",
      () => {
        log("aborted");
        reject(signal.reason);
      },
      { once: true },
    );
  });
  return { promise, finish };
}

describe("scope.signal", () => {
  it("aborts at the deadline: foreign work rejects with the CancelledError, the task with TimeoutError caused by it", async () => {
    const tl = timeline();
    let signal!: AbortSignal;
    const task = timeout(10, (scope) => {
      signal = scope.signal;
      return foreignOp(scope.signal, tl.log).promise;
    });
    const result = await outcome(task);
    const error = (result as { error: TimeoutError }).error;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isCancelledError(signal.reason)).toBe(true);
    expect(signal.reason.message).toBe("timeout() timed out after 10 ms");
    expect(error.cause).toBe(signal.reason);
    expect(tl.stamped()).toEqual(["aborted@10"]);
  });

  it("an async body awaiting foreign work through scope.signal (fetch-style)", async () => {
    const tl = timeline();
    const task = timeoutAt(now() + 30, async (scope) => {
      await sleep(10);
      tl.log("fetching");
      return await foreignOp(scope.signal, tl.log).promise;
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(tl.stamped()).toEqual(["fetching@10", "aborted@30"]);
  });

  it("its listeners see the scope already expired", async () => {
    let seen: boolean | undefined;
    const task = timeout(10, (scope: Timeout) => {
      scope.signal.addEventListener("abort", () => {
        seen = scope.expired();
      });
      return foreignOp(scope.signal, () => {}).promise;
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(seen).toBe(true);
  });

  it("cleanup after the foreign work rejected can still await taskio operations (delivered once)", async () => {
    const tl = timeline();
    const task = timeout(10, async (scope) => {
      try {
        await foreignOp(scope.signal, tl.log).promise;
      } finally {
        await sleep(5);
        tl.log("cleanup done");
      }
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(tl.stamped()).toEqual(["aborted@10", "cleanup done@15"]);
  });

  it("waitFor(fn, ms) passes fn the returned task's signal, aborted at the deadline", async () => {
    const tl = timeline();
    let signal!: AbortSignal;
    const task = waitFor((s) => {
      signal = s;
      return foreignOp(s, tl.log).promise;
    }, 10);
    const result = await outcome(task);
    expect(signal).toBe(task.signal);
    expect((result as { error: TimeoutError }).error.cause).toBe(signal.reason);
    expect(tl.stamped()).toEqual(["aborted@10"]);
  });

  it("does not abort when the body finishes in time", async () => {
    let signal!: AbortSignal;
    const task = timeout(10, (scope) => {
      signal = scope.signal;
      const op = foreignOp(scope.signal, () => {});
      sleep(5).addDoneCallback(() => op.finish("in time"));
      return op.promise;
    });
    expect(await task).toBe("in time");
    await sleep(100);
    expect(signal.aborted).toBe(false);
  });

  it("read after the deadline in a body that swallowed the cancellation: already aborted, and stays so", async () => {
    const task = timeout(10, function* (scope) {
      try {
        yield* sleep(1_000);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
      }
      return scope.signal.aborted;
    });
    expect(await task).toBe(true);
  });

  it("an outer task's signal is not aborted by an inner scope", async () => {
    const outer = createTask(async (outerSignal) => {
      const inner = await outcome(
        timeout(10, async (scope) => {
          await foreignOp(scope.signal, () => {}).promise;
        }),
      );
      return [inner.status, outerSignal.aborted];
    });
    expect(await outer).toEqual(["rejected", false]);
  });
});
