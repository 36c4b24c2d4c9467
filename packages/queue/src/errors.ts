import { brandCheck, brandClass } from "@taskio/core/internal";

const EMPTY = Symbol.for("taskio.QueueEmpty");
const FULL = Symbol.for("taskio.QueueFull");
const SHUT_DOWN = Symbol.for("taskio.QueueShutDown");

/**
 * Thrown by `getNowait()` on an empty queue. asyncio: `asyncio.QueueEmpty`.
 * @example
 * try {
 *   q.getNowait();
 * } catch (e) {
 *   if (e instanceof QueueEmpty) console.log("nothing yet");
 * }
 */
export class QueueEmpty extends Error {
  declare readonly [EMPTY]: true;
  static override [Symbol.hasInstance] = brandCheck(QueueEmpty, EMPTY);
}
brandClass(QueueEmpty, [EMPTY], "QueueEmpty");

/**
 * Thrown by `putNowait()` on a full queue. asyncio: `asyncio.QueueFull`.
 * @example
 * try {
 *   q.putNowait(job);
 * } catch (e) {
 *   if (e instanceof QueueFull) dropped++;
 * }
 */
export class QueueFull extends Error {
  declare readonly [FULL]: true;
  static override [Symbol.hasInstance] = brandCheck(QueueFull, FULL);
}
brandClass(QueueFull, [FULL], "QueueFull");

/**
 * The queue was shut down: raised by puts at once, by gets once the queue is empty (at once after
 * an immediate shutdown), and by every put and get that was waiting. asyncio: `asyncio.QueueShutDown`.
 * @example
 * try {
 *   yield* q.get();
 * } catch (e) {
 *   if (e instanceof QueueShutDown) return; // no more work
 *   throw e;
 * }
 */
export class QueueShutDown extends Error {
  declare readonly [SHUT_DOWN]: true;
  static override [Symbol.hasInstance] = brandCheck(QueueShutDown, SHUT_DOWN);
}
brandClass(QueueShutDown, [SHUT_DOWN], "QueueShutDown");
