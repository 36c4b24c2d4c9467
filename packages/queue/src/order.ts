import { describeValue } from "@taskio/core/internal";

const NUMERIC = 0;
const STRING = 1;

/**
 * What kind of value sits at each position of the items a PriorityQueue holds: numbers and bigints
 * are one kind (they compare with each other), strings another, and an array has a shape per index.
 * An index no item has reached yet is `undefined`.
 */
export type Shape = typeof NUMERIC | typeof STRING | (Shape | undefined)[];

/**
 * The default PriorityQueue order: numbers and bigints numerically, strings by UTF-16 code units,
 * arrays lexicographically (a shorter prefix first), like Python's tuples. Only called on items
 * `admit` accepted, so both sides have the same kind at every position they share.
 */
export function defaultCompare(a: unknown, b: unknown): number {
  if (typeof a !== "object") return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  const x = a as readonly unknown[];
  const y = b as readonly unknown[];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = defaultCompare(x[i], y[i]);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

/**
 * Checks that `item` has a default order and can be compared with every item described by
 * `shape`; returns the shape that also covers `item`.
 * @throws {TypeError} naming the offending position, and what to do (pass `compare`).
 */
export function admit(item: unknown, shape: Shape | undefined): Shape {
  const problem = conflict(item, shape, "item");
  if (problem !== undefined) {
    throw new TypeError(
      `PriorityQueue.put(): ${problem}. Without a \`compare\` function the order covers numbers, bigints, ` +
        "strings and arrays of those, compared like with like (as Python refuses 1 < 'a'); " +
        "pass new PriorityQueue({ compare: (a, b) => … }) to order anything else",
    );
  }
  return merge(item, shape);
}

function kindName(shape: Shape): string {
  return shape === NUMERIC ? "a number" : shape === STRING ? "a string" : "an array";
}

/** Why `item` cannot join items of `shape`, or undefined if it can. Moves nothing. */
function conflict(item: unknown, shape: Shape | undefined, path: string): string | undefined {
  let kind: Shape;
  switch (typeof item) {
    case "number":
      if (Number.isNaN(item)) return `${path} is NaN, which has no order`;
      kind = NUMERIC;
      break;
    case "bigint":
      kind = NUMERIC;
      break;
    case "string":
      kind = STRING;
      break;
    default:
      if (!Array.isArray(item)) return `${path} is ${describeValue(item)}, which has no default order`;
      if (shape !== undefined && !Array.isArray(shape)) {
        return `${path} is an array where the queued items have ${kindName(shape)}`;
      }
      for (let i = 0; i < item.length; i++) {
        const problem = conflict(item[i], shape?.[i], `${path}[${i}]`);
        if (problem !== undefined) return problem;
      }
      return undefined;
  }
  if (shape !== undefined && shape !== kind) {
    return `${path} is ${describeValue(item)} where the queued items have ${kindName(shape)}`;
  }
  return undefined;
}

/** `shape` extended to cover `item` (which `conflict` accepted); arrays are extended in place. */
function merge(item: unknown, shape: Shape | undefined): Shape {
  if (!Array.isArray(item)) return typeof item === "string" ? STRING : NUMERIC;
  const out = (shape ?? []) as (Shape | undefined)[];
  for (let i = 0; i < item.length; i++) out[i] = merge(item[i], out[i]);
  return out;
}
