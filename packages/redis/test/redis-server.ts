/**
 * vitest global setup: starts a throwaway `redis-server` on a free port (no persistence) for the
 * whole run and stops it after. Tests read its URL with `inject("redisUrl")`. Without
 * redis-server on PATH the run FAILS, saying how to install it: these tests are never skipped.
 */
import type { TestProject } from "vitest/node";
import { checkRedisServer, startRedisServer } from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  checkRedisServer();
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  return () => server.stop();
}
