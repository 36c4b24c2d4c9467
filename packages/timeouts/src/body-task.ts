import { type Coroutine, createTask, Future, type Task } from "@taskio/core";
import { awaitRunning, callWithSignal, isCoroutine, isGeneratorFunction, isPromiseLike } from "@taskio/core/internal";
import type { Timeout } from "./timeout.js";

// How the body task starts its body once the scope is entered (Timeout._how).
/** `timeout(ms, body)`: `body(scope)`. */
export const CALL_WITH_SCOPE = 0;
/** `waitFor(fn, ms)`: `fn(signal)`, like createTask's function form. */
export const CALL_WITH_SIGNAL = 1;
/** `waitFor(future | generator, ms)`: `yield*` it. */
export const AWAIT = 2;

/**
 * Runs `body` as a new Task under `scope` (DESIGN: scope bodies run as child tasks) and returns
 * that task. The scope is entered at the task's first step and exited when the body ends, where
 * its outcome is converted (asyncio's `Timeout.__aenter__`/`__aexit__` around the body).
 *
 * A generator body (or a Future / generator object to await) runs in a generator-form task, so
 * generator-only programs never switch on AsyncLocalStorage; any other function runs in a
 * function-form task, whose async awaits are cancellation points.
 */
export function spawnScopeTask<R>(scope: Timeout, body: unknown, how: number): Task<R> {
  scope._body = body;
  scope._how = how;
  const task =
    how === AWAIT || isGeneratorFunction(body)
      ? createTask(scoped(scope, undefined))
      : createTask(() => startFunction(scope));
  scope._task = task;
  if (how === AWAIT && body instanceof Future) awaitRunning(task, body);
  return task as Task<R>;
}

/** Calls or returns the body; clears the reference (the task may outlive what it ran). */
function startBody(scope: Timeout, task: Task<unknown>): unknown {
  const body = scope._body;
  scope._body = undefined;
  if (scope._how === CALL_WITH_SCOPE) return (body as (scope: Timeout) => unknown)(scope);
  if (scope._how === CALL_WITH_SIGNAL) return callWithSignal(body as (signal: AbortSignal) => unknown, task);
  return body;
}

/**
 * The generator-form body task: enters the scope (unless `started` was already entered and
 * started by startFunction), runs the body with `yield*` (a generator function's generator, or
 * the Future or generator handed in), and exits the scope with its outcome.
 */
function* scoped(scope: Timeout, started: Coroutine<unknown> | Future<unknown> | undefined): Coroutine<unknown> {
  let value: unknown;
  try {
    value = yield* started ?? (startBody(scope, scope._enter()) as Coroutine<unknown>);
  } catch (error) {
    throw scope._exit(true, error);
  }
  scope._exit(false, undefined);
  return value;
}

/**
 * The function-form body task's first step. A promise the body returns is handed back to the
 * task, which follows it itself, with the scope's exit chained on: no Future and no generator
 * step per body, which `waitFor(fn)`'s hot path cannot afford (following it with core's
 * followBody, as taskGroup does, cost a third more per call).
 */
function startFunction(scope: Timeout): unknown {
  const task = scope._enter();
  let result: unknown;
  try {
    result = startBody(scope, task);
  } catch (error) {
    throw scope._exit(true, error);
  }
  if (isCoroutine(result) || result instanceof Future) return scoped(scope, result);
  if (isPromiseLike(result)) {
    return result.then(
      (value) => {
        scope._exit(false, undefined);
        return value;
      },
      (error) => {
        throw scope._exit(true, error);
      },
    );
  }
  scope._exit(false, undefined);
  return result;
}
