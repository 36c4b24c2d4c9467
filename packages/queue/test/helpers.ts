import { createTask, type Task } from "@taskio/core";
import type { Queue, SignalOptions } from "../src/index.js";

/** The two forms a task can take; every waiting scenario runs in both. */
export const forms = ["generator", "async"] as const;
export type Form = (typeof forms)[number];

/** A task that does one `get()` and returns the item. */
export function getter<T>(q: Queue<T>, form: Form, options?: SignalOptions): Task<T> {
  return form === "generator"
    ? createTask(function* () {
        return yield* q.get(options);
      })
    : createTask(async () => await q.get(options));
}

/** A task that does one `put(item)`. */
export function putter<T>(q: Queue<T>, item: T, form: Form, options?: SignalOptions): Task<void> {
  return form === "generator"
    ? createTask(function* () {
        yield* q.put(item, options);
      })
    : createTask(async () => {
        await q.put(item, options);
      });
}

/** The items still queued, taken without waiting. */
export function drain<T>(q: Queue<T>): T[] {
  const items: T[] = [];
  while (!q.empty()) items.push(q.getNowait());
  return items;
}

/** Live waiters as the queue prints them (asyncio's `len(q._getters)`, `len(q._putters)`). */
export function waiters(q: Queue<unknown>): { getters: number; putters: number } {
  const text = String(q);
  return {
    getters: Number(/_getters\[(\d+)\]/.exec(text)?.[1] ?? 0),
    putters: Number(/_putters\[(\d+)\]/.exec(text)?.[1] ?? 0),
  };
}
