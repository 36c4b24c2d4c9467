// The README's test command: builds, typechecks, tests and checks every package, lints, then prints
// one summary. A failing package does not stop the others (`--continue`), so the closing
// "N passed, N failed" line counts every package's tests; the exit status is 1 if anything failed.
//
//   node tooling/run-tests.mjs             the whole check, as `pnpm test` runs it
//   node tooling/run-tests.mjs --tests     the test suites only (packages already built), never
//                                          from turbo's cache: what `pnpm test:stress` repeats
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { reportOf, summarize, testedPackages } from "./test-summary.mjs";

const root = path.resolve(import.meta.dirname, "..");
const testsOnly = process.argv.includes("--tests");

// A report left by an earlier run must not stand in for a package whose tests did not run this time.
for (const { dir } of testedPackages()) rmSync(reportOf(dir), { force: true });

// Turbo hashes this (turbo.json), so a pass on another Node line runs the tests instead of replaying
// the results cached on the first line.
const env = { ...process.env, TASKIO_NODE_VERSION: process.version, TURBO_TELEMETRY_DISABLED: "1" };
const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: "inherit" }).status === 0;
const turbo = path.join(root, "node_modules", ".bin", "turbo");

const runDir = path.join(root, ".turbo", "runs");
const before = new Set(existsSync(runDir) ? readdirSync(runDir) : []);
const tasks = testsOnly
  ? ["run", "test", "--only", "--force", "--continue=always", "--summarize"]
  : ["run", "build", "typecheck", "test", "check:pkg", "--continue=dependencies-successful", "--summarize"];
const turboOk = run(turbo, tasks);
const lintOk = testsOnly || run(turbo.replace(/turbo$/, "biome"), ["ci", "."]);

const testsOk = summarize();
if (!turboOk) {
  const summaryFile = existsSync(runDir) ? readdirSync(runDir).find((file) => !before.has(file)) : undefined;
  const failedTasks = summaryFile
    ? JSON.parse(readFileSync(path.join(runDir, summaryFile), "utf8"))
        .tasks.filter((task) => task.execution?.exitCode)
        .map((task) => task.taskId)
    : [];
  console.log(`failed tasks: ${failedTasks.join(", ") || "see turbo's output above"}`);
}
if (!lintOk) console.log("lint: biome ci failed (see above; `pnpm format` fixes most)");
process.exitCode = turboOk && lintOk && testsOk ? 0 : 1;
