import { defineConfig } from "vitest/config";

// No @taskio/testkit here: these tests run TypeDoc and a browser on the real clock, in child processes.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The JSON report feeds the one-line summary the root `pnpm test` prints at the end.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    // TypeDoc reads every package's sources: tens of seconds, minutes on a loaded 2-core machine.
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
