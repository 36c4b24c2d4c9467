import { fileURLToPath } from "node:url";
import { taskioVitest } from "@taskio/vitest-config";

// README snippets import from "taskio", as users do: resolve it to this package's source.
export default taskioVitest({
  resolve: { alias: { taskio: fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
});
