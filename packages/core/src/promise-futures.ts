import { type Future, initFuture, RESULT } from "./future.js";
import { runtime } from "./runtime.js";

const promiseThen = Promise.prototype.then;

function ignore(): void {}

function settleLater(): void {}

/**
 * The base of a class whose instances are native promises and Futures (see futureOnPromise): it
 * sets Future's fields and keeps the functions that settle the promise. Assigned, not class
 * fields, as in Future: a subclass is constructed several times slower when the constructor its
 * `super()` reaches has field initializers. A subclass declares its own fields as class fields.
 */
export class PromiseFuture<T> extends Promise<T> {
  /** @internal */ declare _state: number;
  /** @internal */ declare _value: unknown;
  /** @internal */ declare _cbFn: unknown;
  /** @internal */ declare _cbArg: unknown;
  /** @internal */ declare _callbacks: unknown[] | null;
  /** @internal */ declare _unretrieved: undefined;
  /** @internal */ declare _resolvePromise: (value: unknown) => void;
  /** @internal */ declare _rejectPromise: (reason: unknown) => void;

  constructor() {
    let resolve: (value: unknown) => void = settleLater;
    let reject: (reason: unknown) => void = settleLater;
    super((res, rej) => {
      resolve = res as (value: unknown) => void;
      reject = rej;
    });
    initFuture(this as unknown as Future<unknown>);
    this._resolvePromise = resolve;
    this._rejectPromise = reject;
  }
}

/**
 * Makes the instances of a PromiseFuture subclass Futures of class `from` as well: its prototype
 * gets every method, accessor and prototype default of `from`'s prototype chain but `then`,
 * `constructor` and those it defines itself, so `cancel()`, `done()`, `yield*` and the rest work
 * as they do on a `from`, while `await` and `then()` are a native promise's.
 *
 * For a primitive's waiter, or a `run()` call, handed to code outside any task. `await` of a
 * Future that is not a native promise queues a thenable job that calls its then(), which makes a
 * promise of its own (on Node 24 about 750 instructions and 300 bytes per wait); of a native
 * promise, it adds one reaction. Outside a task then() has nobody to register for cancellation,
 * so nothing is lost.
 *
 * The subclass declares `from`'s remaining fields as class fields of its own (assigning a
 * waiter's sixteen fields in one constructor after `super()` instead measured about 1,300
 * instructions of V8's generic stores per waiter) and settles the promise when it is served. Completing it any other way (`cancel()`, an
 * aborted signal, `cancelWaiters()`) settles the promise from the ready queue, as the Future's
 * callbacks run, so a loop of such waits still lets timers run; a rejection is marked handled
 * first, since nothing may be awaiting it.
 * @example
 * class PromiseWaiter extends PromiseFuture<true> { _prev = undefined; … }
 * futureOnPromise(PromiseWaiter.prototype, Waiter);
 */
export function futureOnPromise(proto: object, from: abstract new (...args: never[]) => Future<unknown>): void {
  // The class's own methods stay (a waiter that settles its promise when served, say).
  const seen = new Set<PropertyKey>(["constructor", "then", ...Reflect.ownKeys(proto)]);
  for (let source = from.prototype; source !== Object.prototype; source = Object.getPrototypeOf(source)) {
    for (const key of Reflect.ownKeys(source)) {
      if (seen.has(key)) continue;
      seen.add(key);
      Object.defineProperty(proto, key, Object.getOwnPropertyDescriptor(source, key)!);
    }
  }
  // A promise whose prototype is not Promise.prototype is awaited natively only if its
  // `constructor` is Promise (and that is what then() makes its derived promises with).
  Object.defineProperty(proto, "constructor", { value: Promise, writable: true, configurable: true });
  // Promise.all() looks `then` up on each such promise: found here, not two prototypes further.
  // (On a promise itself, or on Promise.prototype, a `then` would slow every promise in the
  // process; on this prototype it does not.)
  Object.defineProperty(proto, "then", { value: promiseThen, writable: true, configurable: true });
  const complete = from.prototype._complete;
  Object.defineProperty(proto, "_complete", {
    value(this: Future<unknown>, state: number, value: unknown): void {
      complete.call(this, state, value);
      runtime.schedule(settlePromise, this);
    },
    writable: true,
    configurable: true,
  });
}

/** Settles the promise of a PromiseFuture with the outcome of the Future it also is. */
export function settlePromise(future: Future<unknown>): void {
  const fields = future as unknown as PromiseFuture<unknown>;
  if (future._state === RESULT) {
    fields._resolvePromise(future._value);
    return;
  }
  promiseThen.call(future, undefined, ignore);
  fields._rejectPromise(future._error(undefined));
}
