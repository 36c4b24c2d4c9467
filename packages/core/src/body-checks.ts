import { describeValue } from "./errors.js";

const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {}) as object;

/**
 * True for a generator function (`function*`), bound ones included. A body that is one can run
 * in a generator-form task, which never turns AsyncLocalStorage on.
 * @example
 * const task = isGeneratorFunction(fn) ? createTask(body) : createTask(() => body);
 */
export function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === "function" && Object.getPrototypeOf(fn) === GeneratorFunctionPrototype;
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
  if (Object.prototype.toString.call(fn) === "[object AsyncGeneratorFunction]") {
    throw new TypeError(
      `${where}: got an async generator function, which is not a taskio coroutine. Use a generator function with \`yield*\`, or an async function`,
    );
  }
}
