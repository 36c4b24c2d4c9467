import { defineConfig } from "tsup";

/**
 * The one build every publishable taskio package uses: ESM only + .d.ts from src/index.ts.
 * Every supported Node (20.19+, 22.12+, 24) can `require()` an ES module, so there is no CJS copy to
 * drift from it. The target is the oldest supported line, so nothing newer than it slips in.
 * `keepNames`: esbuild renames a class that refers to itself (`_CancelledError`); users see these
 * names in logs and stack traces, so they must stay the source's names.
 * The declarations are built without the "@taskio/source" condition the shared tsconfig sets: a
 * sibling package's types come from its published .d.ts, as they will for users.
 */
export function taskioTsup(overrides = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    target: "node20.19",
    platform: "neutral",
    treeshake: true,
    keepNames: true,
    ...overrides,
  });
}
