import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type LibraryServer, libraryCore, libraryUrl } from "./library.js";

export type { LibraryServer, RequestCounts, RequestOptions, ServerStats } from "./library.js";

/**
 * Starts the library service on a random free port of the loopback interface (never on a public one).
 * @example
 * const server = await startLibraryServer();
 * await fetch(server.url("/catalog", { latency: 200 }));
 * await server.close();
 */
export async function startLibraryServer(): Promise<LibraryServer> {
  const core = libraryCore();
  const server = createServer((req, res) => {
    readBody(req, (body) => {
      const close = core.handle(new URL(req.url ?? "/", "http://127.0.0.1"), body, {
        head(status, headers) {
          res.writeHead(status, headers);
          res.flushHeaders();
        },
        write: (chunk) => res.write(chunk),
        end: (chunk) => res.end(chunk),
      });
      // The response's 'close' comes after it ended, or earlier when the client aborted (the socket
      // closed). Not the request's: that one also fires as soon as its body has been read.
      res.on("close", () => close(!res.writableEnded));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    url: (path, options) => libraryUrl(origin, path, options),
    stats: core.stats,
    reset: core.reset,
    idle: core.idle,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function readBody(req: IncomingMessage, then: (body: string) => void): void {
  const parts: Buffer[] = [];
  req.on("data", (part: Buffer) => parts.push(part));
  req.on("end", () => then(Buffer.concat(parts).toString("utf8")));
}
