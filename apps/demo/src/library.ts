import { sleep } from "taskio";

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

/** A small library service, with a latency and a failure you choose per request. */
export interface LibraryServer {
  /** `http://127.0.0.1:<port>` (or `http://library.test` in process). */
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

/** Where the service writes one response: an HTTP response, or an in-process Response's stream. */
export interface ResponseSink {
  /** Sends the status and headers (at once: the client learns the server has the request). */
  head(status: number, headers: Record<string, string>): void;
  write(chunk: Uint8Array): void;
  end(chunk?: string | Uint8Array): void;
}

/** The service's request handling and counts, whatever carries the bytes. */
export interface LibraryCore {
  /**
   * Serves one request into `sink`. Returns the function the transport calls when the exchange is
   * over: `aborted` when the client went away before the response ended.
   */
  handle(url: URL, body: string, sink: ResponseSink): (aborted: boolean) => void;
  stats(): ServerStats;
  reset(): void;
  idle(): Promise<void>;
}

/** Latencies above this are refused, so a forgotten request cannot keep the demo alive for long. */
const MAX_LATENCY = 30_000;

/**
 * The library service without a transport: `startLibraryServer()` puts it behind `node:http`,
 * `inProcessLibrary()` behind a `fetch` function. Its latencies are taskio `sleep`s, so they run
 * on taskio's clock: real time in the tour, the testkit's virtual clock in the tests.
 */
export function libraryCore(): LibraryCore {
  let counts = fresh(0);
  // Not part of `counts`: a reset() does not forget the requests still being served.
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  return {
    handle(url, body, sink) {
      const path = url.pathname;
      const seen = counts;
      const perPath = (seen.byPath[path] ??= { started: 0, completed: 0, aborted: 0 });
      seen.started++;
      perPath.started++;
      inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
      const timers = new Set<{ cancel(): unknown }>();
      let closed = false;
      const after = (ms: number, then: () => void) => {
        const timer = sleep(ms);
        timers.add(timer);
        timer.addDoneCallback(() => {
          timers.delete(timer);
          if (!timer.cancelled()) then();
        });
      };
      respond(url, body, sink, after);
      return (aborted) => {
        if (closed) return;
        closed = true;
        for (const timer of timers) timer.cancel();
        const outcome = aborted ? "aborted" : "completed";
        seen[outcome]++;
        perPath[outcome]++;
        inFlight--;
        if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const wake of waiters) wake();
        }
      };
    },
    stats: () => ({ ...structuredClone(counts), inFlight }),
    reset() {
      counts = fresh(inFlight);
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

/** `origin` + `path` + the options as a query string. */
export function libraryUrl(origin: string, path: string, options: RequestOptions = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
  const search = query.toString();
  return `${origin}${path}${search ? `?${search}` : ""}`;
}

/** Counts kept per reset() (in flight is tracked apart). */
type Counts = Omit<ServerStats, "inFlight">;

function fresh(inFlight: number): Counts {
  return { started: 0, completed: 0, aborted: 0, maxInFlight: inFlight, byPath: {} };
}

function respond(url: URL, body: string, sink: ResponseSink, after: (ms: number, then: () => void) => void): void {
  const query = url.searchParams;
  const latency = Math.min(Math.max(Number(query.get("latency") ?? 0) || 0, 0), MAX_LATENCY);
  const status = Number(query.get("status") ?? 200) || 200;
  const bytes = query.has("bytes") ? Math.max(0, Number(query.get("bytes")) || 0) : undefined;
  if (status >= 400 || bytes === undefined) {
    // The status goes out at once (fetch() resolves: the server has the request), the body after
    // the latency, so a client can tell "accepted" from "done".
    sink.head(status, { "content-type": "application/json" });
    after(latency, () => {
      const echo = Object.fromEntries(query);
      const answer =
        status >= 400
          ? { error: `${url.pathname} failed with HTTP ${status}`, ...echo }
          : { path: url.pathname, ...echo, ...(body ? { received: parseJson(body) } : {}) };
      sink.end(JSON.stringify(answer));
    });
    return;
  }
  // A download: `bytes` bytes in `chunks` parts, one part every latency/chunks ms. Each part
  // schedules the next, so the parts go out in order.
  const chunks = Math.max(1, Math.floor(Number(query.get("chunks") ?? 1)) || 1);
  const interval = latency / chunks;
  sink.head(200, { "content-type": "application/octet-stream", "content-length": String(bytes) });
  let sent = 0;
  let part = 0;
  const sendNext = () => {
    part++;
    const end = Math.round((bytes * part) / chunks);
    const data = new Uint8Array(end - sent).fill(0x2e);
    sent = end;
    if (part === chunks) sink.end(data);
    else {
      sink.write(data);
      after(interval, sendNext);
    }
  };
  after(interval, sendNext);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
