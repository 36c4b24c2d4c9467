import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";

/**
 * Shared vitest settings: tests in test/, type tests in *.test-d.ts, and @taskio/testkit's setup
 * (a virtual clock per test, and leak checks), resolved from the package being tested.
 */
export function taskioVitest(overrides = {}, { setup } = {}) {
  const setupFile =
    setup ?? createRequire(pathToFileURL(path.join(process.cwd(), "package.json"))).resolve("@taskio/testkit/setup");
  return mergeConfig(
    defineConfig({
      test: {
        include: ["test/**/*.test.ts"],
        setupFiles: [setupFile],
        typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        // The JSON report feeds the one-line summary the root `pnpm test` prints at the end.
        reporters: ["default", "json"],
        outputFile: { json: "test-results.json" },
        testTimeout: 10_000,
        restoreMocks: true,
      },
    }),
    overrides,
  );
}
