import { type Awaitable, ensureFuture, Future } from "@taskio/core";
import { describeValue, isCoroutine, isPromiseLike } from "@taskio/core/internal";

/** The Futures a combinator waits on, one per distinct awaitable, and where each input position reads. */
export interface Children {
  /** Distinct Futures, in order of first appearance. */
  readonly futures: Future<unknown>[];
  /** `futures` index of each input position; undefined when no awaitable was listed twice. */
  readonly slots: number[] | undefined;
}

/**
 * Turns awaitables into Futures with `ensureFuture`: a generator object, Future or promise listed
 * twice gets one Future (asyncio runs a repeated argument once); a function is a factory and
 * runs each time it is listed. Every element is checked before any task is created, so bad input
 * starts nothing.
 * @throws {TypeError} naming the element that is not awaitable, or if `aws` is not iterable.
 */
export function toFutures(aws: Iterable<unknown>, where: string): Children {
  if (
    typeof aws !== "object" ||
    aws === null ||
    aws instanceof Future ||
    typeof (aws as Partial<PromiseLike<unknown>>).then === "function" ||
    typeof (aws as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`${where}: expected an array (or iterable) of awaitables, got ${describeValue(aws)}`);
  }
  const list: readonly unknown[] = Array.isArray(aws) ? aws : Array.from(aws);
  for (let i = 0; i < list.length; i++) {
    const aw = list[i];
    // Generator objects first: gather() gets many, and asking one for the Future brand misses
    // through its whole prototype chain.
    if (!(typeof aw === "function" || isCoroutine(aw) || aw instanceof Future || isPromiseLike(aw))) {
      throw new TypeError(
        `${where}: element ${i} is not awaitable: expected a Future or Task, a generator object, a function ` +
          `or a promise, got ${describeValue(aw)}`,
      );
    }
  }
  // Repeats are rare: one native Set build tells, and spares the per-element Map bookkeeping.
  if (new Set(list).size === list.length) {
    const futures = new Array<Future<unknown>>(list.length);
    for (let i = 0; i < list.length; i++) futures[i] = ensureFuture(list[i] as Awaitable<unknown>);
    return { futures, slots: undefined };
  }
  const futures: Future<unknown>[] = [];
  let slots: number[] | undefined;
  let seen: Map<unknown, number> | undefined;
  for (let i = 0; i < list.length; i++) {
    const aw = list[i];
    const known = typeof aw === "function" ? undefined : seen?.get(aw);
    if (known !== undefined) {
      slots ??= Array.from({ length: i }, (_, position) => position);
      slots.push(known);
      continue;
    }
    if (typeof aw !== "function") (seen ??= new Map()).set(aw, futures.length);
    slots?.push(futures.length);
    futures.push(ensureFuture(aw as Awaitable<unknown>));
  }
  return { futures, slots };
}

/** Requests cancellation of every child; true if any accepted (gather, race and any's cancel()). */
export function cancelAll(children: readonly Future<unknown>[], msg: string | undefined): boolean {
  let accepted = false;
  for (const child of children) if (child.cancel(msg)) accepted = true;
  return accepted;
}
