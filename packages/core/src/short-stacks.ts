import { CancelledError, TimeoutError } from "./errors.js";

/** A task, as the stack of an error raised into it names it. */
interface Named {
  getName(): string;
}

/** True once `Error.stackTraceLimit` turned out not to be writable. */
let limitLocked = false;

/**
 * `new Class(message, options)` without capturing the JavaScript frames: the errors below are
 * made by the scheduler (a cancel, a deadline), where the frames would only show the scheduler,
 * and capturing then formatting them cost about half of cancelling a task or of a timeout that
 * fires. (A class and its arguments rather than a closure: this runs once per cancelled task.)
 */
function withoutFrames<E extends Error>(
  Class: new (message?: string, options?: ErrorOptions) => E,
  message: string | undefined,
  options: ErrorOptions | undefined,
): E {
  if (limitLocked) return new Class(message, options);
  const limit = Error.stackTraceLimit;
  try {
    // Not a number, so V8 does not walk the stack at all (a limit of 0 still walks it once).
    Error.stackTraceLimit = undefined as unknown as number;
  } catch {
    // A frozen Error (`node --frozen-intrinsics`, a hardened realm): pay for the frames.
    limitLocked = true;
    return new Class(message, options);
  }
  try {
    return new Class(message, options);
  } finally {
    // Also when a message's toString() throws: every later Error in the process needs its limit.
    Error.stackTraceLimit = limit;
  }
}

/** The short stack: the error's first line, and the task it is raised into. */
function nameTask(error: Error, name: string, task: Named | undefined): void {
  const head = error.message ? `${name}: ${error.message}` : name;
  error.stack = task !== undefined ? `${head}\n    at <task ${task.getName()}>` : head;
}

/** A CancelledError with a short stack: its message and the task it is raised into. */
export function cancelledError(msg: string | undefined, task?: Named | undefined): CancelledError {
  const error = withoutFrames(CancelledError, msg, undefined);
  nameTask(error, "CancelledError", task);
  return error;
}

/**
 * A TimeoutError with a short stack, as a CancelledError's: its message and the task whose
 * deadline passed. `cause` is the CancelledError that the deadline raised.
 */
export function timeoutError(message: string, cause: unknown, task?: Named | undefined): TimeoutError {
  const error = withoutFrames(TimeoutError, message, { cause });
  nameTask(error, "TimeoutError", task);
  return error;
}
