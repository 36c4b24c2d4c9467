import { brandCheck, brandClass } from "@taskio/core/internal";

const LEASE_LOST = Symbol.for("taskio.LeaseLostError");
const REMOTE_SHUT_DOWN = Symbol.for("taskio.RemoteQueueShutDown");
// @taskio/queue's brand: carrying it makes `e instanceof QueueShutDown` true too, without this
// package depending on @taskio/queue (DESIGN: brand checks use Symbol.for keys).
const SHUT_DOWN = Symbol.for("taskio.QueueShutDown");

/**
 * A permit's lease ran out while it was held: this process did not renew it in time (it stalled
 * longer than `leaseMs`, or lost Redis for that long), so Redis gave the permit to someone else.
 * `run()` cancels its body and rejects with this error; a permit taken with `acquire()` is
 * reported to the `onLeaseLost` option. Not in asyncio (an in-process permit cannot expire).
 * @example
 * try {
 *   await sem.run(work);
 * } catch (e) {
 *   if (e instanceof LeaseLostError) console.warn("ran without exclusion:", e.message);
 * }
 */
export class LeaseLostError extends Error {
  declare readonly [LEASE_LOST]: true;
  static override [Symbol.hasInstance] = brandCheck(LeaseLostError, LEASE_LOST);
}
brandClass(LeaseLostError, [LEASE_LOST], "LeaseLostError");

/**
 * The remote queue was shut down (by any process): raised by puts at once, by gets once nothing is
 * left to claim (at once after an immediate shutdown), and by every put and get that was waiting.
 * asyncio: `asyncio.QueueShutDown`. It carries @taskio/queue's brand, so `e instanceof
 * QueueShutDown` (from @taskio/queue) is true for it as well.
 * @example
 * try {
 *   await q.get();
 * } catch (e) {
 *   if (e instanceof RemoteQueueShutDown) return; // no more work
 *   throw e;
 * }
 */
export class RemoteQueueShutDown extends Error {
  declare readonly [REMOTE_SHUT_DOWN]: true;
  static override [Symbol.hasInstance] = brandCheck(RemoteQueueShutDown, REMOTE_SHUT_DOWN);
}
brandClass(RemoteQueueShutDown, [REMOTE_SHUT_DOWN, SHUT_DOWN], "RemoteQueueShutDown");

const UNAVAILABLE = Symbol.for("taskio.RedisUnavailableError");

/**
 * Redis could not be reached (refused, unknown host, down, restarting) or did not answer within
 * the primitive's `connectTimeoutMs`. `address` names the server (a URL's password is masked).
 * The instance stays usable: ioredis keeps reconnecting, and calls made once Redis is back
 * succeed. Not in asyncio (an in-process primitive has no server to lose).
 * @example
 * try {
 *   await sem.acquire();
 * } catch (e) {
 *   if (e instanceof RedisUnavailableError) console.error(`no Redis at ${e.address}`);
 *   throw e;
 * }
 */
export class RedisUnavailableError extends Error {
  declare readonly [UNAVAILABLE]: true;
  /** The server that could not be reached, like `redis://127.0.0.1:6379`. */
  readonly address: string;
  static override [Symbol.hasInstance] = brandCheck(RedisUnavailableError, UNAVAILABLE);

  constructor(message: string, address: string, options?: ErrorOptions) {
    super(message, options);
    this.address = address;
  }
}
brandClass(RedisUnavailableError, [UNAVAILABLE], "RedisUnavailableError");
