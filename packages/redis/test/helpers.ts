import { sleep } from "@taskio/core";
import { currentClock } from "@taskio/testkit";
import { Redis } from "ioredis";
import { afterEach, beforeEach, inject } from "vitest";
import { RemoteQueue, type RemoteQueueOptions, RemoteSemaphore, type RemoteSemaphoreOptions } from "../src/index.js";

/** The URL of the redis-server the global setup started. */
export const redisUrl: string = inject("redisUrl");

const opened: { close(): Promise<void> }[] = [];
const clients: Redis[] = [];

/**
 * For test files that talk to Redis: each test runs on real time (the virtual clock would jump
 * the lease timers while Redis I/O is in flight), and everything a test opened is closed after it.
 */
export function useRedis(): void {
  beforeEach(() => {
    currentClock()?.uninstall();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((x) => x.close()));
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });
}

let counter = 0;
/** A name no other test (or test file running in parallel) uses. */
export function unique(what: string): string {
  return `${what}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A plain ioredis client: a "process" of its own. Closed after the test. */
export function client(): Redis {
  const c = new Redis(redisUrl);
  clients.push(c);
  return c;
}

/**
 * Leases and visibility timeouts of the primitives below: their holders renew them on real time, so
 * on a loaded machine a short one can run out between two renewals. Tests of what happens when one
 * runs out wait this long (or pass a shorter one).
 */
const LEASE_MS = 3_000;

/** A RemoteSemaphore on its own connection (a "process"), closed after the test. */
export function semaphore(name: string, limit: number, options: Partial<RemoteSemaphoreOptions> = {}): RemoteSemaphore {
  const sem = new RemoteSemaphore(name, limit, { redis: redisUrl, leaseMs: LEASE_MS, ...options });
  opened.push(sem);
  return sem;
}

/** A RemoteQueue on its own connection (a "process"), closed after the test. */
export function queue<T>(name: string, options: Partial<RemoteQueueOptions<T>> = {}): RemoteQueue<T> {
  const q = new RemoteQueue<T>(name, { redis: redisUrl, visibilityMs: LEASE_MS, ...options });
  opened.push(q);
  return q;
}

/**
 * Simulates a process that dies: its timers stop and its connections drop without a word to
 * Redis (no release, no acknowledgement).
 */
export function crash(primitive: RemoteSemaphore | RemoteQueue<any>): void {
  primitive._ticker.stop();
  primitive._closing = Promise.resolve();
  primitive._link._subscriber?.disconnect();
  primitive._link.client.disconnect();
}

/** Polls `check` on real time until it holds (or fails after `ms`, a bound generous enough for a loaded machine). */
export async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await sleep(5);
  }
}

/** How many waiters are queued in Redis for semaphore `name` (default prefix). */
export async function queued(redis: Redis, name: string): Promise<number> {
  return redis.zcard(`taskio:sem:{${name}}:waiters`);
}
