/**
 * One child process, driven over its IPC channel by the orchestrator:
 * - `child.js <family> <context> <impl>` builds and verifies one implementation in every scenario
 *   of one family where it appears, says "ready", then measures one round per order, so the
 *   orchestrator can alternate rounds between the processes of a family's implementations;
 * - `child.js --rss <scenario> <impl>` runs one implementation alone for one round and reports
 *   its peak RSS; `child.js --rss-idle` reports that of a process that measured nothing.
 */
import { families, findFamily } from "./families.js";
import { measureRound, type Prepared, prepare, type Settings } from "./harness.js";
import type { Message, Order, Sample } from "./protocol.js";
import { type Context, contextOf, type Impl, type Scenario } from "./scenario.js";

function send(message: Message): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) throw new Error("child.js runs under the bench orchestrator (it needs an IPC channel)");
    process.send(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

async function enableAsyncContextIf(context: Context): Promise<void> {
  if (context !== "async-context") return;
  const { configure, createTask } = await import("@taskio/core");
  configure({ asyncContext: true });
  // Node 20/22 install AsyncLocalStorage's promise hooks when a store is first entered, not when
  // one is created: one function-form task enters taskio's, as in any program that has them, so
  // a row measured here pays the hooks even if it creates no task itself (the ALS-on baseline).
  await createTask(async () => {});
}

/** true if a function-form task switched AsyncLocalStorage on (configure refuses to turn it off then). */
async function asyncContextIsOn(): Promise<boolean> {
  const { configure, InvalidStateError } = await import("@taskio/core");
  try {
    configure({ asyncContext: false });
    return false;
  } catch (error) {
    if (error instanceof InvalidStateError) return true;
    throw error;
  }
}

/** Resolves with each order from the orchestrator, in turn. */
function orders(): () => Promise<Order> {
  const queue: Order[] = [];
  let waiting: ((order: Order) => void) | undefined;
  process.on("message", (order: Order) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(order);
    } else queue.push(order);
  });
  return () => {
    const next = queue.shift();
    return next ? Promise.resolve(next) : new Promise((resolve) => (waiting = resolve));
  };
}

async function timing(familyName: string, context: Context, implName: string, settings: Settings): Promise<void> {
  const nextOrder = orders();
  await enableAsyncContextIf(context);
  const family = findFamily(familyName);
  const work: { scenario: Scenario; prepared: Prepared[] }[] = [];
  for (const scenario of family.scenarios) {
    const impls = scenario.impls.filter(
      (impl) => impl.name === implName && contextOf(impl) === context && impl.make !== undefined,
    );
    if (impls.length > 0) work.push({ scenario, prepared: await prepare(scenario, impls, settings) });
  }
  await send({ type: "ready" });
  for (let order = await nextOrder(); order.type === "round"; order = await nextOrder()) {
    const samples: Sample[] = [];
    for (const { scenario, prepared } of work) {
      const measured = await measureRound(scenario, prepared, settings);
      for (const [impl, result] of measured) samples.push({ scenario: scenario.id, impl, ...result });
    }
    await send({ type: "round", samples });
  }
  await send({
    type: "finished",
    node: process.versions.node,
    asyncContextLeaked: context === "plain" && (await asyncContextIsOn()),
  });
}

function findImpl(scenarioId: string, implName: string): { scenario: Scenario; impl: Impl } {
  for (const family of families) {
    for (const scenario of family.scenarios) {
      if (scenario.id !== scenarioId) continue;
      const impl = scenario.impls.find((i) => i.name === implName);
      if (impl !== undefined) return { scenario, impl };
    }
  }
  throw new RangeError(`no implementation ${JSON.stringify(implName)} in scenario ${JSON.stringify(scenarioId)}`);
}

/** Runs one implementation alone, as long as one timing round does (big-N: one call), and reports the peak RSS. */
async function rss(scenarioId: string, implName: string, settings: Settings): Promise<void> {
  const { scenario, impl } = findImpl(scenarioId, implName);
  await enableAsyncContextIf(contextOf(impl));
  const prepared = await prepare(scenario, [impl], settings);
  // A big-N scenario's verification call already ran the full batch: that is its peak.
  if (scenario.calls === undefined) await measureRound(scenario, prepared, settings);
  await send({ type: "rss", maxRssKiB: process.resourceUsage().maxRSS });
}

async function main(args: string[]): Promise<void> {
  const settings: Settings = {
    time: option(args, "--time", 250),
    warmup: option(args, "--warmup", 50),
    smoke: args.includes("--smoke"),
  };
  if (args[0] === "--rss") return rss(args[1]!, args[2]!, settings);
  if (args[0] === "--rss-idle") return send({ type: "rss", maxRssKiB: process.resourceUsage().maxRSS });
  const context = args[1];
  if (context !== "plain" && context !== "async-context") {
    throw new RangeError(`context must be "plain" or "async-context", got ${JSON.stringify(context)}`);
  }
  const implName = args[2];
  if (implName === undefined || implName.startsWith("--")) {
    throw new RangeError("child.js <family> <context> <impl>: the implementation's name is missing");
  }
  return timing(args[0]!, context, implName, settings);
}

await main(process.argv.slice(2));
process.disconnect?.();
