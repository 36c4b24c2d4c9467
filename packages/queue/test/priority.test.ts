import { propertyParams, propertySeed, seededRandom } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PriorityQueue } from "../src/index.js";
import { drain } from "./helpers.js";

describe("default order", () => {
  it("numbers, lowest first", () => {
    const q = new PriorityQueue<number>();
    for (const n of [5, -1, 3.5, 0, -0, 10, 2]) q.putNowait(n);
    expect(drain(q)).toEqual([-1, 0, -0, 2, 3.5, 5, 10]);
  });

  it("numbers and bigints together, numerically", () => {
    const q = new PriorityQueue<number | bigint>();
    for (const n of [3n, 1.5, 2, 10n ** 20n, -5n]) q.putNowait(n);
    expect(drain(q)).toEqual([-5n, 1.5, 2, 3n, 10n ** 20n]);
  });

  it("strings by code unit", () => {
    const q = new PriorityQueue<string>();
    for (const s of ["b", "a", "B", "ab", ""]) q.putNowait(s);
    expect(drain(q)).toEqual(["", "B", "a", "ab", "b"]);
  });

  it("arrays lexicographically, a prefix first, like Python tuples", () => {
    const q = new PriorityQueue<(number | string)[]>();
    for (const a of [[2, "b"], [1, "z"], [2, "a"], [1], [2, "a", 0], []]) q.putNowait(a);
    expect(drain(q)).toEqual([[], [1], [1, "z"], [2, "a"], [2, "a", 0], [2, "b"]]);
  });

  it("nested arrays", () => {
    const q = new PriorityQueue<[number[], string]>();
    q.putNowait([[1, 2], "b"]);
    q.putNowait([[1, 1], "c"]);
    q.putNowait([[0], "a"]);
    expect(drain(q).map((x) => x[1])).toEqual(["a", "c", "b"]);
  });

  it("equal keys come out in the order they were put", () => {
    const q = new PriorityQueue<[number, string]>({ compare: (a, b) => a[0] - b[0] });
    const items: [number, string][] = [];
    for (let i = 0; i < 200; i++) items.push([i % 3, `item${i}`]);
    for (const item of items) q.putNowait(item);
    const expected = [...items].sort((a, b) => a[0] - b[0]);
    expect(drain(q)).toEqual(expected);
  });

  it("equal default keys too: identical arrays keep their identity order", () => {
    const q = new PriorityQueue<number[]>();
    const a = [1, 1];
    const b = [1, 1];
    const c = [0, 9];
    q.putNowait(a);
    q.putNowait(b);
    q.putNowait(c);
    const out = drain(q);
    expect(out[0]).toBe(c);
    expect(out[1]).toBe(a);
    expect(out[2]).toBe(b);
  });
});

describe("items without a default order", () => {
  it.each([
    [{}, /item is an Object, which has no default order/],
    [null, /item is null/],
    [undefined, /item is undefined/],
    [true, /item is true \(boolean\)/],
    [Number.NaN, /item is NaN, which has no order/],
    [[1, { id: 1 }], /item\[1\] is an Object/],
    [[1, [2, Symbol("s")]], /item\[1\]\[1\] is Symbol\(s\) \(symbol\)/],
  ])("%o is a TypeError at put, naming the position and asking for compare", (item, message) => {
    const q = new PriorityQueue<unknown>();
    expect(() => q.putNowait(item)).toThrow(TypeError);
    expect(() => q.putNowait(item)).toThrow(message);
    expect(() => q.put(item)).toThrow(/pass new PriorityQueue\(\{ compare: \(a, b\) => … \}\)/);
    expect(q.qsize()).toBe(0);
    expect(String(q)).toBe("<PriorityQueue maxsize=0>");
  });

  it("is a TypeError even when a getter is waiting (no comparison would be needed)", () => {
    const q = new PriorityQueue<unknown>();
    const g = q.get();
    expect(() => q.putNowait({})).toThrow(TypeError);
    expect(g.done()).toBe(false);
    g.cancel();
  });

  it("items that cannot be compared with the queued ones are a TypeError", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    expect(() => q.putNowait("a")).toThrow(/item is "a" \(string\) where the queued items have a number/);
    expect(() => q.putNowait([1])).toThrow(/item is an array where the queued items have a number/);
    const tuples = new PriorityQueue<unknown>();
    tuples.putNowait([1, "x"]);
    expect(() => tuples.putNowait([2, 3])).toThrow(/item\[1\] is 3 \(number\) where the queued items have a string/);
    tuples.putNowait([2]);
    tuples.putNowait([2, "y", 5]);
    expect(() => tuples.putNowait([0, "a", "b"])).toThrow(/item\[2\]/);
    expect(drain(tuples)).toEqual([[1, "x"], [2], [2, "y", 5]]);
  });

  it("a rejected item leaves no trace in what the queue accepts next", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait([1]);
    expect(() => q.putNowait([1, "a", {}])).toThrow(TypeError);
    q.putNowait([1, 2]);
    expect(drain(q)).toEqual([[1], [1, 2]]);
  });

  it("once the queue is empty, items of another kind are accepted (as Python allows)", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    q.getNowait();
    q.putNowait("now strings");
    expect(q.getNowait()).toBe("now strings");
  });

  it("items waiting to be put count: a later put must be comparable with them too", () => {
    const q = new PriorityQueue<unknown>({ maxsize: 1 });
    q.putNowait([1]);
    const waiting = q.put([2, "a"]);
    expect(() => q.put([3, 4])).toThrow(/item\[1\]/);
    q.getNowait();
    expect(waiting.done()).toBe(true);
    expect(q.getNowait()).toEqual([2, "a"]);
  });
});

describe("compare", () => {
  interface Job {
    name: string;
    deadline: number;
  }

  it("orders anything", () => {
    const q = new PriorityQueue<Job>({ compare: (a, b) => a.deadline - b.deadline, maxsize: 10 });
    q.putNowait({ name: "late", deadline: 30 });
    q.putNowait({ name: "soon", deadline: 10 });
    q.putNowait({ name: "mid", deadline: 20 });
    expect(drain(q).map((j) => j.name)).toEqual(["soon", "mid", "late"]);
    expect(q.maxsize).toBe(10);
  });

  it("a result that is not a number is a TypeError", () => {
    const q = new PriorityQueue<number>({ compare: () => undefined as never });
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(/compare\(a, b\) must return a number .* got undefined/);
    const nan = new PriorityQueue<number>({ compare: () => Number.NaN });
    nan.putNowait(1);
    expect(() => nan.putNowait(2)).toThrow(/got NaN/);
    expect(nan.qsize()).toBe(1);
  });

  it("a compare that throws fails that put or get and leaves the queue intact", async () => {
    let armed = false;
    const q = new PriorityQueue<number>({
      compare: (a, b) => {
        if (armed) throw new Error("boom");
        return a - b;
      },
    });
    for (const n of [5, 3, 8, 1, 9, 2, 7]) q.putNowait(n);
    armed = true;
    expect(() => q.putNowait(0)).toThrow("boom");
    await expect(q.put(0)).rejects.toThrow("boom");
    expect(() => q.getNowait()).toThrow("boom");
    await expect(q.get()).rejects.toThrow("boom");
    expect(q.qsize()).toBe(7);
    expect(String(q)).toContain("tasks=7");
    armed = false;
    expect(drain(q)).toEqual([1, 2, 3, 5, 7, 8, 9]);
  });

  it("a waiting putter whose item compare refuses is rejected and the slot goes to the next", async () => {
    const q = new PriorityQueue<number>({
      maxsize: 2,
      compare: (a, b) => {
        if (a === 13 || b === 13) throw new Error("unlucky");
        return a - b;
      },
    });
    q.putNowait(1);
    q.putNowait(2);
    const bad = q.put(13);
    const good = q.put(3);
    expect(q.getNowait()).toBe(1);
    expect(bad.exception()).toEqual(new Error("unlucky"));
    expect(good.done()).toBe(true);
    expect(drain(q)).toEqual([2, 3]);
  });
});

describe("the heap", () => {
  it(`gives the same order as a stable sort, under random interleaving (TASKIO_PROPERTY_SEED=${propertySeed()})`, () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seededRandom(seed);
        const q = new PriorityQueue<[number, number]>({ compare: (a, b) => a[0] - b[0] });
        const model: [number, number][] = [];
        let id = 0;
        for (let step = 0; step < 400; step++) {
          if (model.length === 0 || random.chance(0.6)) {
            const item: [number, number] = [random.int(10), id++];
            q.putNowait(item);
            model.push(item);
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          } else {
            expect(q.getNowait()).toBe(model.shift());
          }
          expect(q.qsize()).toBe(model.length);
        }
        expect(drain(q)).toEqual(model);
      }),
      propertyParams(100),
    );
    // CPU-bound (about 20 s under test:stress): a generous bound for a loaded machine.
  }, 300_000);
});
