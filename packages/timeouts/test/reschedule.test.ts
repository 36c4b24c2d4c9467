import { Future, InvalidStateError, isCancelledError, now, sleep, TimeoutError } from "@taskio/core";
import { expectCancelled, outcome } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { Timeout, timeout, timeoutAt } from "../src/index.js";

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("Timeout.reschedule", () => {
  it("extending the deadline before it fires prevents the timeout", async () => {
    let scope!: Timeout;
    const task = timeout(10, function* (s) {
      scope = s;
      yield* sleep(5);
      s.reschedule(s.when()! + 20);
      yield* sleep(20);
      return "in time";
    });
    expect(await task).toBe("in time");
    expect(scope.when()).toBe(30);
    expect(scope.expired()).toBe(false);
    expect(now()).toBe(25);
  });

  it("shortening it fires earlier", async () => {
    const task = timeout(100, async (s) => {
      s.reschedule(now() + 5);
      await sleep(1_000);
    });
    const result = await outcome(task);
    expect((result as { error: Error }).error).toBeInstanceOf(TimeoutError);
    expect((result as { error: Error }).error.message).toBe(
      "timeout() expired: its deadline 5 (on the now() clock) passed",
    );
    expect(now()).toBe(5);
  });

  it("null (or Infinity) clears it", async () => {
    for (const none of [null, Infinity]) {
      let scope!: Timeout;
      const task = timeout(10, function* (s) {
        scope = s;
        s.reschedule(none);
        yield* sleep(1_000);
        return "no limit";
      });
      expect(await task).toBe("no limit");
      expect(scope.when()).toBeNull();
      expect(scope.expired()).toBe(false);
    }
  });

  it("a deadline already passed fires on the next turn", async () => {
    const task = timeout(1_000, function* (s) {
      yield* sleep(50);
      s.reschedule(now() - 1);
      yield* sleep(0);
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(now()).toBe(50);
  });

  it("from outside the body: when() follows, and a later cancel is a CancelledError, not expired", async () => {
    const deadline1 = now() + 10;
    const deadline2 = deadline1 + 20;
    const entered = new Future<Timeout>();
    const task = timeoutAt(deadline1, function* (scope) {
      entered.setResult(scope);
      yield* sleep(50);
    });
    const scope = await entered;
    expect(scope.when()).toBe(deadline1);
    expect(String(scope)).toBe("<Timeout [active] when=10>");
    scope.reschedule(deadline2);
    expect(scope.when()).toBe(deadline2);
    scope.reschedule(null);
    expect(scope.when()).toBeNull();
    expect(String(scope)).toBe("<Timeout [active] when=null>");
    task.cancel();
    await expectCancelled(task);
    expect(scope.expired()).toBe(false);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#timeout-and-timeoutat
describe("Timeout state errors", () => {
  it("reschedule after the body finished → InvalidStateError naming the state", async () => {
    const scope = await timeout(10, (s) => s);
    expect(() => scope.reschedule(now() + 20)).toThrow(InvalidStateError);
    expect(() => scope.reschedule(now() + 20)).toThrow(/finished/);
  });

  it("reschedule after it expired → InvalidStateError (expired)", async () => {
    let scope!: Timeout;
    const task = timeout(10, function* (s) {
      scope = s;
      yield* sleep(1_000);
    });
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(() => scope.reschedule(null)).toThrow(/an expired Timeout/);
  });

  it("reschedule inside the body once the deadline passed → InvalidStateError (expiring)", async () => {
    const task = timeout(10, function* (s) {
      try {
        yield* sleep(1_000);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
      }
      try {
        s.reschedule(now() + 10);
      } catch (error) {
        return error;
      }
    });
    const error = await task;
    expect(error).toBeInstanceOf(InvalidStateError);
    expect((error as Error).message).toMatch(/an expiring Timeout/);
  });

  it("a Timeout made with new has not been entered and has no signal", () => {
    const scope = new Timeout(10, "Timeout", 10);
    expect(scope.when()).toBe(10);
    expect(scope.expired()).toBe(false);
    expect(String(scope)).toBe("<Timeout [created]>");
    expect(() => scope.reschedule(20)).toThrow(/has not been entered/);
    expect(() => scope.signal).toThrow(InvalidStateError);
  });

  it("reschedule checks its argument", async () => {
    await timeout(10, (s) => {
      expect(() => s.reschedule(Number.NaN)).toThrow(RangeError);
      expect(() => s.reschedule("5" as unknown as number)).toThrow(TypeError);
      expect(() => s.reschedule(undefined as unknown as number)).toThrow(/when must be/);
      expect(s.when()).toBe(10);
    });
  });
});
