import { propertyParams } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addPending, createPendingTasks, listPending, type PendingTasks, removePending } from "../src/pending-tasks.js";
import type { Task } from "../src/tasks.js";

/** What the registry reads and writes on a task, and nothing more. */
function fakeTask(number: number): Task<unknown> {
  return { _page: undefined, _slot: 0, _number: number } as unknown as Task<unknown>;
}

const all = () => true;

/** Every pending task sits in its slot of a listed page, and the pages count exactly those. */
function expectConsistent(tasks: PendingTasks, pending: readonly Task<unknown>[]): void {
  for (const task of pending) {
    expect(tasks.pages).toContain(task._page);
    expect(task._page!.slots[task._slot]).toBe(task);
  }
  expect(tasks.pages.reduce((sum, page) => sum + page.live, 0)).toBe(pending.length);
  expect(tasks.pages.at(-1)).toBe(tasks.current);
}

type Op = { kind: "add"; count: number } | { kind: "end"; at: number; count: number };

const ops = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("add" as const), count: fc.integer({ min: 1, max: 120 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("end" as const),
        at: fc.nat(),
        count: fc.integer({ min: 1, max: 120 }),
      }),
    },
  ),
  { maxLength: 40 },
);

describe("the pending tasks", () => {
  it("lists exactly the tasks added and not yet ended, oldest first, whatever order they end in", () => {
    fc.assert(
      fc.property(ops, (steps: Op[]) => {
        const tasks = createPendingTasks();
        let pending: Task<unknown>[] = [];
        let next = 0;
        for (const step of steps) {
          if (step.kind === "add") {
            for (let i = 0; i < step.count; i++) {
              const task = fakeTask(next++);
              addPending(tasks, task);
              pending.push(task);
            }
          } else {
            for (let i = 0; i < step.count && pending.length > 0; i++) {
              const task = pending[(step.at + i * 7) % pending.length]!;
              removePending(tasks, task);
              expect(task._page).toBeUndefined();
              pending = pending.filter((t) => t !== task);
            }
          }
          expectConsistent(tasks, pending);
        }
        expect(listPending(tasks, all)).toEqual(pending);
      }),
      propertyParams(60),
    );
  });

  it("lists only the tasks the filter accepts", () => {
    const tasks = createPendingTasks();
    const made = Array.from({ length: 600 }, (_, i) => fakeTask(i));
    for (const task of made) addPending(tasks, task);
    expect(listPending(tasks, (task) => task._number % 100 === 0)).toEqual(made.filter((t) => t._number % 100 === 0));
  });

  it("a few long-lived tasks among many short ones do not each hold a page", () => {
    const tasks = createPendingTasks();
    const long: Task<unknown>[] = [];
    let next = 0;
    for (let round = 0; round < 400; round++) {
      const task = fakeTask(next++);
      addPending(tasks, task);
      long.push(task);
      const short = Array.from({ length: 255 }, () => fakeTask(next++));
      for (const t of short) addPending(tasks, t);
      for (const t of short) removePending(tasks, t);
    }
    expectConsistent(tasks, long);
    expect(listPending(tasks, all)).toEqual(long);
    // A page of 256 slots for every 16 of them or more, not one each.
    expect(tasks.pages.length).toBeLessThanOrEqual(long.length / 16 + 2);
  });
});
