import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { client, queue, redisUrl, semaphore, unique, useRedis } from "./helpers.js";

useRedis();

const worker = fileURLToPath(new URL("./fixtures/worker.mjs", import.meta.url));
const queueWorker = fileURLToPath(new URL("./fixtures/queue-worker.mjs", import.meta.url));
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

function start(
  args: string[],
  script = worker,
): {
  child: ChildProcess;
  output: Promise<string>;
  line: (text: string) => Promise<void>;
} {
  if (!existsSync(dist)) {
    throw new Error("the multi-process tests run the built package: run `npx tsup` (turbo's test task builds first)");
  }
  const child = spawn(process.execPath, [script, redisUrl, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout!.on("data", (data) => {
    stdout += data.toString();
    for (const w of waiting) if (stdout.includes(w.text)) w.resolve();
  });
  child.stderr!.on("data", (data) => {
    stderr += data.toString();
  });
  const output = new Promise<string>((resolve, reject) => {
    child.on("exit", (code, signal) => {
      if (code === 0 || signal === "SIGKILL") resolve(stdout);
      else reject(new Error(`worker exited with ${code ?? signal}: ${stderr}`));
    });
  });
  const line = (text: string) =>
    new Promise<void>((resolve) => {
      if (stdout.includes(text)) resolve();
      else waiting.push({ text, resolve });
    });
  return { child, output, line };
}

test("two Node processes sharing one RemoteSemaphore never exceed its limit together", async () => {
  const name = unique("procs");
  const limit = 2;
  const workers = [start([name, String(limit), "run", "25"]), start([name, String(limit), "run", "25"])];
  const outputs = await Promise.all(workers.map((w) => w.output));
  expect(outputs).toEqual(["done\n", "done\n"]);
  const redis = client();
  const peak = Number(await redis.get(`${name}:peak`));
  expect(peak).toBeGreaterThanOrEqual(1);
  expect(peak).toBeLessThanOrEqual(limit);
  expect(await redis.get(`${name}:active`)).toBe("0");
  expect(await semaphore(name, limit).value()).toBe(limit);
});

test("a process killed while holding a permit (SIGKILL) gives it back after its lease", async () => {
  const name = unique("killed");
  const holder = start([name, "1", "hold"]);
  await holder.line("held");
  const sem = semaphore(name, 1, { leaseMs: 3_000 });
  expect(await sem.locked()).toBe(true);
  holder.child.kill("SIGKILL");
  await holder.output;
  const started = performance.now();
  expect(await sem.acquire()).toBe(true);
  expect(performance.now() - started).toBeLessThan(20_000);
  await sem.release();
});

test("a consumer killed (SIGKILL) holding an unacknowledged item: the item is delivered again, once, and nothing is lost", async () => {
  const name = unique("killed-consumer");
  const q = queue<string>(name, { visibilityMs: 3_000 });
  await q.put("first");
  await q.put("second");
  const consumer = start([name], queueWorker);
  await consumer.line("got");
  // Its heartbeats keep the item: here only "second" can be got.
  expect(await q.get()).toBe("second");
  await q.taskDone();
  const again = q.get();
  const started = performance.now();
  consumer.child.kill("SIGKILL");
  const output = await consumer.output;
  expect(output).toBe('got "first"\n');
  expect(await again).toBe("first");
  expect(performance.now() - started).toBeLessThan(20_000);
  await q.taskDone();
  await q.join();
  expect(await q.qsize()).toBe(0);
  expect(await client().xlen(`taskio:queue:{${name}}:stream`)).toBe(0);
});
