import { Deque, describeValue } from "@taskio/core/internal";
import { Redis, type RedisOptions } from "ioredis";
import { checkInteger, checkOptions } from "./check.js";
import { RedisUnavailableError } from "./errors.js";

const noop = (): void => {};

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

/** Closes a client: quit (waits for replies) when connected, a plain disconnect otherwise (a quit
 * sent while reconnecting would wait in the offline queue for a server that may never come). */
async function shut(client: Redis): Promise<void> {
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/** The server a connection goes to, for error messages (a URL's password is masked). */
function addressOf(connection: unknown, client: Redis): string {
  if (typeof connection === "string") {
    try {
      const url = new URL(connection);
      if (url.password !== "") url.password = "***";
      return url.toString();
    } catch {
      return connection;
    }
  }
  const options = client.options;
  if (options.path) return `unix:${options.path}`;
  return `redis://${options.host ?? "localhost"}:${options.port ?? 6379}`;
}

/**
 * Calls one instance has written to Redis and not yet had answered, at most. An owned client gives
 * up on a call `connectTimeoutMs` after writing it, so a burst written at once (50,000
 * `acquire()`s) would time its last calls out while Redis is still busy answering the first ones:
 * the rest wait here, in order, and are written as answers come back.
 */
const MAX_WRITTEN = 1_000;

/** Errors that mean "no answer from Redis", as opposed to an answer that is an error (ReplyError). */
const CONNECTION_FAILURE =
  /timed out|isn't writeable|Connection is closed|max retries|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT/i;

/**
 * The connections of one RemoteSemaphore or RemoteQueue: the command client (given or owned) and
 * a subscriber for its notification channel, plus the Redis calls still in flight, which
 * `close()` waits for. Every call waits at most `connectTimeoutMs` for Redis to be reachable,
 * then rejects with a RedisUnavailableError naming the server; ioredis keeps reconnecting (and
 * re-subscribing), so the instance works again once Redis is back.
 */
export class Link {
  readonly client: Redis;
  /** The server, for error messages. */
  readonly address: string;
  /** @internal */ readonly _owned: boolean;
  /** @internal */ readonly _label: string;
  /** @internal */ readonly _connectTimeoutMs: number;
  /** @internal */ _subscriber: Redis | undefined = undefined;
  /** @internal resolves once notifications are delivered */ _listening: Promise<void> | undefined = undefined;
  /** @internal true once subscribed: calls then go out without waiting on `_listening` */ ready = false;
  /** @internal calls waiting for Redis to be reachable */ readonly _pending = new Set<() => void>();
  /** @internal */ readonly _wake = (): void => {
    for (const check of this._pending) check();
  };
  /** @internal the last connection error seen, for the message */ _lastError = "";
  /** @internal */ readonly _inflight = new Set<Promise<unknown>>();
  /** @internal calls written and not yet answered, plus those about to be written (see MAX_WRITTEN) */ _written = 0;
  /** @internal calls waiting for one of the MAX_WRITTEN, oldest first */ readonly _backlog = new Deque<() => void>();
  /** @internal a call was answered: its place goes to the oldest waiting call, if any */
  readonly _answered = (): void => {
    if (this._backlog.size > 0) this._backlog.take()();
    else this._written--;
  };
  /** @internal */ readonly _onError = (error: Error): void => {
    this._lastError = error.message;
  };
  /** @internal turns a lost connection into a RedisUnavailableError; a Redis reply error stays as is */
  readonly _explain = (error: unknown): never => {
    if (error instanceof RedisUnavailableError || (error as Error)?.name === "ReplyError") throw error;
    const message = String((error as Error)?.message);
    if (this.client.status !== "ready" || CONNECTION_FAILURE.test(message)) {
      throw new RedisUnavailableError(
        `${this._label}: Redis at ${this.address} did not answer (${message})`,
        this.address,
        { cause: error },
      );
    }
    throw error;
  };

  constructor(connection: unknown, where: string, label: string, connectTimeoutMs: number) {
    // An owned client gives up on a call after connectTimeoutMs (commandTimeout), so a call caught
    // in flight by a dropped connection fails in bounded time too. It never sends a call later
    // than it was made (no offline queue, no resend after a reconnect): a call that failed with a
    // RedisUnavailableError must not take effect behind the caller's back. Options given win.
    const bounded: RedisOptions = {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      commandTimeout: connectTimeoutMs,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
    };
    if (isRedis(connection)) {
      this.client = connection;
      this._owned = false;
    } else if (typeof connection === "string") {
      this.client = openUrl(connection, bounded, where);
      this._owned = true;
    } else if (typeof connection === "object" && connection !== null) {
      this.client = new Redis({ ...bounded, ...(connection as RedisOptions) });
      this._owned = true;
    } else {
      throw new TypeError(
        `${where}: options.redis must be an ioredis client, ioredis options or a redis:// URL, got ${describeValue(connection)}`,
      );
    }
    // Without a listener ioredis prints every failed reconnect; the last one goes in our errors.
    if (this._owned) this.client.on("error", this._onError);
    this.address = addressOf(connection, this.client);
    this._label = label;
    this._connectTimeoutMs = connectTimeoutMs;
  }

  /**
   * Subscribes to `channel` on a duplicate connection (made once; the subscription is asked again
   * if it failed). `onReconnect` runs when that connection comes back after a drop, when messages
   * may have been missed.
   */
  listen(channel: string, onMessage: (message: string) => void, onReconnect: () => void): Promise<void> {
    if (this._listening !== undefined) return this._listening;
    let subscriber = this._subscriber;
    if (subscriber === undefined) {
      // The subscription may be asked before the connection is up, and is renewed by ioredis
      // after every reconnect: it needs the offline queue the command client goes without.
      subscriber = this.client.duplicate({ lazyConnect: true, enableOfflineQueue: true });
      this._subscriber = subscriber;
      let connectedOnce = false;
      subscriber.on("error", this._onError);
      subscriber.on("message", (from: string, message: string) => {
        if (from === channel) onMessage(message);
      });
      subscriber.on("ready", () => {
        if (connectedOnce) onReconnect();
        connectedOnce = true;
      });
    }
    this._listening = subscriber.subscribe(channel).then(
      () => {
        this.ready = true;
      },
      (error: unknown) => {
        this._listening = undefined;
        throw error;
      },
    );
    return this._listening;
  }

  /**
   * Makes `call` once Redis is reachable and notifications on `channel` are flowing (so the
   * wake-up it may cause is never missed), and tracks it for `close()`. Rejects with a
   * RedisUnavailableError if Redis cannot be reached within `connectTimeoutMs`.
   */
  send<R>(
    channel: string,
    onMessage: (message: string) => void,
    onReconnect: () => void,
    call: () => Promise<R>,
  ): Promise<R> {
    if (this._isUp()) return this.track(this._write(call).catch(this._explain));
    return this.track(
      this._whenUp(channel, onMessage, onReconnect)
        .then(() => this._write(call))
        .catch(this._explain),
    );
  }

  /**
   * @internal makes `call` once the code that made it has run to its end (a microtask: the answer
   * timer must not run while a long burst of calls is still being made), if fewer than MAX_WRITTEN
   * calls await their answer; else once the calls before it have gone out. A call that waits here
   * while Redis goes away fails at once when its turn comes (the client takes no writes then), as
   * those in flight do.
   */
  _write<R>(call: () => Promise<R>): Promise<R> {
    if (this._written < MAX_WRITTEN && this._backlog.size === 0) {
      this._written++;
      return Promise.resolve().then(() => this._make(call));
    }
    // The place is handed over by _answered(), already counted.
    return new Promise<void>((resolve) => this._backlog.push(resolve)).then(() => this._make(call));
  }

  /** @internal */
  _make<R>(call: () => Promise<R>): Promise<R> {
    let answer: Promise<R>;
    try {
      answer = call();
    } catch (error) {
      this._answered();
      throw error;
    }
    return answer.finally(this._answered);
  }

  /**
   * @internal resolves once the client is ready and subscribed; rejects after `connectTimeoutMs`.
   * One timer per waiting call (only while Redis is away), so each call gets its full time; one
   * "ready" listener for them all.
   */
  _whenUp(channel: string, onMessage: (message: string) => void, onReconnect: () => void): Promise<void> {
    const client = this.client;
    if (this._pending.size === 0) client.on("ready", this._wake);
    // Real time, not taskio's clock: this waits on a network, not on tasks.
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        this._pending.delete(check);
        if (this._pending.size === 0) client.off("ready", this._wake);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check = (): void => {
        if (this._isUp()) finish();
      };
      const timer = setTimeout(() => finish(this._unavailable()), this._connectTimeoutMs);
      this._pending.add(check);
      if (client.status === "wait") client.connect().catch(noop);
      // A refused subscription (an ACL without SUBSCRIBE) is an answer: pass it on, do not wait.
      this.listen(channel, onMessage, onReconnect).then(check, (error: unknown) => {
        if ((error as Error)?.name === "ReplyError") finish(error);
      });
    });
  }

  /**
   * @internal subscribed, and the client ready with a socket that takes writes (just after a drop
   * the status may still say "ready" while the socket is already closed, and a call written then
   * would be lost)
   */
  _isUp(): boolean {
    const client = this.client;
    // A Cluster client has no single stream: its status is all there is to read.
    const stream = client.stream as Redis["stream"] | undefined;
    return this.ready && client.status === "ready" && (stream === undefined || stream.writable);
  }

  /** @internal */
  _unavailable(): RedisUnavailableError {
    const last = this._lastError === "" ? "" : ` (last error: ${this._lastError})`;
    return new RedisUnavailableError(
      `${this._label}: could not reach Redis at ${this.address} within ${this._connectTimeoutMs} ms${last}`,
      this.address,
    );
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

const CREDENTIALS = /\/\/[^@/]*@/;

/** A client for a URL; one ioredis cannot read is a TypeError that names the option and the forms it takes. */
function openUrl(url: string, options: RedisOptions, where: string): Redis {
  try {
    return new Redis(url, options);
  } catch (error) {
    throw new TypeError(
      `${where}: options.redis is not a Redis URL, got ${JSON.stringify(url.replace(CREDENTIALS, "//***@"))} (${(error as Error)?.message}). Pass a URL like "redis://localhost:6379" ("rediss://" for TLS), ioredis options like { host, port }, or an ioredis client`,
      { cause: error },
    );
  }
}

/** The longest delay a Node timer takes: a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Reads `options.connectTimeoutMs` (default 5,000 ms): it sets timers, so at most MAX_TIMER_MS. */
export function readConnectTimeout(value: unknown, where: string): number {
  if (value === undefined) return 5_000;
  const ms = checkInteger(value, `${where}: options.connectTimeoutMs`, 1);
  if (ms > MAX_TIMER_MS) {
    throw new RangeError(
      `${where}: options.connectTimeoutMs must be at most ${MAX_TIMER_MS} (about 24.8 days, the longest timer Node sets), got ${ms}`,
    );
  }
  return ms;
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
