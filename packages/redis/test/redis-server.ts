/**
 * vitest global setup: starts a throwaway `redis-server` on a free port (no persistence) for the
 * whole run and stops it after. Tests read its URL with `inject("redisUrl")`. Without
 * redis-server on PATH the run FAILS, saying how to install it: these tests are never skipped.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const BIN = process.env.REDIS_SERVER ?? "redis-server";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True once the server answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let reply = "";
    socket.setTimeout(500, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      reply += data.toString();
      if (reply.includes("\r\n")) {
        socket.end();
        resolve(reply.startsWith("+PONG"));
      }
    });
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const probe = spawnSync(BIN, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `@taskio/redis tests need a local redis-server (>= 6.2) on PATH, and "${BIN}" could not be run (${probe.error?.message ?? probe.stderr}). Install it: \`apt-get install redis-server\` (Debian/Ubuntu) or \`brew install redis\` (macOS), or set REDIS_SERVER to its path.`,
    );
  }
  const port = await freePort();
  const server: ChildProcess = spawn(
    BIN,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  server.stderr?.on("data", (data) => {
    stderr += data.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill();
      throw new Error(`redis-server did not start on port ${port}: ${stderr || `exit code ${server.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  project.provide("redisUrl", `redis://127.0.0.1:${port}`);
  return async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await once(server, "exit");
    }
  };
}
