/**
 * One worker process of the redis family: runs the job given as its argument against its own
 * connections, reports "ready", waits for "go", then reports what it measured. Each process
 * loads only the library it measures.
 */
import { Redis } from "ioredis";
import { type Job, now, type Order, type Report } from "./protocol.js";

const job = JSON.parse(process.argv[2]!) as Job;

function send(report: Report): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(report, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

let onOrder: ((order: Order) => void) | undefined;
const inbox: Order[] = [];
process.on("message", (order: Order) => {
  if (onOrder) onOrder(order);
  else inbox.push(order);
});
function next(type: Order["type"]): Promise<void> {
  return new Promise((resolve, reject) => {
    const take = (order: Order) => {
      onOrder = undefined;
      if (order.type === type) resolve();
      else reject(new Error(`expected "${type}", got "${order.type}"`));
    };
    const waiting = inbox.shift();
    if (waiting) take(waiting);
    else onOrder = take;
  });
}

function connection(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** acquire() then release(), on one permit-holder object. */
interface Holder {
  acquire(): PromiseLike<unknown>;
  release(): PromiseLike<unknown>;
}

async function semaphores(
  impl: "taskio" | "redis-semaphore",
  url: string,
  name: string,
  limit: number,
  leaseMs: number,
  count: number,
): Promise<{ holders: Holder[]; close: () => Promise<void> }> {
  if (impl === "taskio") {
    const { RemoteSemaphore } = await import("@taskio/redis");
    // One instance per process, shared by its workers, as the README recommends.
    const sem = new RemoteSemaphore(name, limit, { redis: url, leaseMs });
    await sem.value(); // connected and subscribed before the clock starts
    const holder: Holder = { acquire: () => sem.acquire(), release: () => sem.release() };
    return { holders: Array.from({ length: count }, () => holder), close: () => sem.close() };
  }
  const { Semaphore } = await import("redis-semaphore");
  const client = new Redis(url);
  await client.ping();
  // One Semaphore object per concurrent holder: that is how redis-semaphore counts holders. Same
  // limit and lease as taskio; acquireTimeout only keeps a contended waiter from giving up.
  const holders = Array.from({ length: count }, () => {
    const sem = new Semaphore(client, name, limit, { lockTimeout: leaseMs, acquireTimeout: 120_000 });
    return { acquire: () => sem.acquire(), release: () => sem.release() };
  });
  return { holders, close: async () => void (await client.quit()) };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function uncontended(j: Extract<Job, { role: "sem-uncontended" }>): Promise<void> {
  const { holders, close } = await semaphores(j.impl, j.url, j.name, 4, j.leaseMs, 1);
  const sem = holders[0]!;
  for (let i = 0; i < j.warmup; i++) {
    await sem.acquire();
    await sem.release();
  }
  await send({ type: "ready" });
  await next("go");
  const latencies = new Float64Array(j.ops);
  const start = performance.now();
  for (let i = 0; i < j.ops; i++) {
    const t0 = performance.now();
    await sem.acquire();
    await sem.release();
    latencies[i] = performance.now() - t0;
  }
  const wallMs = performance.now() - start;
  latencies.sort();
  await close();
  await send({
    type: "latencies",
    wallMs,
    ops: j.ops,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  });
}

async function contended(j: Extract<Job, { role: "sem-contended" }>): Promise<void> {
  const { holders, close } = await semaphores(j.impl, j.url, j.name, j.limit, j.leaseMs, j.workers);
  // The shared count of holders lives in Redis, on a connection of its own.
  const counter = new Redis(j.url);
  await counter.ping();
  await send({ type: "ready" });
  await next("go");
  let started = 0;
  let maxHolders = 0;
  let overLimit = 0;
  await Promise.all(
    holders.map(async (sem) => {
      while (started < j.ops) {
        started++;
        await sem.acquire();
        const holding = await counter.incr(j.counter);
        if (holding > maxHolders) maxHolders = holding;
        if (holding > j.limit) overLimit++;
        await counter.decr(j.counter);
        await sem.release();
      }
    }),
  );
  const endAt = now();
  await close();
  await counter.quit();
  await send({ type: "contended", ops: started, endAt, maxHolders, overLimit });
}

async function producer(j: Extract<Job, { role: "queue-producer" }>): Promise<void> {
  let put: (i: number) => PromiseLike<unknown>;
  let close: () => Promise<unknown>;
  if (j.impl === "taskio") {
    const { RemoteQueue } = await import("@taskio/redis");
    const q = new RemoteQueue<number>(j.name, { redis: j.url });
    await q.qsize();
    put = (i) => q.put(i);
    close = () => q.close();
  } else {
    const { Queue } = await import("bullmq");
    // Completed jobs are removed, as an acknowledged RemoteQueue item is.
    const q = new Queue(j.name, {
      connection: connection(j.url),
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    await q.waitUntilReady();
    put = (i) => q.add("job", i);
    close = () => q.close();
  }
  await send({ type: "ready" });
  await next("go");
  // The same number of puts in flight for both: a producer that does not wait for each reply.
  let nextItem = 0;
  await Promise.all(
    Array.from({ length: j.inFlight }, async () => {
      while (nextItem < j.items) await put(nextItem++);
    }),
  );
  const endAt = now();
  await close();
  await send({ type: "produced", items: j.items, endAt });
}

async function consumer(j: Extract<Job, { role: "queue-consumer" }>): Promise<void> {
  const ids: number[] = [];
  let lastAt = 0;
  const processed = (i: number) => {
    ids.push(i);
    lastAt = now();
  };
  let start: () => void;
  let stop: () => Promise<void>;
  if (j.impl === "taskio") {
    const { RemoteQueue } = await import("@taskio/redis");
    const q = new RemoteQueue<number>(j.name, { redis: j.url });
    await q.qsize();
    let loops: Promise<void>[] = [];
    start = () => {
      loops = Array.from({ length: j.concurrency }, async () => {
        for (;;) {
          let item: number;
          try {
            item = await q.get();
          } catch {
            return; // closed: the run is over
          }
          processed(item);
          await q.taskDone();
        }
      });
    };
    stop = async () => {
      await q.close();
      await Promise.all(loops);
    };
  } else {
    const { Worker } = await import("bullmq");
    const worker = new Worker<number>(j.name, async (bullJob) => processed(bullJob.data), {
      connection: { ...connection(j.url), maxRetriesPerRequest: null },
      concurrency: j.concurrency,
      autorun: false,
    });
    await worker.waitUntilReady();
    start = () => void worker.run();
    stop = () => worker.close();
  }
  await send({ type: "ready" });
  await next("go");
  start();
  const ticker = setInterval(() => void send({ type: "progress", processed: ids.length, lastAt }), 50);
  await next("stop");
  clearInterval(ticker);
  await stop();
  await send({ type: "consumed", ids, lastAt });
}

switch (job.role) {
  case "sem-uncontended":
    await uncontended(job);
    break;
  case "sem-contended":
    await contended(job);
    break;
  case "queue-producer":
    await producer(job);
    break;
  case "queue-consumer":
    await consumer(job);
    break;
}
process.disconnect();
