import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";

/**
 * Shared vitest settings: tests in test/ on the sibling packages' sources, type tests in *.test-d.ts,
 * and @taskio/testkit's setup (a virtual clock per test, and leak checks), resolved from the package
 * being tested.
 */
export function taskioVitest(overrides = {}, { setup } = {}) {
  const setupFile =
    setup ?? createRequire(pathToFileURL(path.join(process.cwd(), "package.json"))).resolve("@taskio/testkit/setup");
  return mergeConfig(
    defineConfig({
      // Sibling packages resolve to their src/ (each package's "@taskio/source" export condition):
      // tests run on the sources, without waiting for a build. Tests run in Vite's server-side
      // environment, hence `ssr.resolve`; vitest adds Node's own conditions after this one.
      ssr: { resolve: { conditions: ["@taskio/source"] } },
      test: {
        include: ["test/**/*.test.ts"],
        setupFiles: [setupFile],
        typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        // The JSON report feeds the one-line summary the root `pnpm test` prints at the end.
        reporters: ["default", "json"],
        outputFile: { json: "test-results.json" },
        // Virtual-clock tests finish in milliseconds whatever the load; these bounds are for the few
        // that need real time (child processes, a real Redis), on a loaded 2-core CI machine.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        restoreMocks: true,
      },
    }),
    overrides,
  );
}
