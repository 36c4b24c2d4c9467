import type { Task } from "@taskio/core";
import { cpuTime, propertyParams } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { UnackedItems } from "../src/unacked.js";

/** Stand-ins for the tasks that got items (undefined: plain code). */
const tasks = [undefined, ...Array.from({ length: 4 }, (_, i) => ({ name: `t${i}` }) as unknown as Task<unknown>)];

type Op = { kind: "got"; by: number } | { kind: "done"; by: number };

const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("got" as const), by: fc.integer({ min: 0, max: tasks.length - 1 }) }),
    fc.record({ kind: fc.constant("done" as const), by: fc.integer({ min: 0, max: tasks.length - 1 }) }),
  ),
  { maxLength: 200 },
);

describe("which item taskDone() acknowledges", () => {
  test("the oldest the calling task got, else the oldest of all, in any mix of tasks", () => {
    fc.assert(
      fc.property(ops, (steps: Op[]) => {
        const unacked = new UnackedItems();
        // The rule as a list, oldest first: the calling task's first item, or the first item.
        const model: { id: string; task: Task<unknown> | undefined }[] = [];
        let next = 0;
        for (const step of steps) {
          const task = tasks[step.by];
          if (step.kind === "got") {
            const id = `${next++}`;
            unacked.add(id, task);
            model.push({ id, task });
          } else {
            const at = model.findIndex((item) => item.task === task);
            const expected = model.length === 0 ? undefined : model.splice(at === -1 ? 0 : at, 1)[0]!.id;
            expect(unacked.take(task)).toBe(expected);
          }
          expect(unacked.size).toBe(model.length);
        }
        expect(unacked.ids()).toEqual(model.map((item) => item.id));
      }),
      propertyParams(100),
    );
  });

  test("two hundred thousand items got and acknowledged cost time linear in their number", async () => {
    const unacked = new UnackedItems();
    const used = await cpuTime(() => {
      for (let i = 0; i < 200_000; i++) unacked.add(`${i}`, tasks[i % tasks.length]);
      // Plain code takes its own items, then, once it has none, the oldest of all; each task its own.
      for (let i = 0; i < 100_000; i++) unacked.take(undefined);
      for (let i = 0; i < 100_000; i++) unacked.take(tasks[1 + (i % 4)]);
    });
    // Generous for a loaded machine: it takes tens of milliseconds; a scan or splice per item takes seconds.
    expect(used).toBeLessThan(2_000);
    expect(unacked.size).toBe(0);
  });
});
