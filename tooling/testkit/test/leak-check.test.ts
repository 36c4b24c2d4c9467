import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));

it("the setup file fails a test that leaks a task or an unretrieved exception, and only that test", async () => {
  const output = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      [
        fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url)),
        "run",
        "--root",
        `${here}fixtures/leaky`,
        "--config",
        `${here}fixtures/leaky.config.ts`,
        "--reporter",
        "verbose",
        "--typecheck.enabled=false",
      ],
      { env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
      (_error, stdout, stderr) => resolve(stdout + stderr),
    );
  });
  expect(output).toMatch(/the test left 1 task\(s\) pending/);
  expect(output).toMatch(/Task exception was never retrieved: .*nobody reads this/);
  expect(output).toMatch(/2 failed \| 1 passed/);
  // A whole vitest run in a child process: a generous bound for a loaded machine.
}, 120_000);
