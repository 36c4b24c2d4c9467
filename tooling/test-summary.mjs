// The closing lines of every test run: "N passed, N failed" over every workspace package's vitest
// JSON report, then the name of each failing test, and each package whose tests left no report (it
// crashed, was stopped, or could not build). Exits 1 when anything failed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Every workspace package that has tests: its folder and its name. */
export function testedPackages() {
  const found = [];
  for (const group of ["packages", "apps", "tooling"]) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = path.join(dir, name, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (pkg.scripts?.test) found.push({ dir: path.join(dir, name), name: pkg.name });
    }
  }
  return found;
}

export const reportOf = (dir) => path.join(dir, "test-results.json");

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const perPackage = [];
  const failures = [];
  const silent = [];
  for (const { dir, name } of testedPackages()) {
    if (!existsSync(reportOf(dir))) {
      silent.push(name);
      continue;
    }
    const report = JSON.parse(readFileSync(reportOf(dir), "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    perPackage.push(
      `${name} ${report.numPassedTests}${report.numFailedTests ? `/${report.numFailedTests} failed` : ""}`,
    );
    for (const file of report.testResults) {
      const where = `${name} ${path.relative(dir, file.name)}`;
      const failing = file.assertionResults.filter((test) => test.status === "failed");
      for (const test of failing) failures.push(`${where} › ${[...test.ancestorTitles, test.title].join(" › ")}`);
      // A file that failed without a failing test did not load, or failed in a hook.
      if (file.status === "failed" && failing.length === 0) {
        failed += 1;
        failures.push(`${where}: ${(file.message || "failed outside any test").split("\n")[0]}`);
      }
    }
    if (!report.success && report.numFailedTests === 0 && !report.testResults.some((f) => f.status === "failed")) {
      failed += 1;
      failures.push(`${name}: vitest reported an error outside the tests (see its output above)`);
    }
  }
  console.log(`\nper package (passed): ${perPackage.join(", ")}`);
  if (failures.length) console.log(`\nfailing tests:\n${failures.map((f) => `  ✗ ${f}`).join("\n")}`);
  if (silent.length) console.log(`\nno test report (the tests did not run or did not finish): ${silent.join(", ")}`);
  console.log(
    `\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}${silent.length ? `; ${silent.length} package(s) without a report` : ""}`,
  );
  return failed === 0 && silent.length === 0 && passed > 0;
}

if (process.argv[1] === import.meta.filename && !summarize()) process.exitCode = 1;

export { summarize };
