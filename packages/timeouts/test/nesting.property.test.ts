import { type Coroutine, isCancelledError, now, sleep, type Task, TimeoutError } from "@taskio/core";
import { outcome, propertyParams, propertySeed } from "@taskio/testkit";
import fc from "fast-check";
import { expect, it } from "vitest";
import { type Timeout, timeout, timeoutAt } from "../src/index.js";

const level = fc.record({
  // From 1 ms, so every level has entered before any deadline fires (deadline 0: see timeout.test.ts).
  deadline: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  form: fc.constantFrom("generator", "async"),
  absolute: fc.boolean(),
});

/**
 * Nested scopes, each with its own deadline (all entered at the same instant), around a body
 * that sleeps `duration` ms and may swallow the cancellation. The model (docs/asyncio-semantics.md#timeout-and-timeoutat):
 * with m the earliest deadline, nothing expires if m > duration; otherwise every scope whose
 * deadline is m expires, the outermost of them converts to TimeoutError, the scopes inside it end
 * cancelled and the scopes outside it pass the TimeoutError on unchanged. A body that swallows the
 * cancellation makes every scope return its value instead. Run with the testkit's fixed seed: a failure replays.
 */
it(`nested deadlines: the earliest, outermost scope reports the time-out (TASKIO_PROPERTY_SEED=${propertySeed()})`, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(level, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 50 }),
      fc.boolean(),
      async (levels, duration, swallow) => {
        const start = now();
        const scopes: Timeout[] = [];
        const tasks: Task<string>[] = [];

        function* leafGen(): Coroutine<string> {
          try {
            yield* sleep(duration);
          } catch (error) {
            if (swallow && isCancelledError(error)) return "swallowed";
            throw error;
          }
          return "value";
        }
        async function leafAsync(): Promise<string> {
          try {
            await sleep(duration);
          } catch (error) {
            if (swallow && isCancelledError(error)) return "swallowed";
            throw error;
          }
          return "value";
        }

        function open(i: number): Task<string> {
          const { deadline, form, absolute } = levels[i]!;
          const next = i + 1 < levels.length ? () => open(i + 1) : undefined;
          const when = deadline === null ? null : start + deadline;
          let task: Task<string>;
          if (form === "generator") {
            const body = function* (s: Timeout): Coroutine<string> {
              scopes[i] = s;
              return next ? yield* next() : yield* leafGen();
            };
            task = absolute ? timeoutAt(when, body) : timeout(deadline, body);
          } else {
            const body = async (s: Timeout): Promise<string> => {
              scopes[i] = s;
              return next ? await next() : await leafAsync();
            };
            task = absolute ? timeoutAt(when, body) : timeout(deadline, body);
          }
          tasks[i] = task;
          return task;
        }

        const top = await outcome(open(0));
        const outcomes = await Promise.all(tasks.map((t) => outcome(t)));

        const deadlines = levels.map((l) => l.deadline).filter((d): d is number => d !== null);
        const earliest = deadlines.length ? Math.min(...deadlines) : Infinity;
        const fires = earliest <= duration;
        expect(now() - start).toBe(fires ? earliest : duration);
        expect(scopes.map((s) => s.expired())).toEqual(levels.map((l) => fires && l.deadline === earliest));
        if (!fires || swallow) {
          const value = fires ? "swallowed" : "value";
          expect(top).toEqual({ status: "fulfilled", value });
          return;
        }
        const k = levels.findIndex((l) => l.deadline === earliest);
        const converted = (outcomes[k] as { error: unknown }).error;
        expect(converted).toBeInstanceOf(TimeoutError);
        outcomes.forEach((o, i) => {
          if (i > k) expect(o.status).toBe("cancelled");
          else expect(o).toEqual({ status: "rejected", error: converted });
        });
      },
    ),
    propertyParams(300),
  );
});
