import { taskioVitest } from "@taskio/vitest-config";

// One redis-server for the whole run, started by the global setup on a free port.
export default taskioVitest({ test: { globalSetup: ["./test/redis-server.ts"] } });
