import { propertyParams } from "@taskio/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QueueNode, WaiterQueue } from "../src/waiters.js";

/** A queued node and nothing more: the queue's order is all this file checks. */
class Node extends QueueNode<true> {
  constructor(
    readonly id: number,
    priority: number,
  ) {
    super(1, priority);
  }
  _grant(): void {}
  _reject(): void {}
}

const owner = { _withdrawn() {} };

/** The queued ids, head first, walking the line as the primitives do. */
function ids(queue: WaiterQueue): number[] {
  const found: number[] = [];
  for (let node = queue.head; node !== undefined; node = node._next) found.push((node as Node).id);
  return found;
}

/** The same, walked back from the tail: the links both ways agree. */
function idsFromTail(queue: WaiterQueue): number[] {
  const found: number[] = [];
  for (let node = queue.tail; node !== undefined; node = node._prev) found.unshift((node as Node).id);
  return found;
}

type Op = { kind: "push"; priority: number } | { kind: "remove"; at: number } | { kind: "shift" };

/** Pushes of `priority`, withdrawals from anywhere and serves from the head, in any order. */
const opsWith = (
  priority: fc.Arbitrary<number>,
  pushWeight: number,
  size: fc.SizeForArbitrary = "small",
  maxLength = 300,
) =>
  fc.array(
    fc.oneof(
      { weight: pushWeight, arbitrary: fc.record({ kind: fc.constant("push" as const), priority }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("shift" as const) }) },
    ),
    { maxLength, size },
  );

const mixes = [
  [
    "a few priorities, evenly",
    200,
    opsWith(
      fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) },
        { weight: 1, arbitrary: fc.constantFrom(-Infinity, -0, 1.5, Infinity) },
      ),
      5,
    ),
  ],
  // Long lines of one low priority, now and then passed by a higher one from far back.
  [
    "long low lines passed by urgent waiters",
    200,
    opsWith(
      fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 3 }) }),
      12,
      // Long enough for lines that a waiter cannot pass in a few steps.
      "max",
    ),
  ],
  // Hundreds of priorities queued at once, most of them distinct: the index splits into blocks.
  [
    "hundreds of distinct priorities",
    // Each run is long: fewer of them.
    25,
    opsWith(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -2000, max: 2000 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      14,
      "max",
      1200,
    ),
  ],
] as const;

describe("the waiter queue", () => {
  it.each(mixes)(
    "keeps waiters by priority, FIFO within one, whatever is pushed, withdrawn or served (%s)",
    (_, runs, ops) => {
      fc.assert(
        fc.property(ops, (steps: Op[]) => {
          const queue = new WaiterQueue(owner);
          // The model: the order a sorted, stable list would give.
          let model: Node[] = [];
          let next = 0;
          for (const step of steps) {
            if (step.kind === "push") {
              const node = new Node(next++, step.priority);
              queue.push(node);
              let at = model.length;
              while (at > 0 && model[at - 1]!._priority < step.priority) at--;
              model.splice(at, 0, node);
            } else if (step.kind === "remove") {
              if (model.length === 0) continue;
              const node = model[step.at % model.length]!;
              queue.remove(node);
              model = model.filter((n) => n !== node);
            } else {
              expect(queue.shift()).toBe(model.shift());
            }
            expect(queue.size).toBe(model.length);
            expect(queue.head).toBe(model[0]);
            expect(ids(queue)).toEqual(model.map((n) => n.id));
            expect(idsFromTail(queue)).toEqual(model.map((n) => n.id));
          }
          expect(queue.drain()).toEqual(model);
          expect(queue.size).toBe(0);
          expect(queue.head).toBeUndefined();
        }),
        propertyParams(runs),
      );
    },
  );

  it("withdrawing most waiters from the middle keeps the rest in order, and new ones behind them", () => {
    const queue = new WaiterQueue(owner);
    const nodes = Array.from({ length: 200 }, (_, i) => queue.push(new Node(i, 0)));
    for (const node of nodes) if (node.id % 10 !== 0 && node.id !== 199) queue.remove(node);
    queue.push(new Node(200, 0));
    queue.push(new Node(201, 1));
    const order = [201, ...nodes.filter((n) => n.id % 10 === 0).map((n) => n.id), 199, 200];
    expect(ids(queue)).toEqual(order);
    const served: number[] = [];
    for (let node = queue.shift(); node !== undefined; node = queue.shift()) served.push((node as Node).id);
    expect(served).toEqual(order);
  });

  it("a waiter finds its place after every priority in the middle of a long line has left", () => {
    const queue = new WaiterQueue(owner);
    let model: Node[] = [];
    const push = (node: Node) => {
      queue.push(node);
      let at = model.length;
      while (at > 0 && model[at - 1]!._priority < node._priority) at--;
      model.splice(at, 0, node);
    };
    // 2,000 distinct priorities in a scrambled order, so the queue indexes them.
    for (let i = 0; i < 2000; i++) push(new Node(i, (i * 7919) % 2000));
    for (const node of model.filter((n) => n._priority >= 500 && n._priority < 1500)) queue.remove(node);
    model = model.filter((n) => n._priority < 500 || n._priority >= 1500);
    for (const [i, priority] of [1000.5, 499.5, 1500.5, 250.5, 1750.5, 1000.5, 2500, -1].entries()) {
      push(new Node(2000 + i, priority));
    }
    expect(ids(queue)).toEqual(model.map((n) => n.id));
    expect(idsFromTail(queue)).toEqual(model.map((n) => n.id));
  });

  it("a node that left is no longer queued, and a drained one neither", () => {
    const queue = new WaiterQueue(owner);
    const [a, b] = [new Node(0, 0), new Node(1, 0)];
    queue.push(a);
    queue.push(b);
    queue.remove(a);
    expect(a._queue).toBeUndefined();
    expect(b._queue).toBe(queue);
    queue.drain();
    expect(b._queue).toBeUndefined();
  });
});
