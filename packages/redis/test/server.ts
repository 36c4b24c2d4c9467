/**
 * Starts and stops throwaway `redis-server` processes (no persistence) for the tests: the one the
 * global setup shares, and dedicated ones a test may stop and start again on the same port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

const BIN = process.env.REDIS_SERVER ?? "redis-server";

/** The redis-server the tests run: `REDIS_SERVER` if set, else the one on PATH. */
export const REDIS_SERVER = BIN;

export function freePort(): Promise<number> {
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

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops it (SIGKILL: a crash, nothing saved) and waits until it is gone. */
  stop(): Promise<void>;
}

/** Starts redis-server on `port` (default: a free one) and waits until it answers. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const at = port ?? (await freePort());
  const server: ChildProcess = spawn(
    BIN,
    ["--port", String(at), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  server.stderr?.on("data", (data) => {
    stderr += data.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(at))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill();
      throw new Error(`redis-server did not start on port ${at}: ${stderr || `exit code ${server.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    port: at,
    url: `redis://127.0.0.1:${at}`,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGKILL");
        await once(server, "exit");
      }
    },
  };
}
