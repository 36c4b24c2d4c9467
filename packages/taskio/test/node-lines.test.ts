import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/** tooling/check-node.mjs, which `pnpm install` and `pnpm test` run first. */
const checkNode = fileURLToPath(new URL("../../../tooling/check-node.mjs", import.meta.url));
const run = promisify(execFile);

/** What the script's version check answers for each version, asked in a child Node. */
async function supported(versions: string[]): Promise<boolean[]> {
  const program = `import { isSupported } from ${JSON.stringify(checkNode)};
    console.log(JSON.stringify(${JSON.stringify(versions)}.map(isSupported)));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", program], { timeout: 30_000 });
  return JSON.parse(stdout);
}

describe("the supported Node lines: 24, 22.12+ and 20.19+ (where require(esm) works unflagged)", () => {
  it("accepts them, and the lines after 24", async () => {
    expect(
      await supported(["24.0.0", "v24.21.0", "22.12.0", "22.23.3", "20.19.0", "20.20.1", "23.0.0", "26.1.0"]),
    ).toEqual(Array(8).fill(true));
  });

  it("refuses older releases of those lines, Node 21, and anything before 20", async () => {
    expect(await supported(["22.11.0", "22.0.0", "20.18.3", "20.16.0", "21.7.3", "18.20.8", "16.0.0"])).toEqual(
      Array(7).fill(false),
    );
  });

  it("lets the Node running the tests through", async () => {
    await expect(run(process.execPath, [checkNode], { timeout: 30_000 })).resolves.toMatchObject({ stderr: "" });
  });
});
