import { type Awaitable, type Coroutine, createTask, ensureFuture, Future } from "@taskio/core";
import { describeValue, isCoroutine, isPromiseLike } from "@taskio/core/internal";

/** The Futures a combinator waits on, one per distinct awaitable, and where each input position reads. */
export interface Children {
  /** Distinct Futures, in order of first appearance. */
  readonly futures: Future<unknown>[];
  /** `futures` index of each input position; undefined when no awaitable was listed twice. */
  readonly slots: number[] | undefined;
}

/**
 * A generator object listed in a call is marked with that call's number, so a repeat is found
 * without hashing it: a Set of 100 fresh generator objects costs about as much as running them
 * (each needs an identity hash and the table grows as it fills); a property store costs next to
 * nothing. The mark stays on the generator object, harmless, since no call number comes twice.
 */
const LISTED = Symbol("taskio.listed");
let calls = 0;

type Listed = { [LISTED]?: number };

/** Marks `aw` as listed in `call`; false if it cannot hold the mark (frozen), so a Set decides. */
function markListed(aw: Listed, call: number): boolean {
  try {
    aw[LISTED] = call;
    return true;
  } catch {
    return false;
  }
}

/** Adds `aw` to `seen`; true if it was there already. */
function isRepeat(aw: unknown, seen: Set<unknown>): boolean {
  if (seen.has(aw)) return true;
  seen.add(aw);
  return false;
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
  const call = ++calls;
  let repeated = false;
  let seen: Set<unknown> | undefined;
  for (let i = 0; i < list.length; i++) {
    const aw = list[i];
    if (typeof aw === "function") continue;
    // Generator objects first: gather() gets many, and asking one for the Future brand misses
    // through its whole prototype chain.
    if (isCoroutine(aw)) {
      if ((aw as Listed)[LISTED] === call) repeated = true;
      else if (!markListed(aw as Listed, call)) repeated ||= isRepeat(aw, (seen ??= new Set()));
    } else if (aw instanceof Future || isPromiseLike(aw)) {
      repeated ||= isRepeat(aw, (seen ??= new Set()));
    } else {
      throw new TypeError(
        `${where}: element ${i} is not awaitable: expected a Future or Task, a generator object, a function ` +
          `or a promise, got ${describeValue(aw)}`,
      );
    }
  }
  if (!repeated) {
    const futures = new Array<Future<unknown>>(list.length);
    for (let i = 0; i < list.length; i++) {
      const aw = list[i];
      futures[i] =
        typeof aw === "function" || isCoroutine(aw)
          ? createTask(aw as Coroutine<unknown>)
          : ensureFuture(aw as Awaitable<unknown>);
    }
    return { futures, slots: undefined };
  }
  const futures: Future<unknown>[] = [];
  let slots: number[] | undefined;
  let firstAt: Map<unknown, number> | undefined;
  for (let i = 0; i < list.length; i++) {
    const aw = list[i];
    const known = typeof aw === "function" ? undefined : firstAt?.get(aw);
    if (known !== undefined) {
      slots ??= Array.from({ length: i }, (_, position) => position);
      slots.push(known);
      continue;
    }
    if (typeof aw !== "function") (firstAt ??= new Map()).set(aw, futures.length);
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
