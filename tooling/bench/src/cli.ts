/**
 * `pnpm bench`: runs every scenario family in child processes of its own (one per implementation),
 * then the peak-RSS children, and prints one table of ratios. Missed targets are
 * reported, never turned into a failing exit code: this is a measurement. A broken
 * implementation (wrong checksum, crashed child) does exit 1.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BIG_ROUNDS, families } from "./families.js";
import { defaultNode } from "./node.js";
import type { Message, Order } from "./protocol.js";
import { runRedisFamily } from "./redis/family.js";
import { buildRows, formatTable, key, type Measurements, verdicts } from "./report.js";
import { type Context, contextOf, type Family } from "./scenario.js";

const USAGE = `usage: pnpm bench [--json [file]] [--node <binary>] [--only <family,…>] [--rounds n] [--time ms]
                  [--warmup ms] [--quick] [--smoke] [--clock cpu|wall] [--no-rss] [--cpu-prof <dir>]
  --json [file]   also write the results as JSON (default bench-results.json, relative to where pnpm ran)
  --node <binary> run the measuring children with this Node (default: Node 24 when installed: see README)
  --only          families to run: ${families.map((f) => f.name).join(", ")}, redis
  --rounds        rounds per scenario, alternating implementations (default 5); ops/s is their median
  --time/--warmup tinybench budget per implementation per round, ms (default 250 / 50)
  --quick         --rounds 3 --time 100 --warmup 20: noisier figures, ~half the time
  --smoke         every family at a tiny size, 1 round, no peak-RSS children (CI: checks every
                  implementation still works; exits 1 only on a broken one, never on a target)
  --clock cpu|wall ops/s over the process's CPU time (default: robust to other processes on the
                  machine) or over elapsed time; the JSON has both
  --no-rss        skip the peak-RSS children
  --cpu-prof dir  write a V8 CPU profile of each timing child into dir (open in Chrome DevTools)`;

interface Options {
  json: string | undefined;
  node: string;
  only: Set<string> | undefined;
  rounds: number;
  time: number;
  warmup: number;
  rss: boolean;
  clock: "cpu" | "wall";
  cpuProf: string | undefined;
  smoke: boolean;
}

/** Paths on the command line are relative to where the user ran pnpm, not to this package. */
const invokedFrom = process.env.INIT_CWD ?? process.cwd();

function parseArgs(argv: string[]): Options {
  const options: Options = {
    json: undefined,
    node: "",
    only: undefined,
    rounds: 5,
    time: 250,
    warmup: 50,
    rss: true,
    clock: "cpu",
    cpuProf: undefined,
    smoke: false,
  };
  const positive = (name: string, raw: string | undefined) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} expects a positive integer, got ${raw}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // `pnpm bench -- --json` passes the separator through to the script.
    if (arg === "--") continue;
    const next = argv[i + 1];
    switch (arg) {
      case "--json":
        options.json = path.resolve(invokedFrom, next && !next.startsWith("--") ? argv[++i]! : "bench-results.json");
        break;
      case "--node":
        if (!next) throw new RangeError("--node expects the path of a node binary");
        options.node = path.resolve(invokedFrom, argv[++i]!);
        break;
      case "--only": {
        const names = (argv[++i] ?? "").split(",").filter(Boolean);
        const unknown = names.filter((n) => n !== "redis" && !families.some((f) => f.name === n));
        if (names.length === 0 || unknown.length) {
          throw new RangeError(`--only expects families among ${families.map((f) => f.name).join(", ")}, redis`);
        }
        options.only = new Set(names);
        break;
      }
      case "--rounds":
        options.rounds = positive(arg, argv[++i]);
        break;
      case "--time":
        options.time = positive(arg, argv[++i]);
        break;
      case "--warmup":
        options.warmup = positive(arg, argv[++i]);
        break;
      case "--quick":
        Object.assign(options, { rounds: 3, time: 100, warmup: 20 });
        break;
      case "--smoke":
        Object.assign(options, { rounds: 1, time: 20, warmup: 5, rss: false, smoke: true });
        break;
      case "--cpu-prof":
        if (!next) throw new RangeError("--cpu-prof expects a directory");
        options.cpuProf = path.resolve(invokedFrom, argv[++i]!);
        break;
      case "--clock":
        if (next !== "cpu" && next !== "wall") throw new RangeError(`--clock expects cpu or wall, got ${next}`);
        options.clock = next;
        i++;
        break;
      case "--no-rss":
        options.rss = false;
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new RangeError(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (options.node === "") {
    const found = defaultNode();
    options.node = found.node;
    console.error(`bench: measuring with ${found.node} (${found.why}; --node or TASKIO_BENCH_NODE to choose)`);
  }
  return options;
}

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "child.js");

/** A measuring child process and its IPC channel. */
class Child {
  readonly #process: ChildProcess;
  readonly #inbox: Message[] = [];
  #waiting: { resolve: (message: Message) => void; reject: (error: Error) => void } | undefined;
  #stderr = "";
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined = undefined;
  readonly #args: string[];

  constructor(node: string, args: string[], nodeFlags: string[] = []) {
    this.#args = args;
    this.#process = spawn(node, ["--expose-gc", ...nodeFlags, childScript, ...args], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.#process.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.#stderr += chunk));
    this.#process.on("message", (message: Message) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting.resolve(message);
      else this.#inbox.push(message);
    });
    this.#exited = new Promise((resolve) => {
      this.#process.on("error", (error) => {
        this.#stderr += String(error);
        resolve(null);
      });
      this.#process.on("close", (code) => resolve(code));
    }).then((code) => {
      this.#exitCode = code as number | null;
      this.#waiting?.reject(this.#failure());
      this.#waiting = undefined;
      return code as number | null;
    });
  }

  #failure(): Error {
    // The head of stderr holds the error and its first frames; the rest is noise in a summary.
    const head = this.#stderr.trim().split("\n").slice(0, 12).join("\n");
    return new Error(`child ${this.#args.slice(0, 3).join(" ")} exited with ${this.#exitCode}\n${head}`);
  }

  /** The next message; rejects if the child exits first. */
  next(): Promise<Message> {
    const message = this.#inbox.shift();
    if (message) return Promise.resolve(message);
    if (this.#exitCode !== undefined) return Promise.reject(this.#failure());
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  async expect<T extends Message["type"]>(type: T): Promise<Extract<Message, { type: T }>> {
    const message = await this.next();
    if (message.type !== type) throw new Error(`expected a "${type}" message from a child, got "${message.type}"`);
    return message as Extract<Message, { type: T }>;
  }

  order(order: Order): void {
    this.#process.send(order);
  }

  /** Waits for a clean exit. */
  async close(): Promise<void> {
    const code = await this.#exited;
    if (code !== 0) throw this.#failure();
  }

  kill(): void {
    if (this.#exitCode === undefined) this.#process.kill();
  }
}

/**
 * Measures one family: one child per implementation (and context), all started and verified
 * first, then the rounds alternate between them (forward, then backward, …) so a load that drifts
 * during the run weighs on all alike; the idle ones wait on their IPC channel. A process of its
 * own per implementation keeps one row's side effects off the others: a library that leaves
 * timers, a big heap or hot code behind, or a row that uses an AsyncLocalStorage of its own (which
 * switches taskio's async-context handling to the path that keeps the program's stores).
 * Returns the children's Node version.
 */
async function timeFamily(
  family: Family,
  options: Options,
  settings: string[],
  profile: string[],
  measurements: Measurements,
): Promise<string> {
  const processes = new Map<string, { context: Context; impl: string }>();
  for (const scenario of family.scenarios) {
    for (const impl of scenario.impls) {
      if (impl.make) processes.set(`${contextOf(impl)}\0${impl.name}`, { context: contextOf(impl), impl: impl.name });
    }
  }
  const children = [...processes.values()].map(({ context, impl }) => ({
    context,
    impl,
    child: new Child(options.node, [family.name, context, impl, ...settings], profile),
  }));
  try {
    for (const { child } of children) await child.expect("ready");
    const rounds = Math.min(options.rounds, family.maxRounds ?? options.rounds);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? children : [...children].reverse();
      for (const { child } of order) {
        child.order({ type: "round" });
        const { samples } = await child.expect("round");
        for (const s of samples) {
          const k = key(s.scenario, s.impl);
          measurements.cpu.set(k, [...(measurements.cpu.get(k) ?? []), s.cpu]);
          measurements.wall.set(k, [...(measurements.wall.get(k) ?? []), s.wall]);
          if (s.bytes !== undefined) measurements.bytes.set(k, [...(measurements.bytes.get(k) ?? []), s.bytes]);
        }
      }
    }
    let node = "";
    for (const { context, impl, child } of children) {
      child.order({ type: "finish" });
      const finished = await child.expect("finished");
      await child.close();
      node = finished.node;
      if (finished.asyncContextLeaked) {
        for (const scenario of family.scenarios) {
          if (scenario.impls.some((i) => i.name === impl && contextOf(i) === context)) {
            measurements.leaked.add(key(scenario.id, impl));
          }
        }
      }
    }
    return node;
  } finally {
    for (const { child } of children) child.kill();
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const selected = families.filter((f) => options.only?.has(f.name) ?? true);
  const settings = ["--time", options.time, "--warmup", options.warmup].map(String);
  if (options.smoke) settings.push("--smoke");
  const profile = options.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProf}`] : [];
  const errors: string[] = [];
  const measurements: Measurements = {
    nodeMajor: 0,
    clock: options.clock,
    cpu: new Map(),
    wall: new Map(),
    rss: new Map(),
    bytes: new Map(),
    leaked: new Set(),
  };
  let nodeVersion = "";

  for (const family of selected) {
    const t0 = performance.now();
    process.stderr.write(`bench: ${family.name} … `);
    try {
      nodeVersion = await timeFamily(family, options, settings, profile, measurements);
      process.stderr.write(`${seconds(t0)}\n`);
    } catch (error) {
      process.stderr.write("failed\n");
      errors.push(`${family.name}: ${(error as Error).message}`);
    }
  }
  // The redis family runs worker processes against a redis-server of its own: see src/redis/.
  let redis: Awaited<ReturnType<typeof runRedisFamily>> | undefined;
  if (options.only?.has("redis") ?? true) {
    const t0 = performance.now();
    process.stderr.write("bench: redis … ");
    try {
      redis = await runRedisFamily({ node: options.node, smoke: options.smoke, rounds: options.rounds });
      errors.push(...redis.errors);
      process.stderr.write(`${seconds(t0)}\n`);
    } catch (error) {
      process.stderr.write("failed\n");
      errors.push(`redis: ${(error as Error).message}`);
    }
  }
  measurements.nodeMajor = Number(nodeVersion.split(".")[0]);

  let idleRssMiB: number | null = null;
  if (options.rss) {
    // Peak RSS: each implementation alone in a fresh process, loading only its own library.
    const t0 = performance.now();
    process.stderr.write("bench: peak RSS, one process per implementation … ");
    const jobs: string[][] = [["--rss-idle"]];
    for (const family of selected.filter((f) => f.rss !== false)) {
      for (const scenario of family.scenarios) {
        for (const impl of scenario.impls) {
          if (impl.make && measurements.cpu.has(key(scenario.id, impl.name))) {
            jobs.push(["--rss", scenario.id, impl.name, ...settings]);
          }
        }
      }
    }
    const workers = Math.max(1, Math.min(2, availableParallelism()));
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let args = jobs.shift(); args; args = jobs.shift()) {
          const child = new Child(options.node, args);
          try {
            const { maxRssKiB } = await child.expect("rss");
            await child.close();
            if (args[0] === "--rss-idle") idleRssMiB = maxRssKiB / 1024;
            else measurements.rss.set(key(args[1]!, args[2]!), maxRssKiB);
          } catch (error) {
            child.kill();
            errors.push(`peak RSS ${args.slice(1, 3).join(" / ")}: ${(error as Error).message}`);
          }
        }
      }),
    );
    process.stderr.write(`${seconds(t0)}\n`);
  }

  const rows = buildRows(selected, measurements);
  const all = verdicts(rows);
  const failed = all.filter((v) => !v.target.pass);
  const summary = options.smoke
    ? "targets: not judged under --smoke (its sizes are too small for the figures to mean anything)"
    : `targets: ${all.length - failed.length} passed, ${failed.length} failed` +
      (failed.length
        ? ` — ${failed.map((v) => `${v.row.scenario} / ${v.row.impl}: ${v.target.label} (${v.target.measured})`).join("; ")}`
        : "");

  console.log(
    `\ntaskio bench${options.smoke ? " --smoke (tiny sizes: the figures mean nothing, only that it ran)" : ""} — ` +
      `Node ${nodeVersion}, ${options.rounds} rounds × ${options.time} ms per implementation ` +
      `(big-N families: ${Math.min(options.rounds, BIG_ROUNDS)} rounds of one call), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, ` +
      `${options.clock === "cpu" ? "CPU" : "wall"} clock` +
      (idleRssMiB === null ? "" : `; an idle node process peaks at ${(idleRssMiB as number).toFixed(1)} MiB RSS`),
  );
  console.log(formatTable(rows));
  console.log(`
ops/s: median over the rounds of (operations / ${options.clock === "cpu" ? "the process's CPU time" : "elapsed time"}) in each round. ±: half the rounds' range.
× base: time per operation over the baseline's (1.00× = as fast; lower is better).
× best peer: time per operation over the fastest peer's (below 1.00× = ahead of every peer).
ALS: measured in a process with AsyncLocalStorage on (taskio's function-form tasks turn it on),
  compared with the baseline and peers measured without it. » marks taskio rows.
peak RSS: max resident set of a fresh process that loaded only that implementation and ran it for one round
  (big-N scenarios: one call).
heap B/op: heap bytes per operation held while the operations are pending (heapUsed after a full GC, minus before).`);
  console.log(`\n${summary}`);
  if (redis) console.log(`\n${redis.text}`);
  console.log(`total ${seconds(started)}`);
  if (errors.length) console.error(`\nerrors:\n${errors.join("\n")}`);

  if (options.json) {
    const result = {
      node: nodeVersion,
      date: new Date().toISOString(),
      settings: {
        rounds: options.rounds,
        time: options.time,
        warmup: options.warmup,
        clock: options.clock,
        smoke: options.smoke,
      },
      loadAverage: loadavg(),
      idleRssMiB,
      rows,
      summary: { passed: all.length - failed.length, failed: failed.length, text: summary },
      errors,
      redis: redis?.json,
    };
    await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
  }
  return errors.length ? 1 : 0;
}

process.exitCode = await main();
