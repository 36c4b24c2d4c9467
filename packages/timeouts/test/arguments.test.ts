import { Future, sleep } from "@taskio/core";
import { describe, expect, it, vi } from "vitest";
import { timeout, timeoutAt, waitFor } from "../src/index.js";

const body = () => "ok";

describe("bad arguments are typed errors that name the argument", () => {
  it("timeout(ms): a non-number → TypeError; NaN or -Infinity → RangeError", () => {
    expect(() => timeout("10" as unknown as number, body)).toThrow(
      new TypeError('timeout(ms, body): ms must be a number of milliseconds, or null for no limit; got "10" (string)'),
    );
    expect(() => timeout(undefined as unknown as number, body)).toThrow(/ms must be a number.*got undefined/);
    expect(() => timeout(Number.NaN, body)).toThrow(RangeError);
    expect(() => timeout(-Infinity, body)).toThrow(/ms must be a finite number of milliseconds, Infinity or null/);
  });

  it("timeout(ms, body): body must be a function, with a hint for the usual mistakes", () => {
    function* work() {
      yield* sleep(1);
    }
    const promise = Promise.resolve(1);
    expect(() => timeout(10, work() as never)).toThrow(/generator function itself/);
    expect(() => timeout(10, promise as never)).toThrow(/already running outside the scope/);
    expect(() => timeout(10, 5 as never)).toThrow(
      new TypeError(
        "timeout(ms, body): body must be a function that receives the Timeout scope, got 5 (number); pass `(scope) => …`, an async function or a generator function",
      ),
    );
  });

  it("timeoutAt(when): a non-number → TypeError; NaN → RangeError, both naming when", () => {
    expect(() => timeoutAt("soon" as unknown as number, body)).toThrow(
      /timeoutAt\(when, body\): when must be a deadline/,
    );
    expect(() => timeoutAt(Number.NaN, body)).toThrow(RangeError);
    expect(() => timeoutAt(10, null as never)).toThrow(/timeoutAt\(when, body\): body must be a function/);
  });

  it("waitFor(aw, ms): aw must be awaitable; ms is checked before aw is touched", () => {
    const fut = new Future<number>();
    expect(() => waitFor(42 as never, 10)).toThrow(/waitFor\(aw, ms\): aw must be a Future or Task.*got 42 \(number\)/);
    async function* stream() {
      yield 1;
    }
    expect(() => waitFor(stream() as never, 10)).toThrow(/async generator is not a taskio coroutine/);
    expect(() => waitFor(fut, undefined as unknown as number)).toThrow(TypeError);
    expect(() => waitFor(fut, Number.NaN)).toThrow(RangeError);
    expect(fut.done()).toBe(false);
  });

  it("a deadline that looks like Date.now() is warned about, once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await timeoutAt(Date.now() + 1_000, body)).toBe("ok");
    expect(await timeoutAt(Date.now() + 2_000, body)).toBe("ok");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/looks like epoch milliseconds.*use now\(\) \+ ms/);
  });
});
