import { cpuTime, propertyParams } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deque } from "../src/deque.js";
import { type InLine, WaiterLine } from "../src/waiter-line.js";

interface Entry extends InLine {
  readonly n: number;
}

function entries(count: number): Entry[] {
  return Array.from({ length: count }, (_, n) => ({ n, _line: undefined }));
}

function numbers(list: readonly Entry[]): number[] {
  return list.map((entry) => entry.n);
}

type Op =
  | { kind: "push"; count: number }
  | { kind: "shift"; count: number }
  | { kind: "leave"; at: number; count: number }
  | { kind: "first"; limit: number }
  | { kind: "drain" };

const ops = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("push" as const), count: fc.integer({ min: 1, max: 60 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("shift" as const), count: fc.integer({ min: 1, max: 30 }) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("leave" as const),
        at: fc.nat(),
        count: fc.integer({ min: 1, max: 60 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("first" as const), limit: fc.integer({ min: 0, max: 80 }) }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "drain" as const }) },
  ),
  { maxLength: 40 },
);

describe("a waiter line", () => {
  it("serves its entries in arrival order, whichever of them leave early and in what order", () => {
    fc.assert(
      fc.property(ops, (steps: Op[]) => {
        const line = new WaiterLine<Entry>();
        let model: Entry[] = [];
        let next = 0;
        for (const step of steps) {
          if (step.kind === "push") {
            for (let i = 0; i < step.count; i++) {
              const entry: Entry = { n: next++, _line: undefined };
              line.push(entry);
              model.push(entry);
            }
          } else if (step.kind === "shift") {
            for (let i = 0; i < step.count; i++) {
              const entry = line.shift();
              expect(entry).toBe(model.shift());
              if (entry !== undefined) expect(entry._line).toBeUndefined();
            }
          } else if (step.kind === "leave") {
            for (let i = 0; i < step.count && model.length > 0; i++) {
              const entry = model[(step.at + i * 7) % model.length]!;
              line.leave(entry);
              line.leave(entry); // a second leave does nothing
              expect(entry._line).toBeUndefined();
              model = model.filter((e) => e !== entry);
            }
          } else if (step.kind === "first") {
            expect(numbers(line.first(step.limit))).toEqual(numbers(model.slice(0, step.limit)));
          } else {
            expect(numbers(line.drain())).toEqual(numbers(model));
            model = [];
          }
          expect(line.live).toBe(model.length);
          // Those that left never outnumber the live ones for long.
          expect(line._entries.size).toBeLessThanOrEqual(2 * model.length + 17);
        }
        expect(numbers(line.drain())).toEqual(numbers(model));
      }),
      propertyParams(60),
    );
  });

  it("an entry that is not in the line is left alone by leave()", () => {
    const line = new WaiterLine<Entry>();
    const other = new WaiterLine<Entry>();
    const [a, b] = entries(2) as [Entry, Entry];
    line.push(a);
    other.push(b);
    line.leave(b);
    expect(b._line).toBe(other);
    expect(line.live).toBe(1);
    expect(line.shift()).toBe(a);
  });

  it("a hundred thousand entries leaving from anywhere cost time linear in their number", async () => {
    const line = new WaiterLine<Entry>();
    const all = entries(100_000);
    for (const entry of all) line.push(entry);
    const used = await cpuTime(() => {
      for (let i = 0; i < all.length; i += 2) line.leave(all[i]!);
      for (let i = all.length - 1; i > 0; i -= 2) line.leave(all[i]!);
    });
    // Generous for a loaded machine: it takes a few milliseconds; a scan per leave takes seconds.
    expect(used).toBeLessThan(1_000);
    expect(line.live).toBe(0);
    expect(line.shift()).toBeUndefined();
  });

  it("a million entries served in batches from the front are each walked once", async () => {
    const line = new WaiterLine<Entry>();
    for (const entry of entries(1_000_000)) line.push(entry);
    const used = await cpuTime(() => {
      while (line.live > 0) for (const entry of line.first(100)) line.leave(entry);
    });
    // Generous for a loaded machine: it takes about 150 ms; walking past those that left takes seconds.
    expect(used).toBeLessThan(1_500);
    expect(line._entries.size).toBe(0);
  });
});

describe("a deque", () => {
  it("iterates over its items oldest first, across the end of its ring", () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 6; i++) deque.push(i);
    deque.take();
    deque.take();
    for (let i = 6; i < 10; i++) deque.push(i);
    expect([...deque]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
