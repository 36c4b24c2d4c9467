import { taskioTsup } from "@taskio/tsup-config";

// Two entries: the public API, and @taskio/core/internal for the sibling packages (unstable).
export default taskioTsup({ entry: ["src/index.ts", "src/internal.ts"] });
