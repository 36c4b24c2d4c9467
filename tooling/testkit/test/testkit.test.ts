import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createTask, Future, now, sleep } from "@taskio/core";
import { describe, expect, it } from "vitest";
import {
  currentClock,
  DEFAULT_PROPERTY_SEED,
  expectCancelled,
  outcome,
  propertyParams,
  propertySeed,
  readPropertyRuns,
  readPropertySeed,
  seededRandom,
  settle,
  tick,
  timeline,
} from "../src/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Every test source of the repository's packages, apps and tooling. */
function repositoryTests(): string[] {
  return ["packages", "tooling", "apps"]
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name, "test")))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts") && !file.includes("node_modules"))
        .map((file) => join(dir, file)),
    );
}

describe("virtual clock", () => {
  it("is installed for every test, starting at 0, and jumps to the next timer when idle", async () => {
    expect(now()).toBe(0);
    const results = await Promise.all([sleep(5_000, "b"), sleep(1_000, "a")]);
    expect(results).toEqual(["b", "a"]);
    expect(now()).toBe(5_000);
  });

  it("does not jump while a task still has ready work", async () => {
    const tl = timeline();
    const busy = createTask(async () => {
      for (let i = 0; i < 50; i++) await sleep(0);
      tl.log("busy done");
    });
    const sleeper = createTask(async () => {
      await sleep(1);
      tl.log("slept");
    });
    await Promise.all([busy, sleeper]);
    expect(tl.stamped()).toEqual(["busy done@0", "slept@1"]);
  });

  it("advance() fires exactly the timers due, in order", async () => {
    const clock = currentClock()!;
    clock.autoAdvance = false;
    const fired: number[] = [];
    for (const ms of [30, 10, 20]) createTask(async () => fired.push(await sleep(ms, ms)));
    await clock.advance(15);
    expect(fired).toEqual([10]);
    await clock.advance(15);
    expect(fired).toEqual([10, 20, 30]);
    expect(clock.now()).toBe(30);
  });

  it("advance() rejects a bad argument", async () => {
    await expect(currentClock()!.advance(-1)).rejects.toThrow(RangeError);
  });
});

describe("helpers", () => {
  it("outcome() reports each way an awaitable can end", async () => {
    expect(await outcome(sleep(1, 7))).toEqual({ status: "fulfilled", value: 7 });
    const boom = new Error("boom");
    expect(await outcome(async () => Promise.reject(boom))).toEqual({ status: "rejected", error: boom });
    const f = new Future();
    f.cancel("m");
    expect((await outcome(f)).status).toBe("cancelled");
  });

  it("expectCancelled() returns the CancelledError and fails otherwise", async () => {
    const t = createTask(() => sleep(100));
    await settle();
    t.cancel("stop");
    expect((await expectCancelled(t)).message).toBe("stop");
    await expect(expectCancelled(sleep(1))).rejects.toThrow(/expected it to end cancelled/);
  });

  it("seededRandom() replays the same sequence for the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const seqA = Array.from({ length: 5 }, () => a.int(1000));
    expect(Array.from({ length: 5 }, () => b.int(1000))).toEqual(seqA);
    expect(new Set(seqA).size).toBeGreaterThan(1);
  });

  it("tick() lets a started task run to its next wait, and no time passes", async () => {
    const steps: string[] = [];
    const start = now();
    const task = createTask(function* () {
      steps.push("first step");
      yield* sleep(10);
      steps.push("woke");
    });
    expect(steps).toEqual([]);
    await tick();
    expect(steps).toEqual(["first step"]);
    expect(now()).toBe(start);
    await task;
    expect(steps).toEqual(["first step", "woke"]);
  });

  it("property tests default to one fixed seed, which TASKIO_PROPERTY_SEED can replace", () => {
    expect(readPropertySeed(undefined)).toBe(DEFAULT_PROPERTY_SEED);
    expect(readPropertySeed("")).toBe(DEFAULT_PROPERTY_SEED);
    expect(readPropertySeed("42")).toBe(42);
    expect(Number.isSafeInteger(readPropertySeed("random"))).toBe(true);
    expect(() => readPropertySeed("soon")).toThrow(/TASKIO_PROPERTY_SEED must be "random" or an integer, got "soon"/);
    expect(propertyParams(10)).toMatchObject({ seed: propertySeed(), endOnFailure: true });
  });

  it("every property test in the repository runs on the testkit's seed, none on its own", () => {
    const properties = repositoryTests().filter((file) => readFileSync(file, "utf8").includes("fc.assert("));
    expect(properties.length).toBeGreaterThan(5);
    const own = properties.filter((file) => {
      const text = readFileSync(file, "utf8");
      return !text.includes("propertyParams(") || /\bseed:\s*(\d|Date\.now|Math\.random)/.test(text);
    });
    expect(own.map((file) => relative(root, file))).toEqual([]);
  });

  it("no test file defines a tick of its own", () => {
    const own = repositoryTests().filter((file) => /\b(const|function) tick\b/.test(readFileSync(file, "utf8")));
    expect(own.map((file) => relative(root, file))).toEqual([]);
  });

  it("TASKIO_PROPERTY_RUNS multiplies the runs and refuses what is not a factor above 0", () => {
    expect(readPropertyRuns(undefined)).toBe(1);
    expect(readPropertyRuns("2.5")).toBe(2.5);
    expect(() => readPropertyRuns("0")).toThrow(/TASKIO_PROPERTY_RUNS must be a number above 0/);
    expect(() => readPropertyRuns("many")).toThrow(/got "many"/);
  });

  it("Futures compare by identity in expect()", () => {
    const a = new Future();
    expect(a).toEqual(a);
    expect(a).not.toEqual(new Future());
  });
});
