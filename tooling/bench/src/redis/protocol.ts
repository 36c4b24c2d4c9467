/** What the redis family's orchestrator and its worker processes say to each other over IPC. */

/** The implementations compared: taskio's, and the peer of the same kind. */
export type SemImpl = "taskio" | "redis-semaphore";
export type QueueImpl = "taskio" | "bullmq";

/** A worker's job, given as its one command-line argument (JSON). */
export type Job =
  | { role: "sem-uncontended"; impl: SemImpl; url: string; name: string; ops: number; warmup: number; leaseMs: number }
  | {
      role: "sem-contended";
      impl: SemImpl;
      url: string;
      name: string;
      ops: number;
      workers: number;
      limit: number;
      leaseMs: number;
      counter: string;
    }
  | { role: "queue-producer"; impl: QueueImpl; url: string; name: string; items: number; inFlight: number }
  | { role: "queue-consumer"; impl: QueueImpl; url: string; name: string; concurrency: number };

/** Orders from the orchestrator. */
export type Order = { type: "go" } | { type: "stop" };

/** Reports from a worker. */
export type Report =
  | { type: "ready" }
  | { type: "latencies"; wallMs: number; ops: number; p50: number; p99: number }
  | { type: "contended"; ops: number; endAt: number; maxHolders: number; overLimit: number }
  | { type: "produced"; items: number; endAt: number }
  | { type: "progress"; processed: number; lastAt: number }
  | { type: "consumed"; ids: number[]; lastAt: number };

/** A timestamp comparable across processes, in ms with sub-ms precision. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
