import { Channel } from "../channel.js";
import { type Family, type Impl, PEER_TARGET, type Scenario } from "../scenario.js";

/** The bounded scenario's capacity: small, so both the producer and the consumer really wait. */
const CAPACITY = 8;

/** put/get as a promise-returning pair: one producer/consumer driver serves several libraries. */
interface AsyncChannel {
  put(item: number): PromiseLike<unknown>;
  get(): PromiseLike<number>;
}

async function produce(channel: AsyncChannel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await channel.put(1);
}

async function consume(channel: AsyncChannel, n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) total += await channel.get();
  return total;
}

/** One producer and one consumer, as async functions, over a fresh channel. */
function asyncPair(open: () => AsyncChannel) {
  return async (ops: number) => async () => {
    const channel = open();
    const [, total] = await Promise.all([produce(channel, ops), consume(channel, ops)]);
    return total;
  };
}

const P_QUEUE: Impl = {
  name: "p-queue",
  role: "peer",
  notComparable: "n/a: p-queue is a job queue (runs functions under a limit), it has no put/get channel",
};

function scenario(bounded: boolean): Scenario {
  const maxsize = bounded ? CAPACITY : 0;
  const impls: Impl[] = [
    {
      name: "array + promise channel",
      role: "baseline",
      make: asyncPair(() => new Channel<number>(bounded ? CAPACITY : undefined)),
    },
    {
      name: "taskio Queue, async fns (no task)",
      role: "taskio",
      target: PEER_TARGET,
      async make(ops) {
        const { Queue } = await import("@taskio/queue");
        return asyncPair(() => new Queue<number>({ maxsize }))(ops);
      },
    },
    {
      name: "taskio Queue, generator tasks",
      role: "taskio",
      target: PEER_TARGET,
      async make(ops) {
        const { Queue } = await import("@taskio/queue");
        const { createTask } = await import("@taskio/core");
        type Q = InstanceType<typeof Queue<number>>;
        function* producer(queue: Q) {
          for (let i = 0; i < ops; i++) yield* queue.put(1);
        }
        function* consumer(queue: Q) {
          let total = 0;
          for (let i = 0; i < ops; i++) total += yield* queue.get();
          return total;
        }
        return async () => {
          const queue = new Queue<number>({ maxsize });
          const producing = createTask(producer(queue));
          const total = await createTask(consumer(queue));
          await producing;
          return total;
        };
      },
    },
  ];
  if (!bounded) {
    impls.push({
      name: "effection createQueue (add is sync)",
      role: "peer",
      async make(ops) {
        const { createQueue, run, spawn } = await import("effection");
        return () =>
          run(function* () {
            const queue = createQueue<number, void>();
            yield* spawn(function* () {
              for (let i = 0; i < ops; i++) queue.add(1);
            });
            let total = 0;
            for (let i = 0; i < ops; i++) {
              const next = yield* queue.next();
              if (!next.done) total += next.value;
            }
            return total;
          });
      },
    });
  }
  impls.push(
    {
      name: `effect Queue.${bounded ? `bounded(${CAPACITY})` : "unbounded()"}`,
      role: "peer",
      async make(ops) {
        const { Effect, Queue } = await import("effect");
        const program = Effect.gen(function* () {
          const queue = yield* bounded ? Queue.bounded<number>(CAPACITY) : Queue.unbounded<number>();
          yield* Effect.forkChild(
            Effect.gen(function* () {
              for (let i = 0; i < ops; i++) yield* Queue.offer(queue, 1);
            }),
          );
          let total = 0;
          for (let i = 0; i < ops; i++) total += yield* Queue.take(queue);
          return total;
        });
        return () => Effect.runPromise(program);
      },
    },
    P_QUEUE,
  );
  return {
    id: bounded ? `queue-bounded-${CAPACITY}` : "queue-unbounded",
    op: `one item from a producer to a consumer (1000 per run${bounded ? `, maxsize ${CAPACITY}` : ", unbounded"})`,
    ops: 1000,
    expect: (ops) => ops,
    impls,
  };
}

export const queueFamily: Family = { name: "queue", scenarios: [scenario(false), scenario(true)] };
