import { Channel } from "../channel.js";
import { BIG_ROUNDS, type Family, type Impl, PEER_TARGET, type Scenario } from "../scenario.js";

/** Consumers sharing the one producer's items. */
const CONSUMERS = 4;
/** Items per run. */
const ITEMS = 1_000_000;
/** The bounded scenario's capacity. */
const CAPACITY = 64;
/** Tells a consumer to stop: the producer sends one per consumer after its items (which are all 1). */
const DONE = 0;

interface AsyncChannel {
  put(item: number): PromiseLike<unknown>;
  get(): PromiseLike<number>;
}

async function produce(channel: AsyncChannel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await channel.put(1);
  for (let c = 0; c < CONSUMERS; c++) await channel.put(DONE);
}

async function consume(channel: AsyncChannel): Promise<number> {
  let total = 0;
  for (let item = await channel.get(); item !== DONE; item = await channel.get()) total += item;
  return total;
}

/** One producer and CONSUMERS consumers, as async functions, over a fresh channel. */
async function fanIn(channel: AsyncChannel, n: number): Promise<number> {
  const consumers: Promise<number>[] = [];
  for (let c = 0; c < CONSUMERS; c++) consumers.push(consume(channel));
  await produce(channel, n);
  let total = 0;
  for (const consumer of consumers) total += await consumer;
  return total;
}

function scenario(bounded: boolean): Scenario {
  const maxsize = bounded ? CAPACITY : 0;
  const impls: Impl[] = [
    {
      name: "array + promise channel",
      role: "baseline",
      async make(ops) {
        return () => fanIn(new Channel<number>(bounded ? CAPACITY : undefined), ops);
      },
    },
    {
      name: "taskio Queue, async fns (no task)",
      role: "taskio",
      target: PEER_TARGET,
      async make(ops) {
        const { Queue } = await import("@taskio/queue");
        return () => fanIn(new Queue<number>({ maxsize }), ops);
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
          for (let c = 0; c < CONSUMERS; c++) yield* queue.put(DONE);
        }
        function* consumer(queue: Q) {
          let total = 0;
          for (let item = yield* queue.get(); item !== DONE; item = yield* queue.get()) total += item;
          return total;
        }
        return async () => {
          const queue = new Queue<number>({ maxsize });
          const consumers = [];
          for (let c = 0; c < CONSUMERS; c++) consumers.push(createTask(consumer(queue)));
          await createTask(producer(queue));
          let total = 0;
          for (const task of consumers) total += await task;
          return total;
        };
      },
    },
  ];
  if (!bounded) {
    impls.push({
      // Its buffer slows down more than linearly when deep (0.7 s for 50,000 items, 2.2 s for
      // 100,000): a smaller batch, which flatters it.
      name: "effection createQueue (add is sync) [50k items: superlinear]",
      role: "peer",
      maxOps: 50_000,
      async make(ops) {
        const { createQueue, run, spawn } = await import("effection");
        return () =>
          run(function* () {
            const queue = createQueue<number, void>();
            const consumers = [];
            for (let c = 0; c < CONSUMERS; c++) {
              consumers.push(
                yield* spawn(function* () {
                  let total = 0;
                  for (let next = yield* queue.next(); !next.done && next.value !== DONE; next = yield* queue.next()) {
                    total += next.value;
                  }
                  return total;
                }),
              );
            }
            for (let i = 0; i < ops; i++) queue.add(1);
            for (let c = 0; c < CONSUMERS; c++) queue.add(DONE);
            let total = 0;
            for (const consumer of consumers) total += yield* consumer;
            return total;
          });
      },
    });
  }
  impls.push({
    name: `effect Queue.${bounded ? `bounded(${CAPACITY})` : "unbounded()"}`,
    role: "peer",
    async make(ops) {
      const { Effect, Fiber, Queue } = await import("effect");
      const program = Effect.gen(function* () {
        const queue = yield* bounded ? Queue.bounded<number>(CAPACITY) : Queue.unbounded<number>();
        const consumers = [];
        for (let c = 0; c < CONSUMERS; c++) {
          consumers.push(
            yield* Effect.forkChild(
              Effect.gen(function* () {
                let total = 0;
                for (let item = yield* Queue.take(queue); item !== DONE; item = yield* Queue.take(queue)) total += item;
                return total;
              }),
            ),
          );
        }
        for (let i = 0; i < ops; i++) yield* Queue.offer(queue, 1);
        for (let c = 0; c < CONSUMERS; c++) yield* Queue.offer(queue, DONE);
        let total = 0;
        for (const consumer of consumers) total += yield* Fiber.join(consumer);
        return total;
      });
      return () => Effect.runPromise(program);
    },
  });
  return {
    id: bounded ? `queue-1to4-bounded-${CAPACITY}` : "queue-1to4-unbounded",
    op: `one item from 1 producer to ${CONSUMERS} consumers (${ITEMS.toLocaleString("en")} per run${bounded ? `, maxsize ${CAPACITY}` : ", unbounded"})`,
    ops: ITEMS,
    smokeOps: 1000,
    calls: 1,
    expect: (ops) => ops,
    impls,
  };
}

/** One producer, four consumers, a million items (scenario 4 of the issue). */
export const streamFamily: Family = {
  name: "stream",
  scenarios: [scenario(false), scenario(true)],
  maxRounds: BIG_ROUNDS,
};
