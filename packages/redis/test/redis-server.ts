/**
 * vitest global setup: starts a throwaway `redis-server` on a free port (no persistence) for the
 * whole run and stops it after. Tests read its URL with `inject("redisUrl")`. Without
 * redis-server on PATH it installs it (apt-get as root, or brew); where it cannot, the run stops
 * before any test with one line saying what to install: these tests are never skipped.
 */

import { REDIS_SERVER, startRedisServer } from "@taskio/testkit/redis-server";
import type { TestProject } from "vitest/node";
import { ensureRedisServer } from "./install-redis.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureRedisServer(REDIS_SERVER);
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  return () => server.stop();
}
