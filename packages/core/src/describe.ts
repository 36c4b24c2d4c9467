import type { Future } from "./future.js";

/**
 * Marks what a pending Future waits for, for diagnostics: run()'s report of stuck tasks,
 * `String(task)` and timelines. It stores a constant `label` and the object waited on; the words
 * are built only when someone asks, so a waiting operation pays two field writes and no string.
 * `on` is the primitive waited on (printed with its own `toString()`), or a number shown as the
 * label's argument (`sleep(1000)`).
 * @example
 * return labelWait(new Waiter(), "Queue.get()", this);
 */
export function labelWait<F extends Future<any>>(future: F, label: string, on?: object | number): F {
  future._waitLabel = label;
  future._waitOn = on;
  return future;
}

/**
 * What a Future waits for in words — `Queue.get() on <Queue maxsize=1 _getters[1]>`,
 * `sleep(1000)` — or undefined for a Future nobody labelled.
 */
export function describeWait(future: Future<any>): string | undefined {
  const label = future._waitLabel;
  if (label === undefined) return undefined;
  const on = future._waitOn;
  if (on === undefined) return label;
  return typeof on === "number" ? `${label}(${on})` : `${label} on ${String(on)}`;
}
