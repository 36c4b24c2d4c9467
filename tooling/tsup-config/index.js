import { defineConfig } from "tsup";

/** The one build every publishable taskio package uses: ESM + CJS + .d.ts from src/index.ts. */
export function taskioTsup(overrides = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "neutral",
    treeshake: true,
    ...overrides,
  });
}
