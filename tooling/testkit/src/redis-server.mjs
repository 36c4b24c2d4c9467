/**
 * Throwaway `redis-server` processes on loopback, persistence off (no RDB snapshots, no AOF), so
 * nothing is left behind and the disk never enters a measurement. One home for the redis tests'
 * servers and the bench's redis family. Plain JavaScript, so the compiled bench can import it as
 * well as the tests.
 */
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

/** The redis-server binary: `REDIS_SERVER` if set, else the one on PATH. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";

/** A free loopback port, as the OS hands it out. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True once the server answers PING with PONG (a reply may arrive in pieces). */
function ping(port) {
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

/** The server's version (`6.2.14`), or throws one line saying what to install. */
export function redisServerVersion() {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `redis-server (>= 6.2) is needed and "${REDIS_SERVER}" could not be run: install it (\`apt-get install redis-server\`, \`brew install redis\`; \`pnpm test\` installs it where it can) or set REDIS_SERVER to its path`,
    );
  }
  return /v=(\S+)/.exec(probe.stdout)?.[1] ?? "?";
}

/**
 * Starts redis-server on `port` (default: a free one), bound to 127.0.0.1, and waits until it
 * answers. `stop()` kills it with `stopSignal` (default SIGKILL: a crash, nothing saved, what the
 * outage tests need) and waits until it is gone.
 */
export async function startRedisServer({ port, stopSignal = "SIGKILL" } = {}) {
  const at = port ?? (await freePort());
  const server = spawn(
    REDIS_SERVER,
    ["--port", String(at), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  server.stderr.on("data", (data) => {
    stderr += data.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(at))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill("SIGKILL");
      throw new Error(`redis-server did not start on 127.0.0.1:${at}: ${stderr || `exit code ${server.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    port: at,
    url: `redis://127.0.0.1:${at}`,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill(stopSignal);
        await once(server, "exit");
      }
    },
  };
}
