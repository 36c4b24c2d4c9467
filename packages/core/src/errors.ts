const CANCELLED = Symbol.for("taskio.CancelledError");
const TIMEOUT = Symbol.for("taskio.TimeoutError");
const INVALID_STATE = Symbol.for("taskio.InvalidStateError");
const GROUP = Symbol.for("taskio.ExceptionGroup");
const FUTURE = Symbol.for("taskio.Future");
const TASK = Symbol.for("taskio.Task");
const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Makes `instanceof` check a `Symbol.for` brand, so an object made by another copy of the
 * package (ESM next to CJS, or two versions) still matches. Subclasses keep the ordinary
 * prototype check.
 * @example
 * static override [Symbol.hasInstance] = brandCheck(QueueFull, FULL);
 */
export function brandCheck(cls: Function, brand: symbol): (this: Function, value: unknown) => boolean {
  return function (this: Function, value: unknown): boolean {
    if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  };
}

/**
 * Puts the `Symbol.for` brands `brandCheck` looks for on a class's prototype (an error that
 * carries a sibling's brand matches that sibling's class too), and the `name` errors print.
 * @example
 * brandClass(QueueFull, [FULL], "QueueFull");
 */
export function brandClass(cls: Function, brands: readonly symbol[], name: string): void {
  for (const key of brands) Object.defineProperty(cls.prototype, key, { value: true });
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
}

/** asyncio.CancelledError: raised at the await where a cancelled task is suspended. Re-throw it. */
export class CancelledError extends Error {
  declare readonly [CANCELLED]: true;
  constructor(message?: string, options?: ErrorOptions) {
    // Without either, `message` is left to Error.prototype's "": V8 defines an own one through a
    // slow runtime call, and cancelling many tasks at once builds a CancelledError for each.
    if (message === undefined && options === undefined) super();
    // cancel(msg) passes on whatever it was given: a Symbol would make Error itself throw.
    else super(message === undefined ? "" : String(message), options);
  }
  static override [Symbol.hasInstance] = brandCheck(this, CANCELLED);
}
Object.defineProperty(CancelledError.prototype, CANCELLED, { value: true });
Object.defineProperty(CancelledError.prototype, "name", { value: "CancelledError", writable: true });

/** asyncio.TimeoutError (Python's builtin TimeoutError): a deadline passed. */
export class TimeoutError extends Error {
  declare readonly [TIMEOUT]: true;
  static override [Symbol.hasInstance] = brandCheck(this, TIMEOUT);
}
Object.defineProperty(TimeoutError.prototype, TIMEOUT, { value: true });
Object.defineProperty(TimeoutError.prototype, "name", { value: "TimeoutError", writable: true });

/** asyncio.InvalidStateError (and asyncio's RuntimeError misuse cases): the object is in the wrong state for this call. */
export class InvalidStateError extends Error {
  declare readonly [INVALID_STATE]: true;
  static override [Symbol.hasInstance] = brandCheck(this, INVALID_STATE);
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
  declare readonly exceptions: readonly unknown[];

  /**
   * @throws {TypeError} if `message` is not a string or `exceptions` not an iterable of errors.
   * @throws {RangeError} if `exceptions` is empty.
   */
  constructor(message: string, exceptions: Iterable<unknown>, options?: ErrorOptions) {
    if (typeof message !== "string") {
      throw new TypeError(
        `new ExceptionGroup(message, exceptions): message must be a string, got ${describeValue(message)}`,
      );
    }
    if (
      typeof exceptions !== "object" ||
      exceptions === null ||
      typeof (exceptions as Iterable<unknown>)[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(
        `new ExceptionGroup(message, exceptions): exceptions must be an array of errors, got ${describeValue(exceptions)}`,
      );
    }
    const list = Array.from(exceptions);
    if (list.length === 0) {
      throw new RangeError("new ExceptionGroup(message, exceptions): exceptions must be a non-empty list of errors");
    }
    super(list, message, options);
    // Not enumerable: Node already prints `errors` (the same items), so each error shows once.
    Object.defineProperty(this, "exceptions", { value: Object.freeze(list), writable: false, enumerable: false });
    countInStack(this);
  }

  /** Python's `str(eg)`: the message and how many errors it holds, `"2 failed (2 sub-exceptions)"`. */
  override toString(): string {
    return `${this.name}: ${withCount(this)}`;
  }

  /**
   * How Node prints the group (console.log, an uncaught error): Python's traceback layout, one
   * listing with the count in the header and a numbered tree of the errors, nested groups
   * indented, each error printed once.
   */
  [inspect](
    depth: number,
    options: { depth?: number | null },
    inspectValue?: (value: unknown, options?: object) => string,
  ): string {
    return formatGroup(this, depth, options, inspectValue);
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
    return newGroup(this.message, exceptions, this.cause);
  }

  static override [Symbol.hasInstance] = brandCheck(this, GROUP);
}
Object.defineProperty(ExceptionGroup.prototype, GROUP, { value: true });

/**
 * Outside the class on purpose, like every `brandCheck(this, …)` above: a class body that names
 * its own class makes the bundler rename it (`_ExceptionGroup`), and stack frames show that name.
 */
function newGroup(message: string, exceptions: Iterable<unknown>, cause: unknown): ExceptionGroup {
  return new ExceptionGroup(message, exceptions, { cause });
}
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
    // taskio's own objects by their public names, whatever a bundler renamed their classes to.
    const brands = value as Record<symbol, unknown>;
    if (brands[TASK] === true) return "a Task";
    if (brands[FUTURE] === true) return "a Future";
    if (value instanceof Error) return `${/^[aeiou]/i.test(value.name) ? "an" : "a"} ${value.name}`;
    const name = (value as object).constructor?.name;
    return name ? `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name}` : "an object";
  }
  if (typeof value === "string")
    return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (string)`;
  if (typeof value === "bigint") return `${value}n (bigint)`;
  return `${String(value)} (${typeof value})`;
}

/**
 * Python prints the count after the message, and Node prints an uncaught error's `stack` as it is
 * (without util.inspect.custom). So `stack` gets the count in its header, formatted only when
 * read: reading V8's stack here, before the throw, would cost Node its pointer to the throwing
 * line. Where captureStackTrace does not exist (non-V8 engines) the stack is left as it is.
 */
function countInStack(group: ExceptionGroup): void {
  const capture = (Error as { captureStackTrace?: (target: object, ctor?: Function) => void }).captureStackTrace;
  if (typeof capture !== "function") return;
  const holder: { stack?: string } = {};
  capture(holder, group.constructor);
  Object.defineProperty(group, "stack", {
    configurable: true,
    enumerable: false,
    get(this: ExceptionGroup) {
      const text = typeof holder.stack === "string" ? holder.stack : "";
      const at = text.indexOf("\n");
      return `${this.name}: ${withCount(this)}${at === -1 ? "" : text.slice(at)}`;
    },
    set(this: ExceptionGroup, value: unknown) {
      Object.defineProperty(this, "stack", { value, writable: true, configurable: true, enumerable: false });
    },
  });
}

function withCount(group: ExceptionGroup): string {
  const n = group.exceptions.length;
  return `${group.message} (${n} sub-exception${n === 1 ? "" : "s"})`;
}

/** The stack's frames without its header (`Name: message`), or undefined if it has no frames. */
function frames(error: Error): string | undefined {
  const stack = typeof error.stack === "string" ? error.stack : "";
  const at = stack.search(/\n\s+at /);
  return at === -1 ? undefined : stack.slice(at);
}

function formatGroup(
  group: ExceptionGroup,
  depth: number,
  options: { depth?: number | null },
  inspectValue: ((value: unknown, options?: object) => string) | undefined,
): string {
  const show = (value: unknown): string => {
    if (inspectValue !== undefined) {
      return inspectValue(value, { ...options, depth: options.depth == null ? options.depth : depth - 1 });
    }
    return value instanceof Error ? (value.stack ?? String(value)) : String(value);
  };
  const lines = [`${group.name}: ${withCount(group)}${frames(group) ?? ""}`];
  const n = group.exceptions.length;
  group.exceptions.forEach((error, i) => {
    const label = ` ${i + 1} `;
    const rule = "-".repeat(16);
    lines.push(`${i === 0 ? "  +-+" : "    +"}${rule}${label}${rule}`);
    for (const line of show(error).split("\n")) lines.push(`    | ${line}`);
    if (i === n - 1) lines.push(`    +${"-".repeat(rule.length * 2 + label.length)}`);
  });
  if (group.cause !== undefined) lines.push(`  [cause]: ${show(group.cause).split("\n").join("\n  ")}`);
  return lines.join("\n");
}
