/**
 * The redis family's own redis-server: a free loopback port, bound to 127.0.0.1, persistence off
 * (no RDB snapshots, no AOF), so the disk never enters the figures and nothing is left behind.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

const BIN = process.env.REDIS_SERVER ?? "redis-server";

export interface RedisServer {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

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

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setTimeout(500, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      socket.end();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
}

/** Starts redis-server; throws one line saying what to install if it cannot be run. */
export async function startRedisServer(): Promise<RedisServer> {
  const probe = spawnSync(BIN, ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `the redis family needs redis-server (>= 6.2) and "${BIN}" could not be run: install it (\`apt-get install redis-server\`, \`brew install redis\`; \`pnpm test\` installs it where it can) or set REDIS_SERVER to its path`,
    );
  }
  const version = /v=(\S+)/.exec(probe.stdout)?.[1] ?? "?";
  const port = await freePort();
  const server: ChildProcess = spawn(
    BIN,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  server.stderr!.on("data", (data) => {
    stderr += data.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill("SIGKILL");
      throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${stderr || `exit code ${server.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGTERM");
        await once(server, "exit");
      }
    },
  };
}
