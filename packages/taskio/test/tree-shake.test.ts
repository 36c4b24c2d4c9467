import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, it } from "vitest";

const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** The packages whose code ends up in a bundle that imports `names` from taskio. */
async function bundledPackages(names: string[]): Promise<string[]> {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(", ")} } from "./index.js"; console.log(${names.join(", ")});`,
      resolveDir: dirname(dist),
    },
    absWorkingDir: fileURLToPath(new URL("../../..", import.meta.url)),
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "node",
    logLevel: "silent",
  });
  const used = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) {
      const match = /^packages\/([^/]+)\/dist\//.exec(input);
      if (match && info.bytesInOutput > 0) used.add(match[1]!);
    }
  }
  return [...used].sort();
}

it("importing sleep alone from taskio bundles core only: no queue, semaphore, combinators or timeouts code", async () => {
  expect(await bundledPackages(["sleep"])).toEqual(["core"]);
});

it("importing Queue bundles core and queue only", async () => {
  expect(await bundledPackages(["Queue"])).toEqual(["core", "queue"]);
});
