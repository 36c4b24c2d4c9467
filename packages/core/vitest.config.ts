import { fileURLToPath } from "node:url";
import { taskioVitest } from "@taskio/vitest-config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// core cannot depend on the testkit (the testkit depends on core): point both at source, one copy.
export default taskioVitest(
  {
    resolve: {
      alias: {
        "@taskio/core": here("./src/index.ts"),
        "@taskio/testkit": here("../../tooling/testkit/src/index.ts"),
      },
    },
  },
  { setup: here("../../tooling/testkit/src/setup.ts") },
);
