const CANCELLED = Symbol.for("taskio.CancelledError");
const TIMEOUT = Symbol.for("taskio.TimeoutError");
const INVALID_STATE = Symbol.for("taskio.InvalidStateError");
const GROUP = Symbol.for("taskio.ExceptionGroup");

/**
 * Makes `instanceof` check a `Symbol.for` brand, so an error thrown by another copy of
 * `@taskio/core` (ESM next to CJS, or two versions) still matches. Subclasses keep the
 * ordinary prototype check.
 */
function brandCheck(cls: Function, brand: symbol): (this: Function, value: unknown) => boolean {
  return function (this: Function, value: unknown): boolean {
    if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  };
}

/** asyncio.CancelledError: raised at the await where a cancelled task is suspended. Re-throw it. */
export class CancelledError extends Error {
  declare readonly [CANCELLED]: true;
  constructor(message?: string, options?: ErrorOptions) {
    // cancel(msg) passes on whatever it was given: a Symbol would make Error itself throw.
    super(message === undefined ? "" : String(message), options);
  }
  static override [Symbol.hasInstance] = brandCheck(CancelledError, CANCELLED);
}
Object.defineProperty(CancelledError.prototype, CANCELLED, { value: true });
Object.defineProperty(CancelledError.prototype, "name", { value: "CancelledError", writable: true });

/** asyncio.TimeoutError (Python's builtin TimeoutError): a deadline passed. */
export class TimeoutError extends Error {
  declare readonly [TIMEOUT]: true;
  static override [Symbol.hasInstance] = brandCheck(TimeoutError, TIMEOUT);
}
Object.defineProperty(TimeoutError.prototype, TIMEOUT, { value: true });
Object.defineProperty(TimeoutError.prototype, "name", { value: "TimeoutError", writable: true });

/** asyncio.InvalidStateError (and asyncio's RuntimeError misuse cases): the object is in the wrong state for this call. */
export class InvalidStateError extends Error {
  declare readonly [INVALID_STATE]: true;
  static override [Symbol.hasInstance] = brandCheck(InvalidStateError, INVALID_STATE);
}
Object.defineProperty(InvalidStateError.prototype, INVALID_STATE, { value: true });
Object.defineProperty(InvalidStateError.prototype, "name", { value: "InvalidStateError", writable: true });

/** An Error class, or a predicate over exceptions (groups included). */
export type ExceptionMatch = (abstract new (...args: any[]) => unknown) | ((error: unknown) => boolean);

function toPredicate(match: ExceptionMatch): (error: unknown) => boolean {
  if (typeof match !== "function") {
    throw new TypeError(`match must be an Error class or a predicate function, got ${describeValue(match)}`);
  }
  const proto = (match as { prototype?: unknown }).prototype;
  if (proto === Error.prototype || (typeof proto === "object" && proto !== null && proto instanceof Error)) {
    return (error) => error instanceof (match as abstract new (...args: any[]) => unknown);
  }
  return match as (error: unknown) => boolean;
}

/**
 * Python's ExceptionGroup: several errors raised together (by a TaskGroup, or `any` when all fail).
 * `exceptions` holds the same items as `errors`; `subgroup` and `split` keep nested groups' structure.
 */
export class ExceptionGroup extends AggregateError {
  declare readonly [GROUP]: true;
  readonly exceptions: readonly unknown[];

  constructor(message: string, exceptions: Iterable<unknown>, options?: ErrorOptions) {
    const list = Array.from(exceptions);
    if (list.length === 0) throw new RangeError("exceptions must be a non-empty list of errors");
    super(list, message, options);
    this.exceptions = Object.freeze(list);
  }

  /** The errors (at any depth) that match, in a group of the same shape, or undefined if none does. */
  subgroup(match: ExceptionMatch): ExceptionGroup | undefined {
    return this.split(match)[0];
  }

  /** `[matching, rest]`, each a group of the same nested shape or undefined. */
  split(match: ExceptionMatch): [ExceptionGroup | undefined, ExceptionGroup | undefined] {
    return splitGroup(this, toPredicate(match));
  }

  /** A group of the same kind and message holding other errors (what split builds its halves with). */
  derive(exceptions: Iterable<unknown>): ExceptionGroup {
    return new ExceptionGroup(this.message, exceptions, { cause: this.cause });
  }

  static override [Symbol.hasInstance] = brandCheck(ExceptionGroup, GROUP);
}
Object.defineProperty(ExceptionGroup.prototype, GROUP, { value: true });
Object.defineProperty(ExceptionGroup.prototype, "name", { value: "ExceptionGroup", writable: true });

function splitGroup(
  group: ExceptionGroup,
  pred: (error: unknown) => boolean,
): [ExceptionGroup | undefined, ExceptionGroup | undefined] {
  if (pred(group)) return [group, undefined];
  const matched: unknown[] = [];
  const rest: unknown[] = [];
  for (const error of group.exceptions) {
    if (error instanceof ExceptionGroup) {
      const [m, r] = splitGroup(error, pred);
      if (m) matched.push(m);
      if (r) rest.push(r);
    } else if (pred(error)) {
      matched.push(error);
    } else {
      rest.push(error);
    }
  }
  return [matched.length ? group.derive(matched) : undefined, rest.length ? group.derive(rest) : undefined];
}

/** True for a CancelledError from any copy of taskio. Use it to re-throw cancellation from a `catch`. */
export function isCancelledError(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

/**
 * A short description of a value for error messages: `42 (number)`, `"x" (string)`, `a Promise`,
 * `an array of 3`, `null`. Used by every taskio package to name what a bad argument was.
 * @example
 * throw new TypeError(`ms must be a number, got ${describeValue(ms)}`);
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `a function ${value.name || "(anonymous)"}`;
  if (typeof value === "object") {
    if (Array.isArray(value)) return `an array of ${value.length}`;
    const name = (value as object).constructor?.name;
    return name ? `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name}` : "an object";
  }
  if (typeof value === "string")
    return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (string)`;
  if (typeof value === "bigint") return `${value}n (bigint)`;
  return `${String(value)} (${typeof value})`;
}
