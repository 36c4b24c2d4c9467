import { describe, expect, it, vi } from "vitest";
import { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown } from "../src/index.js";
import { drain } from "./helpers.js";

// asyncio's behaviour: docs/asyncio-semantics.md#queue
describe("order", () => {
  it("Queue is FIFO, LifoQueue LIFO, PriorityQueue lowest first", () => {
    const cases: [Queue<number>, number[]][] = [
      [new Queue<number>(), [1, 3, 2]],
      [new LifoQueue<number>(), [2, 3, 1]],
      [new PriorityQueue<number>(), [1, 2, 3]],
    ];
    for (const [q, expected] of cases) {
      for (const n of [1, 3, 2]) q.putNowait(n);
      expect(drain(q)).toEqual(expected);
    }
  });

  it("a FIFO queue keeps its order across ring-buffer wrap-around and growth", () => {
    const q = new Queue<number>();
    const expected: number[] = [];
    const got: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7 + round; i++) {
        q.putNowait(next);
        expected.push(next++);
      }
      for (let i = 0; i < 5 + round && !q.empty(); i++) got.push(q.getNowait());
    }
    got.push(...drain(q));
    expect(got).toEqual(expected);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#queue
describe("maxsize, qsize, empty, full", () => {
  it.each([Queue, LifoQueue, PriorityQueue])("%o: absent, 0 and Infinity are unbounded", (Cls) => {
    for (const q of [new Cls<number>(), new Cls<number>({}), new Cls<number>({ maxsize: 0 })]) {
      expect(q.maxsize).toBe(0);
      for (let i = 0; i < 1000; i++) q.putNowait(i);
      expect(q.full()).toBe(false);
      expect(q.qsize()).toBe(1000);
    }
    const inf = new Cls<number>({ maxsize: Number.POSITIVE_INFINITY });
    inf.putNowait(1);
    expect(inf.full()).toBe(false);
  });

  it("full() holds at qsize() >= maxsize; empty() tracks the contents", () => {
    const q = new Queue<number>({ maxsize: 2 });
    expect(q.maxsize).toBe(2);
    expect(q.empty()).toBe(true);
    q.putNowait(1);
    expect(q.empty()).toBe(false);
    expect(q.full()).toBe(false);
    q.putNowait(2);
    expect(q.full()).toBe(true);
    expect(q.qsize()).toBe(2);
    expect(() => q.putNowait(3)).toThrow(QueueFull);
    q.getNowait();
    expect(q.full()).toBe(false);
  });

  it("maxsize is read-only", () => {
    const q = new Queue({ maxsize: 3 });
    expect(() => {
      (q as { maxsize: number }).maxsize = 5;
    }).toThrow(TypeError);
    expect(q.maxsize).toBe(3);
  });

  it.each([-1, -0.5, 1.3, Number.NaN, Number.NEGATIVE_INFINITY])("maxsize %d is a RangeError", (maxsize) => {
    expect(() => new Queue({ maxsize })).toThrow(RangeError);
    expect(() => new LifoQueue({ maxsize })).toThrow(/new LifoQueue\(options\): options\.maxsize/);
  });

  it("a malformed options object is a TypeError naming what was expected", () => {
    expect(() => new Queue(5 as never)).toThrow(/options must be an object like \{ maxsize: 10 \}, got 5/);
    expect(() => new Queue(null as never)).toThrow(TypeError);
    expect(() => new Queue({ maxsize: "3" as never })).toThrow(/options\.maxsize must be a number, got "3"/);
    expect(() => new PriorityQueue({ compare: 1 as never })).toThrow(/options\.compare must be a function/);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#queue
describe("non-blocking errors", () => {
  it("getNowait on an empty queue is QueueEmpty, putNowait on a full one QueueFull", () => {
    const q = new Queue<number>({ maxsize: 1 });
    expect(() => q.getNowait()).toThrow(QueueEmpty);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(QueueFull);
    expect(() => q.putNowait(2)).toThrow("putNowait(): the queue is full (maxsize 1)");
    expect(q.getNowait()).toBe(1);
  });
});

describe("errors", () => {
  it("have their names, messages and prototype chain", () => {
    for (const [Cls, name] of [
      [QueueEmpty, "QueueEmpty"],
      [QueueFull, "QueueFull"],
      [QueueShutDown, "QueueShutDown"],
    ] as const) {
      const error = new Cls("why", { cause: 1 });
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(Cls);
      expect(error.name).toBe(name);
      expect(error.message).toBe("why");
      expect(error.cause).toBe(1);
      expect(String(error)).toBe(`${name}: why`);
    }
    expect(new QueueEmpty()).not.toBeInstanceOf(QueueFull);
    expect({}).not.toBeInstanceOf(QueueShutDown);
    expect(null).not.toBeInstanceOf(QueueShutDown);
  });

  it("instanceof works across two copies of the package (Symbol.for brand)", async () => {
    vi.resetModules();
    const other = await import("../src/errors.js");
    expect(other.QueueShutDown).not.toBe(QueueShutDown);
    expect(new other.QueueShutDown()).toBeInstanceOf(QueueShutDown);
    expect(new QueueEmpty()).toBeInstanceOf(other.QueueEmpty);
    expect(new other.QueueFull()).not.toBeInstanceOf(QueueEmpty);
  });

  it("a subclass keeps the ordinary prototype check", () => {
    class MyShutDown extends QueueShutDown {}
    expect(new MyShutDown()).toBeInstanceOf(QueueShutDown);
    expect(new QueueShutDown()).not.toBeInstanceOf(MyShutDown);
  });
});

describe("printing", () => {
  it("shows maxsize, items, waiters, unfinished count and shutdown like asyncio's repr", () => {
    const q = new Queue<unknown>({ maxsize: 20 });
    expect(String(q)).toBe("<Queue maxsize=20>");
    q.putNowait(1);
    q.putNowait("a");
    q.putNowait([1, 2n]);
    expect(String(q)).toBe('<Queue maxsize=20 _queue=[1, "a", [1, 2n]] tasks=3>');
    drain(q);
    q.shutdown();
    expect(String(q)).toBe("<Queue maxsize=20 tasks=3 shutdown>");
    const long = new LifoQueue<number>();
    for (let i = 0; i < 12; i++) long.putNowait(i);
    expect(String(long)).toBe("<LifoQueue maxsize=0 _queue=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … 2 more] tasks=12>");
  });
});
