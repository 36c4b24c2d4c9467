// The README's test command: the root scripts `build`, `typecheck`, `test:unit` and `check:pkg` (one
// turbo run, so they overlap), then `lint`, `lint:deps` and `lint:catalog`, then one summary. A
// failing step or package does not stop the others (`--continue`), so the closing
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
const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

// A report left by an earlier run must not stand in for a package whose tests did not run this time.
for (const { dir } of testedPackages()) rmSync(reportOf(dir), { force: true });

const bin = path.join(root, "node_modules", ".bin");
// Turbo hashes this (turbo.json), so a pass on another Node line runs the tests instead of replaying
// the results cached on the first line. The root scripts find their tools in node_modules/.bin, as
// under `pnpm run`.
const env = {
  ...process.env,
  TASKIO_NODE_VERSION: process.version,
  TURBO_TELEMETRY_DISABLED: "1",
  PATH: `${bin}${path.delimiter}${process.env.PATH}`,
};
const turbo = path.join(bin, "turbo");
const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: "inherit" }).status === 0;
/** Runs a root script's command line as `pnpm run` would, without starting pnpm again. */
const runScript = (name) => spawnSync(scripts[name], { cwd: root, env, stdio: "inherit", shell: true }).status === 0;

/** The turbo task of a root script that is exactly `turbo run <task>`. */
function turboTask(name) {
  const task = /^turbo run (\S+)$/.exec(scripts[name] ?? "")?.[1];
  if (task === undefined) throw new Error(`run-tests: the root script "${name}" must be \`turbo run <task>\``);
  return task;
}

const runDir = path.join(root, ".turbo", "runs");
const before = new Set(existsSync(runDir) ? readdirSync(runDir) : []);
const turboOk = testsOnly
  ? run(turbo, ["run", turboTask("test:unit"), "--only", "--force", "--continue=always", "--summarize"])
  : run(turbo, [
      "run",
      ...["build", "typecheck", "test:unit", "check:pkg"].map(turboTask),
      "--continue=dependencies-successful",
      "--summarize",
    ]);

// What each lint says in the closing lines when it fails (.ci/run repeats the lines starting `lint`).
const lints = {
  lint: "biome ci failed (see above; `pnpm format` fixes most)",
  "lint:deps": "sherif found package.json files out of step (see above; `pnpm exec sherif --fix` fixes most)",
  "lint:catalog": "a package pins a shared tool instead of taking it from the catalog (see above)",
};
const failedLints = testsOnly ? [] : Object.keys(lints).filter((name) => !runScript(name));

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
for (const name of failedLints) console.log(`${name}: ${lints[name]}`);
process.exitCode = turboOk && failedLints.length === 0 && testsOk ? 0 : 1;
