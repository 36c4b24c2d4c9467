import { currentTask, type Future, InvalidStateError, type SignalOptions, type Task } from "@taskio/core";
import { describeValue, readSignal, rejectedFuture, WaiterLine } from "@taskio/core/internal";
import type { Redis } from "ioredis";
import { checkInteger, checkName } from "./check.js";
import { callInChunks } from "./chunks.js";
import { Link, normalize, type RedisConnection, readConnectTimeout } from "./connection.js";
import { RemoteQueueShutDown } from "./errors.js";
import { RemoteQueueIterator } from "./iterator.js";
import { type Scripts, scripts } from "./scripts.js";
import { Ticker } from "./ticker.js";
import { UnackedItems } from "./unacked.js";
import { follow, RemoteWaiter } from "./waiter.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");
const noop = (): void => {};
/** The most waiters served by one Redis call. */
const BATCH = 100;

/**
 * How items become Redis strings and back (default: JSON). Every instance of one queue must use
 * the same codec.
 * @example
 * const codec: Codec<Uint8Array> = {
 *   encode: (bytes) => Buffer.from(bytes).toString("base64"),
 *   decode: (text) => new Uint8Array(Buffer.from(text, "base64")),
 * };
 */
export interface Codec<T> {
  encode(item: T): string;
  decode(text: string): T;
}

/**
 * Options of `new RemoteQueue(name, options)`.
 * @example
 * const q = new RemoteQueue<Job>("jobs", { redis: "redis://localhost:6379", maxsize: 1000 });
 */
export interface RemoteQueueOptions<T> {
  /** The Redis to coordinate through: an ioredis client (left open), ioredis options or a URL (closed by `close()`). */
  redis: RedisConnection;
  /** Most items waiting to be got (0, Infinity or absent: unbounded). Every instance of one queue must agree. */
  maxsize?: number;
  /**
   * How long an item that was got but not yet acknowledged by `taskDone()` may go without news
   * from its consumer before another consumer may claim it, in ms (default 30,000, at least 30).
   * A live consumer renews its items every `visibilityMs / 3`, so only a dead (or long-stalled)
   * consumer's items are delivered again.
   */
  visibilityMs?: number;
  /**
   * How long a call waits for Redis to be reachable (connecting, or reconnecting after a drop or
   * a restart) before it rejects with a RedisUnavailableError naming the server, in ms (default
   * 5,000, at least 1). A client this instance opens also gives up on an unanswered call after it.
   */
  connectTimeoutMs?: number;
  /** Prefix of the Redis keys (default `"taskio:queue:"`). The keys are `<prefix>{<name>}:<part>`. */
  prefix?: string;
  /** How items are stored (default: JSON, so items must survive `JSON.stringify`/`JSON.parse`). */
  codec?: Codec<T>;
}

/** A waiting get(): remembers the task that asked, so that task's `taskDone()` acknowledges its item. */
class GetWaiter<T> extends RemoteWaiter<T> {
  constructor(
    owner: RemoteQueue<T>,
    signal: AbortSignal | undefined,
    /** @internal */ readonly _task: Task<unknown> | undefined,
  ) {
    super(owner, signal);
  }
}

/** A waiting put(), with its item already encoded. */
class PutWaiter extends RemoteWaiter<void> {
  constructor(
    owner: RemoteQueue<any>,
    signal: AbortSignal | undefined,
    /** @internal */ readonly _payload: string,
  ) {
    super(owner, signal);
  }
}

const JSON_CODEC: Codec<any> = {
  encode(item) {
    let text: string | undefined;
    try {
      text = JSON.stringify(item);
    } catch (error) {
      throw new TypeError(
        `RemoteQueue.put(): the item cannot be stored as JSON (${(error as Error).message}); pass a codec`,
        {
          cause: error,
        },
      );
    }
    if (text === undefined) {
      throw new TypeError(
        `RemoteQueue.put(): the item cannot be stored as JSON, got ${describeValue(item)}; pass a codec`,
      );
    }
    return text;
  },
  decode: (text) => JSON.parse(text),
};

/**
 * asyncio.Queue shared by every process that uses the same Redis and `name`, on a Redis Stream
 * with one consumer group: `put()` appends, `get()` claims the oldest item for this consumer,
 * `taskDone()` acknowledges it, `join()` waits until every item put was acknowledged, anywhere.
 *
 * Delivery is **at least once**: an item got by a consumer that dies before `taskDone()` is
 * delivered again to another consumer after `visibilityMs`, so consumers must be idempotent.
 * Inspection is async (`await q.qsize()`) and there is no `getNowait`/`putNowait`. Call `close()`
 * when done.
 *
 * @example
 * const q = new RemoteQueue<{ url: string }>("crawl", { redis: "redis://localhost:6379" });
 * await q.put({ url: "https://example.com" });
 * const job = await q.get();
 * try { await crawl(job.url); } finally { await q.taskDone(); }
 */
export class RemoteQueue<T> {
  /** The name shared by every instance of this queue. */
  readonly name: string;
  /** Most items waiting to be got (0 or Infinity: unbounded). */
  readonly maxsize: number;
  /** @internal the bound the scripts apply (0: unbounded) */ readonly _bound: number;
  /** How long an unacknowledged item of a silent consumer stays with it, in ms. */
  readonly visibilityMs: number;
  /** @internal */ readonly _link: Link;
  /** @internal */ readonly _scripts: Scripts;
  /** @internal stream, shutdown flag, claim cursor */ readonly _keys: readonly [string, string, string];
  /** @internal */ readonly _channel: string;
  /** @internal this instance's consumer name in the group */ readonly _consumer: string =
    globalThis.crypto.randomUUID();
  /** @internal */ readonly _codec: Codec<T>;
  /** @internal */ readonly _getters = new WaiterLine<GetWaiter<T>>();
  /** @internal */ readonly _putters = new WaiterLine<PutWaiter>();
  /** @internal */ readonly _joiners = new WaiterLine<RemoteWaiter<void>>();
  /** @internal got and not yet acknowledged */ readonly _unacked = new UnackedItems();
  /** @internal a Redis call of that kind is in flight / something changed while it was */ _getBusy = false;
  /** @internal */ _getAgain = false;
  /** @internal */ _putBusy = false;
  /** @internal */ _putAgain = false;
  /** @internal */ _joinBusy = false;
  /** @internal */ _joinAgain = false;
  /** @internal */ _beating = false;
  /** @internal */ readonly _ticker: Ticker;
  /** @internal */ _closing: Promise<void> | undefined = undefined;
  /** @internal */ readonly _onMessage = (message: string): void => this._notified(message);
  /** @internal */ readonly _onReconnect = (): void => this._tick();

  /**
   * @param name shared by every process using this queue (Redis keys derive from it).
   * @param options `{ redis, maxsize?, visibilityMs?, connectTimeoutMs?, prefix?, codec? }`, or just the connection (an ioredis client or a URL).
   * @throws {TypeError} for a non-string name or bad options.
   * @throws {RangeError} for an empty name, a negative, NaN or fractional `maxsize`, `visibilityMs` < 30 or `connectTimeoutMs` < 1.
   */
  constructor(name: string, options: RemoteQueueOptions<T> | Redis | string) {
    const where = "new RemoteQueue()";
    this.name = checkName(name, where);
    const opts = normalize<RemoteQueueOptions<T>>(options, where);
    this.maxsize = readMaxsize(opts.maxsize, where);
    this._bound = this.maxsize === Number.POSITIVE_INFINITY ? 0 : this.maxsize;
    this.visibilityMs =
      opts.visibilityMs === undefined ? 30_000 : checkInteger(opts.visibilityMs, `${where}: options.visibilityMs`, 30);
    const prefix = opts.prefix ?? "taskio:queue:";
    if (typeof prefix !== "string") throw new TypeError(`${where}: options.prefix must be a string`);
    const codec = opts.codec ?? JSON_CODEC;
    if (typeof codec !== "object" || typeof codec.encode !== "function" || typeof codec.decode !== "function") {
      throw new TypeError(`${where}: options.codec must be an object with encode(item) and decode(text)`);
    }
    this._codec = codec;
    this._link = new Link(
      opts.redis,
      where,
      `RemoteQueue ${JSON.stringify(name)}`,
      readConnectTimeout(opts.connectTimeoutMs, where),
    );
    this._scripts = scripts(this._link.client);
    const base = `${prefix}{${name}}`;
    this._keys = [`${base}:stream`, `${base}:shutdown`, `${base}:cursor`];
    this._channel = `${base}:events`;
    this._ticker = new Ticker(Math.floor(this.visibilityMs / 3), () => this._tick());
  }

  /**
   * Puts an item at the tail, waiting while the queue holds `maxsize` items not yet got. Waiting
   * putters of one instance go in FIFO order; across processes, whichever retries first after a
   * slot frees wins. Cancelling the Future or aborting `signal` withdraws the put (an item already
   * written is taken back unless a consumer got it in that instant). asyncio: `await q.put(item)`.
   * @throws {TypeError} if the codec cannot encode the item, or for bad options.
   * @throws {InvalidStateError} after `close()`. The Future rejects with RemoteQueueShutDown if the queue is shut down,
   * or with a RedisUnavailableError if Redis cannot be reached within `connectTimeoutMs`.
   * @example
   * await q.put({ url }, { signal: AbortSignal.timeout(1_000) });
   */
  put(item: T, options?: SignalOptions): Future<void> {
    this._checkOpen("put");
    const signal = readSignal(options, "RemoteQueue.put()");
    const payload = this._codec.encode(item);
    if (typeof payload !== "string") {
      throw new TypeError(`RemoteQueue.put(): codec.encode() must return a string, got ${describeValue(payload)}`);
    }
    if (signal?.aborted) return rejectedFuture(signal.reason);
    const putter = new PutWaiter(this, signal, payload);
    this._putters.push(putter);
    this._pumpPut();
    this._ticker.start();
    return putter;
  }

  /**
   * Claims the oldest item for this consumer, waiting while there is none. First come items whose
   * consumer went silent for `visibilityMs` (delivered again: at least once), then new ones.
   * Cancelling the Future or aborting `signal` withdraws the get; an item claimed in that instant
   * goes to this instance's next getter, or back into the queue. Call `taskDone()` once the item
   * is processed. asyncio: `await q.get()`.
   * @throws {TypeError} for bad options. @throws {InvalidStateError} after `close()`.
   * The Future rejects with RemoteQueueShutDown once the queue is shut down and nothing is left to
   * claim (at once after `shutdown(true)`), or with a RedisUnavailableError if Redis cannot be reached
   * within `connectTimeoutMs` (also while it waits: its periodic re-check then fails).
   * @example
   * const job = await q.get();
   */
  get(options?: SignalOptions): Future<T> {
    this._checkOpen("get");
    const signal = readSignal(options, "RemoteQueue.get()");
    if (signal?.aborted) return rejectedFuture(signal.reason);
    const getter = new GetWaiter<T>(this, signal, currentTask());
    this._getters.push(getter);
    this._pumpGet();
    this._ticker.start();
    return getter;
  }

  /**
   * Acknowledges an item this instance got: the oldest one got by the calling task (so concurrent
   * workers sharing one instance each acknowledge their own), or, if that task got none, the oldest
   * this instance got. The item is then removed from Redis and is never delivered again. The
   * Future resolves once Redis has it. asyncio: `q.task_done()`.
   * @throws {RangeError} if called more times than this instance got items. @throws {InvalidStateError} after `close()`.
   * @example
   * const job = await q.get();
   * try { await handle(job); } finally { await q.taskDone(); }
   */
  taskDone(): Future<void> {
    this._checkOpen("taskDone");
    const id = this._unacked.take(currentTask());
    if (id === undefined) {
      throw new RangeError(`RemoteQueue.taskDone() called more times than this instance of "${this.name}" got items`);
    }
    return follow(this._ack(id).then(noop));
  }

  /**
   * Waits until every item put (by anyone) has been acknowledged (or dropped by an immediate
   * shutdown): the stream is empty. Items of a dead consumer are waited for until they are
   * delivered again and acknowledged. Cancelling the Future withdraws the wait. asyncio: `await q.join()`.
   * @throws {InvalidStateError} after `close()`.
   * @example
   * await Promise.all(jobs.map((job) => q.put(job)));
   * await q.join(); // every job was processed somewhere
   */
  join(): Future<void> {
    this._checkOpen("join");
    const joiner = new RemoteWaiter<void>(this, undefined);
    this._joiners.push(joiner);
    this._pumpJoin();
    this._ticker.start();
    return joiner;
  }

  /**
   * Shuts the queue down for every process (Python 3.13): puts reject with RemoteQueueShutDown,
   * gets drain what is left then reject; with `immediate`, the items not yet got are dropped (and
   * count as done for `join()`) and gets reject at once. The flag stays in Redis until `destroy()`.
   * The Future resolves once Redis has it. asyncio: `q.shutdown(immediate=False)`.
   * @throws {TypeError} for an `immediate` that is not a boolean. @throws {InvalidStateError} after `close()`.
   * @example
   * await q.shutdown();
   */
  shutdown(immediate?: boolean | { immediate?: boolean }): Future<void> {
    this._checkOpen("shutdown");
    const now = typeof immediate === "object" && immediate !== null ? immediate.immediate : immediate;
    if (now !== undefined && typeof now !== "boolean") {
      throw new TypeError(`RemoteQueue.shutdown(immediate): immediate must be a boolean, got ${describeValue(now)}`);
    }
    const [x, f, c] = this._keys;
    return follow(this._send((s) => s.taskioQueueShutdown(x, f, c, now ? "1" : "0", this._channel)).then(noop));
  }

  /**
   * The number of items waiting to be got, across every process (items got and not yet
   * acknowledged are not counted). A snapshot. asyncio: `q.qsize()`.
   * @example
   * console.log(`${await q.qsize()} jobs queued`);
   */
  qsize(): Future<number> {
    this._checkOpen("qsize");
    return follow(this._size().then((size) => size[0]));
  }

  /** True if no item waits to be got. A snapshot. asyncio: `q.empty()`. */
  empty(): Future<boolean> {
    this._checkOpen("empty");
    return follow(this._size().then((size) => size[0] === 0));
  }

  /** True if `maxsize` items wait to be got (never for an unbounded queue). A snapshot. asyncio: `q.full()`. */
  full(): Future<boolean> {
    this._checkOpen("full");
    return follow(this._size().then((size) => this._bound > 0 && size[0] >= this._bound));
  }

  /**
   * Deletes the queue from Redis: its items (waiting or got), and its shutdown flag, so the name
   * can be used afresh. Other instances still open see an empty queue, at once: their joins
   * resolve and their waiting puts go on. Not in asyncio.
   * @example
   * await q.destroy();
   */
  destroy(): Future<void> {
    this._checkOpen("destroy");
    const channel = this._channel;
    return follow(
      this._send(() =>
        this._link.client
          .multi()
          .del(...this._keys)
          .publish(channel, "take")
          .publish(channel, "empty")
          .exec(),
      ).then(noop),
    );
  }

  /**
   * Stops this instance: waiting puts, gets and joins reject with InvalidStateError (a put or get
   * caught in flight is undone), it leaves the consumer group if it holds no unacknowledged item
   * (those stay pending and are delivered again to others after `visibilityMs`), then its
   * connections close (a client you passed in stays open). Idempotent.
   * @example
   * await q.close();
   */
  close(): Promise<void> {
    if (this._closing !== undefined) return this._closing;
    this._ticker.stop();
    const error = new InvalidStateError(`RemoteQueue "${this.name}" was closed`);
    for (const waiters of [this._getters, this._putters, this._joiners] as WaiterLine<RemoteWaiter<any>>[]) {
      for (const waiter of waiters.drain()) waiter._reject(error);
    }
    this._closing = this._leaveGroup().then(() => this._link.close());
    return this._closing;
  }

  /** `await using q = new RemoteQueue(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * `for await (const item of q)`: each step is one `get()`; the loop ends when the queue is shut
   * down and nothing is left to claim. Like `get()`, it does not call `taskDone()` for you.
   * @example
   * for await (const job of q) {
   *   await handle(job);
   *   await q.taskDone();
   * }
   */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return new RemoteQueueIterator(this);
  }

  /** `<RemoteQueue "jobs" maxsize:10 unacked:1 getters:2>`: what this instance is doing. */
  toString(): string {
    const parts = [`<RemoteQueue ${JSON.stringify(this.name)}`];
    if (this._bound > 0) parts.push(`maxsize:${this.maxsize}`);
    if (this._unacked.size > 0) parts.push(`unacked:${this._unacked.size}`);
    if (this._getters.live > 0) parts.push(`getters:${this._getters.live}`);
    if (this._putters.live > 0) parts.push(`putters:${this._putters.live}`);
    if (this._closing !== undefined) parts.push("closed");
    return `${parts.join(" ")}>`;
  }

  [inspect](): string {
    return this.toString();
  }

  /** @internal once the calls in flight have answered (a claim could add this consumer again) */
  async _leaveGroup(): Promise<void> {
    if (this._link._listening === undefined) return; // it never talked to Redis
    await this._link.drain();
    // Redis is down: skip the goodbye (a call would wait for it); the group forgets an idle consumer anyway.
    if (this._link.client.status !== "ready") return;
    const [x, f, c] = this._keys;
    await this._scripts.taskioQueueBye(x, f, c, this._consumer).catch(noop);
  }

  /** @internal */
  _checkOpen(method: string): void {
    if (this._closing !== undefined) {
      throw new InvalidStateError(`RemoteQueue.${method}(): "${this.name}" was closed`);
    }
  }

  /** @internal sends a call once notifications are flowing (a wake-up is never missed) */
  _send<R>(call: (s: Scripts) => Promise<R>): Promise<R> {
    return this._link.send(this._channel, this._onMessage, this._onReconnect, () => call(this._scripts));
  }

  /** @internal */
  _size(): Promise<[number, number, string | null]> {
    const [x, f, c] = this._keys;
    return this._send((s) => s.taskioQueueSize(x, f, c));
  }

  /** @internal */
  _ack(id: string): Promise<number> {
    const [x, f, c] = this._keys;
    return this._send((s) => s.taskioQueueAck(x, f, c, this._channel, id));
  }

  /** @internal cancelled or aborted: leave the line; calls in flight are undone when they answer */
  _withdraw(waiter: RemoteWaiter<any>): void {
    waiter._line?.leave(waiter);
  }

  /** @internal what another process (or this one) did: wake the waiters it concerns */
  _notified(message: string): void {
    switch (message) {
      case "put":
        this._pumpGet();
        break;
      case "take":
        this._pumpPut();
        break;
      case "empty":
        this._pumpJoin();
        break;
      default:
        this._pumpGet();
        this._pumpPut();
        this._pumpJoin();
    }
  }

  /** @internal claims items for the waiting getters, one call at a time */
  _pumpGet(): void {
    if (this._getBusy) {
      this._getAgain = true;
      return;
    }
    const want = Math.min(this._getters.live, BATCH);
    if (want === 0) return;
    this._getBusy = true;
    this._getAgain = false;
    const [x, f, c] = this._keys;
    this._send((s) =>
      s.taskioQueueGet(x, f, c, this._consumer, this.visibilityMs, want, this._bound, this._channel),
    ).then(
      (reply) => this._got(reply, want),
      (error) => this._getFailed(error),
    );
  }

  /** @internal */
  _got(reply: string[] | -1, want: number): void {
    this._getBusy = false;
    if (reply === -1) {
      for (const getter of this._getters.drain()) getter._reject(this._shutDownError());
      return;
    }
    for (let i = 0; i < reply.length; i += 2) {
      const id = reply[i]!;
      const payload = reply[i + 1]!;
      const getter = this._getters.shift();
      if (getter === undefined) {
        // Its getter was cancelled while the call was in flight: give the item back.
        const [x, f, c] = this._keys;
        this._send((s) => s.taskioQueueRequeue(x, f, c, this._channel, id, payload)).catch(noop);
        continue;
      }
      let item: T;
      try {
        item = this._codec.decode(payload);
      } catch (error) {
        // An item no one can read would come back forever: drop it, and say so to its getter.
        this._ack(id).catch(noop);
        getter._reject(
          new TypeError(`RemoteQueue.get(): item ${id} of "${this.name}" could not be decoded; it was dropped`, {
            cause: error,
          }),
        );
        continue;
      }
      this._unacked.add(id, getter._task);
      getter._resolve(item);
    }
    if (this._getAgain || reply.length / 2 === want) this._pumpGet();
  }

  /** @internal */
  _getFailed(error: unknown): void {
    this._getBusy = false;
    for (const getter of this._getters.drain()) getter._reject(error);
  }

  /** @internal writes the waiting puts, FIFO, as many as fit, in one call */
  _pumpPut(): void {
    if (this._putBusy) {
      this._putAgain = true;
      return;
    }
    const putters = this._putters;
    if (putters.live === 0) return;
    const batch = putters.first(BATCH);
    const payloads = batch.map(payloadOf);
    this._putBusy = true;
    this._putAgain = false;
    const [x, f, c] = this._keys;
    this._send((s) => s.taskioQueuePut(x, f, c, this._bound, this._channel, ...payloads)).then(
      (reply) => this._written(batch, reply),
      (error) => this._putFailed(batch, error),
    );
  }

  /** @internal */
  _written(batch: PutWaiter[], reply: string[] | -1): void {
    this._putBusy = false;
    if (reply === -1) {
      for (const putter of this._putters.drain()) putter._reject(this._shutDownError());
      return;
    }
    for (let i = 0; i < reply.length; i++) {
      const putter = batch[i]!;
      if (putter.done()) {
        // Cancelled while its item was being written: take the item back if no one got it yet.
        const [x, f, c] = this._keys;
        this._send((s) => s.taskioQueueRetract(x, f, c, this._channel, reply[i]!)).catch(noop);
        continue;
      }
      this._putters.leave(putter);
      putter._resolve(undefined);
    }
    // All written: go on with the next ones. Some did not fit: wait for a "take".
    if (this._putAgain || (reply.length === batch.length && this._putters.live > 0)) this._pumpPut();
  }

  /** @internal */
  _putFailed(batch: PutWaiter[], error: unknown): void {
    this._putBusy = false;
    for (const putter of batch) {
      if (putter.done()) continue;
      this._putters.leave(putter);
      putter._reject(error);
    }
    if (this._putters.live > 0) this._pumpPut();
  }

  /** @internal checks whether the queue is finished for the waiting joins */
  _pumpJoin(): void {
    if (this._joinBusy) {
      this._joinAgain = true;
      return;
    }
    if (this._joiners.live === 0) return;
    this._joinBusy = true;
    this._joinAgain = false;
    this._size().then(
      (size) => {
        this._joinBusy = false;
        if (size[1] === 0) {
          for (const joiner of this._joiners.drain()) joiner._resolve(undefined);
        } else if (this._joinAgain) this._pumpJoin();
      },
      (error) => {
        this._joinBusy = false;
        for (const joiner of this._joiners.drain()) joiner._reject(error);
      },
    );
  }

  /** @internal keeps this instance's unacknowledged items (re-checks waiters too, in case a message was missed) */
  _tick(): void {
    if (this._closing !== undefined) return;
    if (this._unacked.size > 0 && !this._beating) {
      this._beating = true;
      const [x, f, c] = this._keys;
      const ids = this._unacked.ids();
      const done = () => {
        this._beating = false;
      };
      callInChunks(ids, (chunk) => this._send((s) => s.taskioQueueHeartbeat(x, f, c, this._consumer, ...chunk))).then(
        done,
        done,
      );
    }
    this._pumpGet();
    this._pumpPut();
    this._pumpJoin();
    if (this._unacked.size > 0 || this._getters.live > 0 || this._putters.live > 0 || this._joiners.live > 0) {
      this._ticker.start();
    }
  }

  /** @internal */
  _shutDownError(): RemoteQueueShutDown {
    return new RemoteQueueShutDown(`RemoteQueue "${this.name}" was shut down`);
  }
}

/** `maxsize`: a whole number >= 0, or Infinity (0 and Infinity: unbounded), as the in-process Queue takes it. */
function readMaxsize(value: unknown, where: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number") {
    throw new TypeError(`${where}: options.maxsize must be a number, got ${describeValue(value)}`);
  }
  if (value !== Number.POSITIVE_INFINITY && !(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(
      `${where}: options.maxsize must be an integer >= 0 or Infinity (0 and Infinity: unbounded), got ${value}`,
    );
  }
  return value;
}

function payloadOf(putter: PutWaiter): string {
  return putter._payload;
}
