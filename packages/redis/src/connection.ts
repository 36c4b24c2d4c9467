import { describeValue } from "@taskio/core";
import { Redis, type RedisOptions } from "ioredis";
import { checkOptions } from "./check.js";

/**
 * Where a remote primitive finds Redis: an ioredis client you made (shared: it is left open and
 * may serve other code), or ioredis options / a `redis://` URL (the primitive opens a client of
 * its own and closes it in `close()`). Either way the primitive opens one more connection, a
 * duplicate, for its pub/sub notifications.
 * @example
 * new RemoteSemaphore("api", 10, { redis: "redis://localhost:6379" });
 * new RemoteSemaphore("api", 10, { redis: new Redis() });
 */
export type RedisConnection = Redis | RedisOptions | string;

export function isRedis(value: unknown): value is Redis {
  // Duck-typed, so a client from another copy of ioredis (ESM next to CJS) is accepted too.
  return (
    value instanceof Redis ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as Redis).defineCommand === "function" &&
      typeof (value as Redis).duplicate === "function")
  );
}

/** Closes a client: quit (waits for replies) when connected, a plain disconnect otherwise. */
async function shut(client: Redis): Promise<void> {
  if (client.status === "wait" || client.status === "end" || client.status === "close") {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/**
 * The connections of one RemoteSemaphore or RemoteQueue: the command client (given or owned) and
 * a subscriber for its notification channel, plus the Redis calls still in flight, which
 * `close()` waits for.
 */
export class Link {
  readonly client: Redis;
  /** @internal */ readonly _owned: boolean;
  /** @internal */ _subscriber: Redis | undefined = undefined;
  /** @internal resolves once notifications are delivered */ _listening: Promise<void> | undefined = undefined;
  /** @internal true once subscribed: calls then go out without waiting on `_listening` */ ready = false;
  /** @internal */ readonly _inflight = new Set<Promise<unknown>>();

  constructor(connection: unknown, where: string) {
    if (isRedis(connection)) {
      this.client = connection;
      this._owned = false;
    } else if (typeof connection === "string") {
      this.client = new Redis(connection, { lazyConnect: true });
      this._owned = true;
    } else if (typeof connection === "object" && connection !== null) {
      this.client = new Redis({ lazyConnect: true, ...(connection as RedisOptions) });
      this._owned = true;
    } else {
      throw new TypeError(
        `${where}: options.redis must be an ioredis client, ioredis options or a redis:// URL, got ${describeValue(connection)}`,
      );
    }
  }

  /**
   * Subscribes (once) to `channel` on a duplicate connection. `onReconnect` runs when that
   * connection comes back after a drop, when messages may have been missed.
   */
  listen(channel: string, onMessage: (message: string) => void, onReconnect: () => void): Promise<void> {
    if (this._listening !== undefined) return this._listening;
    const subscriber = this.client.duplicate({ lazyConnect: true });
    this._subscriber = subscriber;
    let connectedOnce = false;
    subscriber.on("message", (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    subscriber.on("ready", () => {
      if (connectedOnce) onReconnect();
      connectedOnce = true;
    });
    this._listening = subscriber.subscribe(channel).then(() => {
      this.ready = true;
    });
    return this._listening;
  }

  /**
   * Makes `call` once notifications on `channel` are flowing, so the wake-up it may cause is never
   * missed, and tracks it for `close()`.
   */
  send<R>(
    channel: string,
    onMessage: (message: string) => void,
    onReconnect: () => void,
    call: () => Promise<R>,
  ): Promise<R> {
    return this.track(this.ready ? call() : this.listen(channel, onMessage, onReconnect).then(call));
  }

  /** Keeps `promise` in the set `close()` waits for. */
  track<T>(promise: Promise<T>): Promise<T> {
    const inflight = this._inflight;
    inflight.add(promise);
    const done = () => inflight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Waits until no call is in flight (including calls made by the answers of others). */
  async drain(): Promise<void> {
    while (this._inflight.size > 0) await Promise.allSettled([...this._inflight]);
  }

  /** Waits for the calls in flight, then closes the subscriber and an owned client. */
  async close(): Promise<void> {
    await this.drain();
    if (this._subscriber !== undefined) await shut(this._subscriber);
    if (this._owned) await shut(this.client);
  }
}

/** Options given as just a connection (an ioredis client or a URL) become `{ redis }`. */
export function normalize<O extends { redis: RedisConnection }>(options: unknown, where: string): O {
  if (typeof options === "string" || isRedis(options)) return { redis: options } as O;
  const opts = checkOptions<O>(options, where, "{ redis }");
  if (opts === undefined || !("redis" in opts)) {
    throw new TypeError(
      `${where}: options must give the Redis connection, like { redis: "redis://localhost:6379" } (ioredis options go in options.redis)`,
    );
  }
  return opts;
}
