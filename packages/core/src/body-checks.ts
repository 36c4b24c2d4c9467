import { describeValue } from "./errors.js";

// Compared by the inherited `constructor`: a property load V8 caches per kind of function, where
// Object.getPrototypeOf calls into the runtime (~200 instructions on every run() and task).
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;

/** True for an async generator function (`async function*`), bound ones included: not a taskio body. */
export function isAsyncGeneratorFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor === AsyncGeneratorFunction;
}

/**
 * True for a generator function (`function*`), bound ones included. A body that is one can run
 * in a generator-form task, which never turns AsyncLocalStorage on.
 * @example
 * const task = isGeneratorFunction(fn) ? createTask(body) : createTask(() => body);
 */
export function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor === GeneratorFunction;
}

/**
 * Throws unless `fn` is something a task can run as a body: an async function, a generator
 * function or a plain function. `where` names the call in the error.
 * @throws {TypeError} for a non-function or an async generator function.
 * @example
 * checkBody(fn, "Semaphore.run()");
 */
export function checkBody(fn: unknown, where: string): void {
  if (typeof fn !== "function") {
    throw new TypeError(
      `${where}: fn must be a function (an async function, a generator function or a plain function), got ${describeValue(fn)}`,
    );
  }
  if (isAsyncGeneratorFunction(fn)) {
    throw new TypeError(
      `${where}: got an async generator function, which is not a taskio coroutine. Use a generator function with \`yield*\`, or an async function`,
    );
  }
}
