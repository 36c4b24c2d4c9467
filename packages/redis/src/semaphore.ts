import {
  type Coroutine,
  currentTask,
  type Future,
  InvalidStateError,
  isCancelledError,
  type SignalOptions,
  sleep,
  type Task,
} from "@taskio/core";
import {
  awaitBody,
  callWithSignal,
  checkBody,
  createBodyTask,
  Deque,
  readSignal,
  rejectedFuture,
} from "@taskio/core/internal";
import type { Redis } from "ioredis";
import { checkInteger, checkName } from "./check.js";
import { callInChunks } from "./chunks.js";
import { Link, normalize, type RedisConnection, readConnectTimeout } from "./connection.js";
import { LeaseLostError } from "./errors.js";
import { type Scripts, scripts } from "./scripts.js";
import { Ticker } from "./ticker.js";
import { follow, RemoteWaiter } from "./waiter.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");
const noop = (): void => {};

/**
 * Options of `new RemoteSemaphore(name, limit, options)`.
 * @example
 * const sem = new RemoteSemaphore("partner-api", 10, { redis: "redis://localhost:6379", leaseMs: 10_000 });
 */
export interface RemoteSemaphoreOptions {
  /** The Redis to coordinate through: an ioredis client (left open), ioredis options or a URL (closed by `close()`). */
  redis: RedisConnection;
  /**
   * How long a permit (or a place in the line) survives without renewal, in ms (default 30,000,
   * at least 30). This instance renews what it holds every `leaseMs / 3`, so a permit returns at
   * most `leaseMs` after its process dies; a process that stalls longer than that loses it.
   */
  leaseMs?: number;
  /**
   * How long a call waits for Redis to be reachable (connecting, or reconnecting after a drop or
   * a restart) before it rejects with a RedisUnavailableError naming the server, in ms (default
   * 5,000, at least 1). A client this instance opens also gives up on an unanswered call after it.
   */
  connectTimeoutMs?: number;
  /** Prefix of the Redis keys (default `"taskio:sem:"`). The keys are `<prefix>{<name>}:<part>`. */
  prefix?: string;
  /**
   * Called when a permit taken with `acquire()` was found expired (this process stalled longer
   * than `leaseMs`, or could not reach Redis): someone else may hold it now. Default: `console.error`.
   * `run()` bodies are cancelled instead and their Task rejects with the LeaseLostError.
   */
  onLeaseLost?: (error: LeaseLostError) => void;
}

const ENQUEUEING = 0;
const QUEUED = 1;

/** A held permit taken with acquire(): released by release(), oldest first. */
interface Hold {
  readonly id: string;
  lost: boolean;
}

/** A waiting acquire; once granted, a `run()` keeps it as the record of its permit. */
class SemWaiter extends RemoteWaiter<true> {
  /** @internal ENQUEUEING while the acquire script is in flight, then QUEUED */ _stage = ENQUEUEING;
  /** @internal */ _granted = false;
  /** @internal its lease expired while a run() body held it */ _lost = false;

  constructor(
    owner: RemoteSemaphore,
    signal: AbortSignal | undefined,
    /** @internal the waiter's id in Redis, also the permit's once granted */ readonly _id: string,
    /** @internal the run() task this permit is for */ readonly _task: Task<unknown> | undefined,
  ) {
    super(owner, signal);
  }
}

/**
 * asyncio.Semaphore shared by every process that uses the same Redis and `name`: at most `limit`
 * permits are held at once across all of them. Waiters are served strictly FIFO across processes
 * (tickets from one counter), and every permit is held under a lease this instance renews, so a
 * process that dies without releasing gives its permits back after `leaseMs`. Cancelling or
 * aborting a waiting `acquire()` withdraws it from the line; if Redis had just granted it, the
 * permit is passed on: nothing is leaked and nothing is granted twice.
 *
 * Differs from the in-process Semaphore where a network must: `value()` and `locked()` are async,
 * permits are counted per instance (`release()` gives back one this instance took), and a permit
 * can be lost if its process stalls past the lease (see `LeaseLostError`). Call `close()` when done.
 *
 * @example
 * const sem = new RemoteSemaphore("partner-api", 10, { redis: "redis://localhost:6379" });
 * const body = await sem.run(async (signal) => (await fetch(url, { signal })).text());
 * await sem.close();
 */
export class RemoteSemaphore {
  /** The name shared by every instance of this semaphore. */
  readonly name: string;
  /** The most permits held at once, across every process. */
  readonly limit: number;
  /** How long an unrenewed permit lives, in ms. */
  readonly leaseMs: number;
  /** @internal */ readonly _link: Link;
  /** @internal */ readonly _scripts: Scripts;
  /** @internal */ readonly _keys: readonly string[];
  /** @internal this instance's grant channel */ readonly _channel: string;
  /** @internal the grant channels' common prefix: a grant goes to `<prefix><instance>` */ readonly _grants: string;
  /** @internal */ readonly _instance: string = globalThis.crypto.randomUUID();
  /** @internal */ _seq = 0;
  /** @internal waiting acquires by id */ readonly _waiters = new Map<string, SemWaiter>();
  /** @internal permits taken with acquire(), oldest first */ readonly _held = new Deque<Hold>();
  /** @internal permits held by run() bodies */ readonly _runs = new Map<string, SemWaiter>();
  /** @internal run() tasks that have not taken their first step: close() cancels them */
  readonly _starting = new Set<Task<unknown>>();
  /** @internal */ readonly _started = (task: Future<unknown>): void => {
    this._starting.delete(task as Task<unknown>);
  };
  /** @internal */ readonly _ticker: Ticker;
  /** @internal */ _renewing = false;
  /** @internal */ _closing: Promise<void> | undefined = undefined;
  /** @internal */ readonly _onLeaseLost: (error: LeaseLostError) => void;
  /** @internal */ readonly _onMessage = (message: string): void => this._granted(message);
  /** @internal */ readonly _onReconnect = (): void => this._tick();

  /**
   * @param name shared by every process using this semaphore (Redis keys derive from it).
   * @param limit the number of permits, an integer >= 1. Every instance of one semaphore must use
   *   the same limit: an acquire() with another one, while the semaphore is in use, rejects with a RangeError.
   * @param options `{ redis, leaseMs?, connectTimeoutMs?, prefix?, onLeaseLost? }`, or just the connection (an ioredis client or a URL).
   * @throws {TypeError} for a non-string name, a non-number limit or bad options.
   * @throws {RangeError} for an empty name, a limit that is not an integer >= 1, `leaseMs` < 30 or `connectTimeoutMs` < 1.
   */
  constructor(name: string, limit: number, options: RemoteSemaphoreOptions | Redis | string) {
    const where = "new RemoteSemaphore()";
    this.name = checkName(name, where);
    this.limit = checkInteger(limit, `${where}: limit`, 1);
    const opts = normalize<RemoteSemaphoreOptions>(options, where);
    this.leaseMs = opts.leaseMs === undefined ? 30_000 : checkInteger(opts.leaseMs, `${where}: options.leaseMs`, 30);
    const prefix = opts.prefix ?? "taskio:sem:";
    if (typeof prefix !== "string") throw new TypeError(`${where}: options.prefix must be a string`);
    if (opts.onLeaseLost !== undefined && typeof opts.onLeaseLost !== "function") {
      throw new TypeError(`${where}: options.onLeaseLost must be a function`);
    }
    this._onLeaseLost = opts.onLeaseLost ?? defaultLeaseLost;
    this._link = new Link(
      opts.redis,
      where,
      `RemoteSemaphore ${JSON.stringify(name)}`,
      readConnectTimeout(opts.connectTimeoutMs, where),
    );
    this._scripts = scripts(this._link.client);
    const base = `${prefix}{${name}}`;
    this._keys = ["holders", "waiters", "deadlines", "leases", "limit", "seq"].map((part) => `${base}:${part}`);
    this._grants = `${base}:grants:`;
    this._channel = `${this._grants}${this._instance}`;
    this._ticker = new Ticker(Math.floor(this.leaseMs / 3), () => this._tick());
  }

  /**
   * Takes a permit: resolves to `true` once this instance holds one, FIFO across every process.
   * It always asks Redis, so it never resolves synchronously. Cancelling the Future (or the task
   * awaiting it) or aborting `signal` withdraws the wait at once; a signal already aborted
   * rejects at once with `signal.reason`. Give the permit back with `release()`, or use `run()`.
   * asyncio: `await sem.acquire()`.
   * @throws {TypeError} for bad options. @throws {InvalidStateError} after `close()`.
   * The Future rejects with a RangeError if the semaphore is in use with another limit, or with
   * a RedisUnavailableError if Redis cannot be reached within `connectTimeoutMs`.
   * @example
   * await sem.acquire({ signal: AbortSignal.timeout(5_000) });
   * try { await callPartner(); } finally { sem.release(); }
   */
  acquire(options?: SignalOptions): Future<true> {
    this._checkOpen("acquire");
    const signal = readSignal(options, "RemoteSemaphore.acquire()");
    if (signal?.aborted) return rejectedFuture(signal.reason);
    return this._enqueue(new SemWaiter(this, signal, this._nextId(), undefined));
  }

  /**
   * Gives back the oldest permit this instance took with `acquire()`; Redis hands it straight to
   * the first waiter. The returned Future resolves once Redis has it (awaiting it is optional:
   * calls from one instance reach Redis in order). A permit whose lease was lost is just dropped.
   * asyncio: `release()`.
   * @throws {InvalidStateError} if this instance holds no permit taken with acquire() (unlike the
   *   in-process Semaphore, a remote one cannot be released above its limit).
   * @example
   * sem.release();
   */
  release(): Future<void> {
    if (this._held.size === 0) {
      throw new InvalidStateError(
        `RemoteSemaphore.release(): this instance of "${this.name}" holds no permit taken with acquire() (run() releases its own)`,
      );
    }
    const hold = this._held.take();
    const done = follow(hold.lost ? Promise.resolve() : this._leave(hold.id).then(noop));
    return done;
  }

  /**
   * asyncio's `async with sem:` — runs `fn(signal)` (an async function, a generator function or a
   * plain function) as a new Task holding a permit while the body runs, and returns that Task. The
   * permit is taken when the task first runs, renewed while the body runs, and given back however
   * the body ends. Cancelling the Task withdraws the wait if the body has not started, and cancels
   * the body otherwise. If the permit's lease is lost meanwhile, the body is cancelled and the Task
   * rejects with a `LeaseLostError`.
   * @throws {TypeError} if `fn` is not a function. @throws {InvalidStateError} after `close()`.
   * @example
   * const status = await sem.run(async (signal) => (await fetch(url, { signal })).status);
   */
  run<T>(fn: (signal: AbortSignal) => Coroutine<T>): Task<T>;
  run<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Task<Awaited<T>>;
  run(fn: (signal: AbortSignal) => unknown): Task<unknown> {
    this._checkOpen("run");
    checkBody(fn, "RemoteSemaphore.run()");
    const body = holding<unknown>(this, fn);
    const task = createBodyTask(fn, body);
    // Until its first step the task is known only here: close() must find it, or it would take a
    // permit through a closing instance and never give it back.
    this._starting.add(task);
    task.addDoneCallback(this._started);
    return task;
  }

  /**
   * The number of free permits now, across every process (permits of dead holders whose lease has
   * run out count as free). A snapshot: it may change before you act on it.
   * asyncio: `sem._value`. The Future rejects with a RedisUnavailableError if Redis cannot be reached.
   * @example
   * console.log(`${await sem.value()} of ${sem.limit} free`);
   */
  value(): Future<number> {
    this._checkOpen("value");
    return follow(this._state().then(([limit, holders]) => Math.max(0, limit - holders)));
  }

  /**
   * True when `acquire()` would wait: no permit is free, or someone is waiting (no barging past
   * the line). A snapshot. asyncio: `locked()`.
   * @example
   * if (await sem.locked()) console.log("busy: this call will queue");
   */
  locked(): Future<boolean> {
    this._checkOpen("locked");
    return follow(this._state().then(([limit, holders, waiters]) => holders >= limit || waiters > 0));
  }

  /**
   * Stops this instance: waiting acquires reject with InvalidStateError and leave the line, the
   * permits it holds are released, running `run()` bodies are cancelled (and awaited), then its
   * connections close (a client you passed in stays open). Idempotent.
   * @example
   * await sem.close();
   */
  close(): Promise<void> {
    if (this._closing !== undefined) return this._closing;
    this._ticker.stop();
    const error = new InvalidStateError(`RemoteSemaphore "${this.name}" was closed`);
    const waiting = [...this._waiters.values()];
    for (const waiter of waiting) {
      waiter._reject(error);
      this._withdraw(waiter);
    }
    for (const hold of this._held) if (!hold.lost) this._leave(hold.id).catch(noop);
    this._held.clear();
    const bodies = [...this._runs.values()].map((permit) => permit._task!);
    // A run() not started yet is cancelled before its first step, so it never asks for a permit.
    bodies.push(...this._starting);
    this._starting.clear();
    for (const task of bodies) task.cancel(`RemoteSemaphore "${this.name}" was closed`);
    this._closing = Promise.all(bodies.map(ended)).then(() => this._link.close());
    return this._closing;
  }

  /** `await using sem = new RemoteSemaphore(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `<RemoteSemaphore "api" limit:3 held:1 waiting:2>`: what this instance holds and waits for. */
  toString(): string {
    const held = this._held.size + this._runs.size;
    const waiting = this._waiters.size > 0 ? ` waiting:${this._waiters.size}` : "";
    return `<RemoteSemaphore ${JSON.stringify(this.name)} limit:${this.limit} held:${held}${waiting}${this._closing ? " closed" : ""}>`;
  }

  [inspect](): string {
    return this.toString();
  }

  /** @internal a permit for a run() body: the current task is that body's task */
  _take(): SemWaiter {
    return this._enqueue(new SemWaiter(this, undefined, this._nextId(), currentTask()));
  }

  /** @internal the run() body ended: forget the permit and give it back (no need to wait) */
  _dropRun(permit: SemWaiter): void {
    this._runs.delete(permit._id);
    if (!permit._lost) this._leave(permit._id).catch(noop);
  }

  /** @internal */
  _nextId(): string {
    return `${this._instance}:${++this._seq}`;
  }

  /** @internal */
  _checkOpen(method: string): void {
    if (this._closing !== undefined) {
      throw new InvalidStateError(`RemoteSemaphore.${method}(): "${this.name}" was closed`);
    }
  }

  /** @internal sends a call once notifications are flowing (a grant is never missed) */
  _send<R>(call: (s: Scripts) => Promise<R>): Promise<R> {
    return this._link.send(this._channel, this._onMessage, this._onReconnect, () => call(this._scripts));
  }

  /** @internal */
  _enqueue(waiter: SemWaiter): SemWaiter {
    waiter._stage = ENQUEUEING;
    this._waiters.set(waiter._id, waiter);
    const keys = this._keys;
    this._send((s) =>
      s.taskioSemAcquire(
        keys[0]!,
        keys[1]!,
        keys[2]!,
        keys[3]!,
        keys[4]!,
        keys[5]!,
        waiter._id,
        this.limit,
        this.leaseMs,
        this._grants,
      ),
    ).then(
      (reply) => this._enqueued(waiter, reply),
      (error) => this._enqueueFailed(waiter, error),
    );
    this._ticker.start();
    return waiter;
  }

  /** @internal the acquire script answered: held at once (1) or queued (0) */
  _enqueued(waiter: SemWaiter, reply: number): void {
    if (waiter._granted) return; // the grant message came first
    if (waiter.done()) {
      // withdrawn while the call was in flight: take back whatever it got
      this._leave(waiter._id).catch(noop);
      return;
    }
    if (reply === 1) this._grant(waiter);
    else waiter._stage = QUEUED;
  }

  /** @internal */
  _enqueueFailed(waiter: SemWaiter, error: unknown): void {
    if (waiter.done()) return;
    this._waiters.delete(waiter._id);
    const match = /TASKIO_LIMIT (\d+)/.exec(String((error as Error)?.message));
    waiter._reject(
      match
        ? new RangeError(
            `RemoteSemaphore "${this.name}": limit ${this.limit} differs from the limit ${match[1]} it is in use with elsewhere; every instance of one semaphore must use the same limit`,
          )
        : error,
    );
  }

  /** @internal */
  _grant(waiter: SemWaiter): void {
    this._waiters.delete(waiter._id);
    waiter._granted = true;
    if (waiter._task !== undefined) this._runs.set(waiter._id, waiter);
    else this._held.push({ id: waiter._id, lost: false });
    waiter._resolve(true);
  }

  /** @internal a grant message: space-separated ids, of any instance */
  _granted(message: string): void {
    if (this._waiters.size === 0) return;
    for (const id of message.split(" ")) {
      const waiter = this._waiters.get(id);
      if (waiter !== undefined && !waiter.done()) this._grant(waiter);
    }
  }

  /** @internal cancelled or aborted: leave the line (or hand on a permit granted meanwhile) */
  _withdraw(waiter: RemoteWaiter<any>): void {
    const w = waiter as SemWaiter;
    if (!this._waiters.delete(w._id)) return;
    // ENQUEUEING: _enqueued() leaves once the acquire call answers.
    if (w._stage === QUEUED) this._leave(w._id).catch(noop);
  }

  /** @internal */
  _leave(id: string): Promise<number> {
    const keys = this._keys;
    return this._send((s) =>
      s.taskioSemLeave(keys[0]!, keys[1]!, keys[2]!, keys[3]!, keys[4]!, keys[5]!, id, this.limit, this._grants),
    );
  }

  /** @internal */
  _state(): Promise<[number, number, number]> {
    const keys = this._keys;
    return this._send((s) => s.taskioSemState(keys[0]!, keys[1]!, keys[2]!, keys[3]!, keys[4]!, keys[5]!, this.limit));
  }

  /** @internal renews every lease this instance has, and re-checks its waiters (a missed message) */
  _tick(): void {
    if (this._renewing || this._closing !== undefined) return;
    const ids: string[] = [];
    const owners: (SemWaiter | Hold)[] = [];
    for (const waiter of this._waiters.values()) {
      if (waiter._stage === QUEUED) {
        ids.push(waiter._id);
        owners.push(waiter);
      }
    }
    for (const hold of this._held) {
      if (!hold.lost) {
        ids.push(hold.id);
        owners.push(hold);
      }
    }
    for (const permit of this._runs.values()) {
      if (!permit._lost) {
        ids.push(permit._id);
        owners.push(permit);
      }
    }
    if (ids.length === 0) {
      this._rearm();
      return;
    }
    this._renewing = true;
    const keys = this._keys;
    callInChunks(ids, (chunk) =>
      this._send((s) =>
        s.taskioSemRenew(
          keys[0]!,
          keys[1]!,
          keys[2]!,
          keys[3]!,
          keys[4]!,
          keys[5]!,
          this.limit,
          this.leaseMs,
          this._grants,
          ...chunk,
        ),
      ),
    ).then(
      (statuses) => this._renewed(owners, statuses),
      () => {
        // Redis unreachable: try again next period; a lease that runs out meanwhile shows as lost.
        this._renewing = false;
        this._rearm();
      },
    );
  }

  /** @internal */
  _renewed(owners: (SemWaiter | Hold)[], statuses: number[]): void {
    this._renewing = false;
    if (this._closing !== undefined) return;
    for (let i = 0; i < owners.length; i++) {
      const owner = owners[i]!;
      const status = statuses[i];
      if (owner instanceof SemWaiter) {
        if (owner._granted) {
          if (owner._task !== undefined && status !== 1 && this._runs.has(owner._id)) this._lostRun(owner);
        } else if (!owner.done() && owner._stage === QUEUED) {
          if (status === 1) this._grant(owner);
          else if (status === -1) this._enqueue(owner); // expired from the line (a long stall): queue again
        }
      } else if (status !== 1 && !owner.lost) {
        owner.lost = true;
        this._onLeaseLost(this._lostError());
      }
    }
    this._rearm();
  }

  /** @internal */
  _lostRun(permit: SemWaiter): void {
    permit._lost = true;
    permit._task!.cancel(`RemoteSemaphore "${this.name}": the permit's lease expired`);
  }

  /** @internal */
  _lostError(cause?: unknown): LeaseLostError {
    return new LeaseLostError(
      `RemoteSemaphore "${this.name}": a permit's lease expired before it was renewed (this process stalled or lost Redis for over ${this.leaseMs} ms); another process may hold it now`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** @internal whether a permit taken with acquire() still has its lease */
  _holdsLive(): boolean {
    for (const hold of this._held) if (!hold.lost) return true;
    return false;
  }

  /** @internal keeps ticking while anything is waiting or held */
  _rearm(): void {
    if (this._closing !== undefined) return;
    if (this._waiters.size > 0 || this._runs.size > 0 || this._holdsLive()) this._ticker.start();
  }
}

function defaultLeaseLost(error: LeaseLostError): void {
  console.error(error);
}

/** Resolves when `task` is done, whatever its outcome (it is the caller's to retrieve). */
function ended(task: Task<unknown>): Promise<void> {
  return new Promise((resolve) => task.addDoneCallback(() => resolve()));
}

/** The body of `run()`: take a permit, run `fn` holding it, give it back whatever happens. */
function* holding<T>(sem: RemoteSemaphore, fn: (signal: AbortSignal) => unknown): Coroutine<T> {
  sem._starting.delete(currentTask()!);
  const permit = sem._take();
  // Cancelled while queued: this throws and nothing is held.
  yield* permit;
  const task = currentTask()!;
  try {
    // Granted but cancelled before resuming: the body has not started, so stop here and let
    // `finally` pass the permit on. sleep(0) is where the pending request lands.
    if (task.cancelling() > 0) yield* sleep(0);
    const value = yield* awaitBody<T>(callWithSignal(fn, task));
    if (permit._lost) {
      task.uncancel();
      throw sem._lostError();
    }
    return value;
  } catch (error) {
    if (permit._lost && isCancelledError(error)) {
      task.uncancel();
      throw sem._lostError(error);
    }
    throw error;
  } finally {
    sem._dropRun(permit);
  }
}
