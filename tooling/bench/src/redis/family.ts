/**
 * The redis family of `pnpm bench`: @taskio/redis against redis-semaphore and BullMQ, on a
 * redis-server of its own. Every measurement runs in fresh worker processes (one library each);
 * the implementations alternate within each round (taskio first in even rounds, the peer first in
 * odd ones), so a load that drifts during the run weighs on both alike. Network-bound, so the
 * clock is elapsed time. A permit held over the limit, or an item lost, is an error (exit 1).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { redisServerVersion, startRedisServer } from "@taskio/testkit/redis-server";
import { Redis } from "ioredis";
import { type Job, now, type Order, type Report } from "./protocol.js";

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.js");
/** No worker step may take longer than this: a hung library fails the family, it never hangs it. */
const STEP_MS = 300_000;
/** The queue run ends when every item was processed, or when nothing moved for this long (losses). */
const STALL_MS = 15_000;
const LEASE_MS = 10_000;
const LIMIT = 4;

export interface RedisOptions {
  node: string;
  smoke: boolean;
  rounds: number;
}

interface Sizes {
  uncontendedOps: number;
  warmup: number;
  contendedOps: number;
  items: number;
}

const FULL: Sizes = { uncontendedOps: 3_000, warmup: 300, contendedOps: 2_000, items: 50_000 };
const SMOKE: Sizes = { uncontendedOps: 50, warmup: 10, contendedOps: 64, items: 400 };

/** A measured row: one implementation in one scenario, a figure per round. */
interface Row {
  scenario: string;
  impl: string;
  taskio: boolean;
  opsPerSec: number[];
  p50: number[];
  p99: number[];
  cmdsPerOp: number[];
  notes: string[];
}

class Worker {
  readonly #process: ChildProcess;
  readonly #inbox: Report[] = [];
  #waiting: ((report: Report | Error) => void) | undefined;
  #stderr = "";
  #exit: string | undefined;
  progress = { processed: 0, lastAt: 0 };

  constructor(
    node: string,
    readonly job: Job,
  ) {
    this.#process = spawn(node, [workerScript, JSON.stringify(job)], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    this.#process.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.#stderr += chunk));
    this.#process.on("message", (report: Report) => {
      if (report.type === "progress") {
        this.progress = report;
        return;
      }
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting(report);
      else this.#inbox.push(report);
    });
    this.#process.on("exit", (code, signal) => {
      this.#exit = `exited with ${code ?? signal}`;
      this.#waiting?.(this.#failure());
      this.#waiting = undefined;
    });
  }

  #failure(): Error {
    const head = this.#stderr.trim().split("\n").slice(0, 12).join("\n");
    return new Error(`${this.job.role} worker (${this.job.impl}) ${this.#exit ?? "did not answer"}\n${head}`);
  }

  async expect<T extends Report["type"]>(type: T): Promise<Extract<Report, { type: T }>> {
    let report: Report | Error | undefined = this.#inbox.shift();
    if (report === undefined) {
      if (this.#exit !== undefined) throw this.#failure();
      report = await new Promise<Report | Error>((resolve) => {
        const timer = setTimeout(() => resolve(new Error(`no "${type}" within ${STEP_MS} ms`)), STEP_MS);
        this.#waiting = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
      });
    }
    if (report instanceof Error) throw report;
    if (report.type !== type)
      throw new Error(`expected "${type}" from a ${this.job.role} worker, got "${report.type}"`);
    return report as Extract<Report, { type: T }>;
  }

  order(order: Order): void {
    this.#process.send(order);
  }

  kill(): void {
    if (this.#exit === undefined) this.#process.kill("SIGKILL");
  }
}

/** Redis commands processed so far (a script counts once, plus the calls it makes). */
async function commands(admin: Redis): Promise<number> {
  const stats = await admin.info("stats");
  return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
}

let run = 0;
function freshName(what: string): string {
  return `bench-${what}-${process.pid}-${++run}`;
}

async function withWorkers<T>(workers: Worker[], body: () => Promise<T>): Promise<T> {
  try {
    await Promise.all(workers.map((w) => w.expect("ready")));
    return await body();
  } finally {
    for (const w of workers) w.kill();
  }
}

interface Measured {
  opsPerSec: number;
  p50?: number;
  p99?: number;
  cmdsPerOp: number;
  note?: string;
  error?: string;
}

async function uncontended(
  node: string,
  url: string,
  admin: Redis,
  impl: "taskio" | "redis-semaphore",
  sizes: Sizes,
): Promise<Measured> {
  const name = freshName("sem");
  const worker = new Worker(node, {
    role: "sem-uncontended",
    impl,
    url,
    name,
    ops: sizes.uncontendedOps,
    warmup: sizes.warmup,
    leaseMs: LEASE_MS,
  });
  return withWorkers([worker], async () => {
    const before = await commands(admin);
    worker.order({ type: "go" });
    const r = await worker.expect("latencies");
    const cmds = (await commands(admin)) - before - 1;
    return { opsPerSec: (r.ops / r.wallMs) * 1000, p50: r.p50, p99: r.p99, cmdsPerOp: cmds / r.ops };
  });
}

async function contended(
  node: string,
  url: string,
  admin: Redis,
  impl: "taskio" | "redis-semaphore",
  sizes: Sizes,
): Promise<Measured> {
  const name = freshName("sem");
  const counter = `${name}:holding`;
  const processes = 4;
  const workers = Array.from(
    { length: processes },
    () =>
      new Worker(node, {
        role: "sem-contended",
        impl,
        url,
        name,
        ops: sizes.contendedOps / processes,
        workers: 8,
        limit: LIMIT,
        leaseMs: LEASE_MS,
        counter,
      }),
  );
  return withWorkers(workers, async () => {
    await admin.set(counter, 0);
    const before = await commands(admin);
    const goAt = now();
    for (const w of workers) w.order({ type: "go" });
    const reports = await Promise.all(workers.map((w) => w.expect("contended")));
    const cmds = (await commands(admin)) - before - 1;
    const ops = reports.reduce((sum, r) => sum + r.ops, 0);
    const endAt = Math.max(...reports.map((r) => r.endAt));
    const maxHolders = Math.max(...reports.map((r) => r.maxHolders));
    const over = reports.reduce((sum, r) => sum + r.overLimit, 0);
    const measured: Measured = {
      opsPerSec: (ops / (endAt - goAt)) * 1000,
      cmdsPerOp: cmds / ops,
      note: `max ${maxHolders} holders`,
    };
    if (over > 0 || maxHolders > LIMIT)
      measured.error = `${over} acquires saw more than ${LIMIT} holders (max ${maxHolders})`;
    return measured;
  });
}

async function queue(
  node: string,
  url: string,
  admin: Redis,
  impl: "taskio" | "bullmq",
  sizes: Sizes,
): Promise<Measured> {
  const name = freshName("queue");
  const consumers = Array.from(
    { length: 4 },
    () => new Worker(node, { role: "queue-consumer", impl, url, name, concurrency: 8 }),
  );
  const producer = new Worker(node, { role: "queue-producer", impl, url, name, items: sizes.items, inFlight: 64 });
  return withWorkers([...consumers, producer], async () => {
    const before = await commands(admin);
    const goAt = now();
    for (const w of consumers) w.order({ type: "go" });
    producer.order({ type: "go" });
    const produced = producer.expect("produced");
    produced.catch(() => {});
    // Bounded: ends when every item was processed, or when nothing has moved for STALL_MS.
    let seen = -1;
    let movedAt = now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const total = consumers.reduce((sum, w) => sum + w.progress.processed, 0);
      if (total >= sizes.items) break;
      if (total !== seen) {
        seen = total;
        movedAt = now();
      } else if (now() - movedAt > STALL_MS) break;
    }
    await produced;
    for (const w of consumers) w.order({ type: "stop" });
    const reports = await Promise.all(consumers.map((w) => w.expect("consumed")));
    const cmds = (await commands(admin)) - before - 1;
    const counts = new Uint32Array(sizes.items);
    let total = 0;
    for (const r of reports) {
      for (const id of r.ids) {
        counts[id]!++;
        total++;
      }
    }
    let unique = 0;
    for (const c of counts) if (c > 0) unique++;
    const lost = sizes.items - unique;
    const duplicates = total - unique;
    const endAt = Math.max(...reports.map((r) => r.lastAt));
    const measured: Measured = {
      opsPerSec: (unique / (endAt - goAt)) * 1000,
      cmdsPerOp: cmds / sizes.items,
      note: `${duplicates} dup, ${lost} lost`,
    };
    if (lost > 0) measured.error = `${lost} of ${sizes.items} items never processed (${duplicates} duplicates)`;
    return measured;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function si(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

export interface RedisFamilyResult {
  text: string;
  errors: string[];
  json: unknown;
}

type Scenario = {
  id: string;
  op: string;
  impls: [string, string];
  labels: [string, string];
  measure: (node: string, url: string, admin: Redis, impl: never, sizes: Sizes) => Promise<Measured>;
};

const SCENARIOS: Scenario[] = [
  {
    id: "sem-uncontended",
    op: `acquire + release, one at a time (limit ${LIMIT}, lease ${LEASE_MS / 1000} s)`,
    impls: ["taskio", "redis-semaphore"],
    labels: ["» taskio RemoteSemaphore", "redis-semaphore Semaphore"],
    measure: uncontended,
  },
  {
    id: "sem-contended",
    op: `acquire + release, 4 processes × 8 workers on a limit of ${LIMIT}`,
    impls: ["taskio", "redis-semaphore"],
    labels: ["» taskio RemoteSemaphore", "redis-semaphore Semaphore"],
    measure: contended,
  },
  {
    id: "queue-1to4",
    op: "one item from 1 producer to 4 consumer processes (8 at a time each), acknowledged",
    impls: ["taskio", "bullmq"],
    labels: ["» taskio RemoteQueue put/get/taskDone", "BullMQ Queue.add / Worker"],
    measure: queue,
  },
];

/** Runs the family and returns its table (and any broken-implementation errors). */
export async function runRedisFamily(options: RedisOptions): Promise<RedisFamilyResult> {
  const sizes = options.smoke ? SMOKE : FULL;
  const rounds = options.smoke ? 1 : Math.min(options.rounds, 3);
  const errors: string[] = [];
  const version = redisServerVersion();
  // SIGTERM: the bench's server is stopped, not crashed.
  const server = await startRedisServer({ stopSignal: "SIGTERM" });
  const admin = new Redis(server.url);
  const rows = new Map<string, Row>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const scenario of SCENARIOS) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const impl = scenario.impls[i]!;
          const k = `${scenario.id}/${impl}`;
          const row = rows.get(k) ?? {
            scenario: scenario.id,
            impl: scenario.labels[i]!,
            taskio: i === 0,
            opsPerSec: [],
            p50: [],
            p99: [],
            cmdsPerOp: [],
            notes: [],
          };
          rows.set(k, row);
          await admin.flushall();
          try {
            const m = await scenario.measure(options.node, server.url, admin, impl as never, sizes);
            row.opsPerSec.push(m.opsPerSec);
            if (m.p50 !== undefined) row.p50.push(m.p50);
            if (m.p99 !== undefined) row.p99.push(m.p99);
            row.cmdsPerOp.push(m.cmdsPerOp);
            if (m.note) row.notes.push(m.note);
            if (m.error) errors.push(`redis / ${scenario.id} / ${row.impl}: ${m.error}`);
          } catch (error) {
            errors.push(`redis / ${scenario.id} / ${row.impl}: ${(error as Error).message}`);
          }
        }
      }
    }
  } finally {
    admin.disconnect();
    await server.stop();
  }
  const lines: string[] = [];
  const pad = (s: string, n: number) => s.padEnd(n);
  const left = (s: string, n: number) => s.padStart(n);
  lines.push(
    `${pad("scenario", 17)}${pad("implementation", 40)}${left("ops/s", 8)}${left("±", 7)}${left("p50 ms", 8)}${left("p99 ms", 8)}${left("cmds/op", 8)}${left("× peer", 8)}  checks (per round)`,
  );
  const targets: string[] = [];
  for (const scenario of SCENARIOS) {
    const mine = rows.get(`${scenario.id}/${scenario.impls[0]}`);
    const peer = rows.get(`${scenario.id}/${scenario.impls[1]}`);
    for (const row of [mine, peer]) {
      if (row === undefined || row.opsPerSec.length === 0) continue;
      const ops = median(row.opsPerSec);
      const spread = row.opsPerSec.length > 1 ? (Math.max(...row.opsPerSec) - Math.min(...row.opsPerSec)) / 2 / ops : 0;
      const ratio = row.taskio && peer?.opsPerSec.length ? `${(median(peer.opsPerSec) / ops).toFixed(2)}×` : "";
      lines.push(
        `${pad(row.scenario, 17)}${pad(row.impl, 40)}${left(si(ops), 8)}${left(`${(spread * 100).toFixed(1)}%`, 7)}` +
          `${left(row.p50.length ? median(row.p50).toFixed(3) : "", 8)}${left(row.p99.length ? median(row.p99).toFixed(3) : "", 8)}` +
          `${left(median(row.cmdsPerOp).toFixed(1), 8)}${left(ratio, 8)}  ${row.notes.join("; ")}`,
      );
    }
    if (mine?.opsPerSec.length && peer?.opsPerSec.length && !options.smoke) {
      const ratio = median(peer.opsPerSec) / median(mine.opsPerSec);
      targets.push(
        `${ratio < 1 ? "PASS" : "FAIL"} ${scenario.id}: taskio ahead of ${scenario.impls[1]} (${ratio.toFixed(2)}× its time per op)`,
      );
    }
  }
  for (const scenario of SCENARIOS) lines.push(`  ${scenario.id}: ${scenario.op}`);
  const nodeVersion = spawnSync(options.node, ["-p", "process.version"], { encoding: "utf8" }).stdout.trim();
  const header =
    `redis family${options.smoke ? " --smoke (tiny sizes: the figures mean nothing, only that it ran)" : ""} — ` +
    `Node ${nodeVersion}, redis-server ${version} on 127.0.0.1 (no persistence), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${rounds} round${rounds > 1 ? "s" : ""}, implementations alternated, wall clock; ` +
    `${sizes.uncontendedOps} uncontended ops, ${sizes.contendedOps} contended ops, ${sizes.items} queue items per round`;
  const footer = `ops/s: median over the rounds (elapsed time: the work is network-bound). ±: half the rounds' range.
p50/p99: latency of one acquire + release. cmds/op: Redis commands processed per operation (a script counts
  once, plus each call it makes; the contended row includes the INCR/DECR of the holder count, the queue row
  a consumer's idle polls). × peer: taskio's time per operation over the peer's (below 1.00× = ahead).`;
  const text = [header, ...lines, footer, ...(targets.length ? ["", ...targets] : [])].join("\n");
  const json = {
    node: nodeVersion,
    redisServer: version,
    rounds,
    sizes,
    rows: [...rows.values()].map((row) => ({
      ...row,
      medianOpsPerSec: row.opsPerSec.length ? median(row.opsPerSec) : null,
    })),
    targets,
  };
  return { text, errors, json };
}
