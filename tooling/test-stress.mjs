// `pnpm test:stress [passes]`: the whole test suite, 5 times in a row (or `passes`), while two busy
// loops per core keep the machine loaded, as a shared CI runner or a laptop doing other work would.
// Proves that no test depends on the wall clock being fast. Each pass gets a fresh random seed for
// the property tests. Exits 1 unless every pass is green.
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const passes = Number(process.argv[2] ?? 5);
const env = { ...process.env, TASKIO_PROPERTY_SEED: process.env.TASKIO_PROPERTY_SEED ?? "random" };

// Built once, before the load starts: the passes repeat the tests, not the build.
const built = spawnSync(path.join(root, "node_modules", ".bin", "turbo"), ["run", "build"], {
  cwd: root,
  env: { ...env, TURBO_TELEMETRY_DISABLED: "1" },
  stdio: "inherit",
});
if (built.status !== 0) process.exit(1);

const burners = Array.from({ length: 2 * availableParallelism() }, () =>
  spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }),
);
/** The pass running now: its own process group, so that stopping it stops turbo and vitest too. */
let current;
const stopBurners = () => {
  for (const burner of burners) burner.kill("SIGKILL");
};
process.on("exit", stopBurners);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (current?.exitCode === null) process.kill(-current.pid, "SIGTERM");
    process.exit(130);
  });
}
console.log(
  `test:stress: ${passes} passes of the whole suite, with ${burners.length} busy loops on ${availableParallelism()} cores`,
);

/** One pass: its output is streamed, and its closing summary line kept for the final report. */
function testPass() {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(import.meta.dirname, "run-tests.mjs"), "--tests"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    current = child;
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on("close", (code) => {
      const summary = output.match(/^tests: .*$/m)?.[0] ?? "no summary line";
      const failing = output.match(/^failing tests:\n((?: {2}✗ .*\n?)*)/m)?.[1]?.trimEnd();
      resolve({ ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), summary, failing });
    });
  });
}

const results = [];
for (let pass = 1; pass <= passes; pass++) {
  console.log(`\n=== test:stress pass ${pass}/${passes} ===`);
  const result = await testPass();
  results.push(result);
  console.log(
    `=== pass ${pass}/${passes}: ${result.ok ? "green" : "FAILED"} in ${result.seconds} s (${result.summary})`,
  );
}
stopBurners();

console.log("\ntest:stress results:");
results.forEach((r, i) => {
  console.log(`  pass ${i + 1}: ${r.ok ? "green" : "FAILED"}, ${r.seconds} s, ${r.summary}`);
  if (r.failing) console.log(r.failing.replace(/^/gm, "    "));
});
const green = results.filter((r) => r.ok).length;
console.log(`test:stress: ${green}/${passes} passes green`);
process.exitCode = green === passes ? 0 : 1;
