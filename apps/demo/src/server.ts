import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Request counts as the server saw them: a request is `aborted` if its client went away before the response ended. */
export interface RequestCounts {
  started: number;
  completed: number;
  aborted: number;
}

/** What the server has seen since the last `reset()`. */
export interface ServerStats extends RequestCounts {
  /** Requests being served right now. */
  inFlight: number;
  /** The most requests it served at the same time. */
  maxInFlight: number;
  /** The same counts per path (`/catalog`, `/save`, …). */
  byPath: Record<string, RequestCounts>;
}

/** Query parameters every path understands. */
export interface RequestOptions {
  /** Milliseconds before the response ends (default 0); its status and headers go out at once. */
  latency?: number;
  /** HTTP status to answer with (default 200); 4xx/5xx make the client helpers throw. */
  status?: number;
  /** Stream a body of this many bytes (default: a small JSON document). */
  bytes?: number;
  /** Send the streamed body in this many chunks spread over the latency (default 1). */
  chunks?: number;
  /** Anything else is echoed back in the JSON answer. */
  [name: string]: string | number | undefined;
}

/** A small library service on 127.0.0.1, with a latency and a failure you choose per request. */
export interface LibraryServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The URL of `path` with the options as its query string. */
  url(path: string, options?: RequestOptions): string;
  stats(): ServerStats;
  /** Zeroes the counts (requests in flight stay in flight). */
  reset(): void;
  /** Resolves once no request is in flight: the server has counted every request it received. */
  idle(): Promise<void>;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/** Latencies above this are refused, so a forgotten request cannot keep the demo alive for long. */
const MAX_LATENCY = 30_000;

/**
 * Starts the library service on a random free port of the loopback interface (never on a public one).
 * @example
 * const server = await startLibraryServer();
 * await fetch(server.url("/catalog", { latency: 200 }));
 * await server.close();
 */
export async function startLibraryServer(): Promise<LibraryServer> {
  let counts = fresh(0);
  // Not part of `counts`: a reset() does not forget the requests still being served.
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const seen = counts;
    const perPath = (seen.byPath[path] ??= { started: 0, completed: 0, aborted: 0 });
    seen.started++;
    perPath.started++;
    inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
    const timers: NodeJS.Timeout[] = [];

    // The response's 'close' comes after it ended, or earlier when the client aborted (the socket
    // closed). Not the request's: that one also fires as soon as its body has been read.
    res.on("close", () => {
      for (const timer of timers) clearTimeout(timer);
      const outcome = res.writableEnded ? "completed" : "aborted";
      seen[outcome]++;
      perPath[outcome]++;
      inFlight--;
      if (inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const wake of waiters) wake();
      }
    });
    readBody(req, (body) => respond(url, body, res, timers));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    url(path, options = {}) {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
      const search = query.toString();
      return `${origin}${path}${search ? `?${search}` : ""}`;
    },
    stats: () => ({ ...structuredClone(counts), inFlight }),
    reset() {
      counts = fresh(inFlight);
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Counts kept per reset() (in flight is tracked apart). */
type Counts = Omit<ServerStats, "inFlight">;

function fresh(inFlight: number): Counts {
  return { started: 0, completed: 0, aborted: 0, maxInFlight: inFlight, byPath: {} };
}

function readBody(req: IncomingMessage, then: (body: string) => void): void {
  const parts: Buffer[] = [];
  req.on("data", (part: Buffer) => parts.push(part));
  req.on("end", () => then(Buffer.concat(parts).toString("utf8")));
}

function respond(url: URL, body: string, res: ServerResponse, timers: NodeJS.Timeout[]): void {
  const query = url.searchParams;
  const latency = Math.min(Math.max(Number(query.get("latency") ?? 0) || 0, 0), MAX_LATENCY);
  const status = Number(query.get("status") ?? 200) || 200;
  const bytes = query.has("bytes") ? Math.max(0, Number(query.get("bytes")) || 0) : undefined;
  if (status >= 400 || bytes === undefined) {
    // The status goes out at once (fetch() resolves: the server has the request), the body after
    // the latency, so a client can tell "accepted" from "done".
    res.writeHead(status, { "content-type": "application/json" });
    res.flushHeaders();
    timers.push(
      setTimeout(() => {
        const echo = Object.fromEntries(query);
        const answer =
          status >= 400
            ? { error: `${url.pathname} failed with HTTP ${status}`, ...echo }
            : { path: url.pathname, ...echo, ...(body ? { received: parseJson(body) } : {}) };
        res.end(JSON.stringify(answer));
      }, latency),
    );
    return;
  }
  // A download: `bytes` bytes in `chunks` parts, one part every latency/chunks ms. Each part
  // schedules the next: separate timers could fire out of order when the event loop lags.
  const chunks = Math.max(1, Math.floor(Number(query.get("chunks") ?? 1)) || 1);
  const interval = latency / chunks;
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes });
  res.flushHeaders();
  let sent = 0;
  let part = 0;
  const sendNext = () => {
    part++;
    const end = Math.round((bytes * part) / chunks);
    const data = Buffer.alloc(end - sent, 0x2e);
    sent = end;
    if (part === chunks) res.end(data);
    else {
      res.write(data);
      timers.push(setTimeout(sendNext, interval));
    }
  };
  timers.push(setTimeout(sendNext, interval));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
