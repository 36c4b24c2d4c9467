// `pnpm demo` from the repository root: installs and builds only what the demo imports, quietly
// (their output is shown only if a step fails, and never on stdout, so `--json` stays JSON), then
// runs the demo with the user's arguments, working directory and exit status.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const demo = path.resolve(import.meta.dirname, "..");
const root = path.resolve(demo, "../..");
// The pnpm running this script, even when it came from `npx pnpm@…` and is not on PATH.
const pnpm = process.env.npm_execpath || "pnpm";
const turbo = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "turbo.cmd" : "turbo");

/** Runs a preparation step with its output held back; prints it to stderr only if the step fails. */
function quietly(what, command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    // A cold start takes a while: say what is happening, once, on stderr.
    const slow = setTimeout(() => process.stderr.write(`demo: ${what}…\n`), 2_000);
    child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (code, signal) => {
      clearTimeout(slow);
      if (code === 0) return resolve();
      process.stderr.write(Buffer.concat(output));
      process.stderr.write(`demo: ${what} failed (${signal ?? `exit ${code}`})\n`);
      process.exit(code ?? 1);
    });
  });
}

await quietly("installing the demo's dependencies", pnpm, [
  "install",
  "--filter",
  "@taskio/demo...",
  "--filter",
  "taskio-monorepo",
  "--prefer-offline",
  "--reporter",
  "silent",
]);
await quietly("building the packages the demo imports", turbo, [
  "run",
  "build",
  "--filter=@taskio/demo...",
  "--output-logs=errors-only",
  "--log-prefix=none",
]);

// Run the demo itself in this process group: Ctrl-C reaches it directly (it cancels the running
// scenario and exits 130); we wait for it and exit as it did.
const tsx = createRequire(path.join(demo, "package.json")).resolve("tsx/cli");
const args = process.argv.slice(2);
const child = spawn(process.execPath, [tsx, path.join(demo, "src", "cli.ts"), ...args], {
  cwd: demo,
  stdio: "inherit",
});
process.on("SIGINT", () => {});
child.on("close", (code, signal) => process.exit(code ?? 128 + (signal === "SIGINT" ? 2 : 15)));
