import { type LibraryServer, libraryCore, libraryUrl } from "./library.js";

/** The library service behind a `fetch` function instead of a socket. */
export interface InProcessLibrary extends LibraryServer {
  /**
   * `fetch` for this service's URLs: the same answers, counts and abort behaviour as real `fetch`
   * against `startLibraryServer()` (it rejects, or errors the body stream, with the signal's reason).
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/**
 * The library service in process, for tests on taskio's virtual clock: no socket, so nothing is
 * ever "on the wire" while the clock jumps; every wait is a taskio timer, every hand-over a promise.
 * @example
 * const library = inProcessLibrary();
 * vi.stubGlobal("fetch", library.fetch);
 */
export function inProcessLibrary(origin = "http://library.test"): InProcessLibrary {
  const core = libraryCore();
  const encoder = new TextEncoder();
  return {
    origin,
    url: (path, options) => libraryUrl(origin, path, options),
    stats: core.stats,
    reset: core.reset,
    idle: core.idle,
    close: () => Promise.resolve(),
    fetch(input, init = {}) {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin !== new URL(origin).origin)
        return Promise.reject(new TypeError(`fetch failed: ${url} is not ${origin}`));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const body = typeof init.body === "string" ? init.body : "";
      return new Promise<Response>((resolve, reject) => {
        let stream!: ReadableStreamDefaultController<Uint8Array>;
        let headed = false;
        let ended = false;
        const close = core.handle(url, body, {
          head(status, headers) {
            headed = true;
            resolve(
              new Response(
                new ReadableStream<Uint8Array>({
                  start: (controller) => {
                    stream = controller;
                  },
                  // The client stopped reading: like closing the socket.
                  cancel: () => abort(),
                }),
                { status, headers },
              ),
            );
          },
          write: (chunk) => stream.enqueue(chunk),
          end(chunk) {
            ended = true;
            if (chunk !== undefined) stream.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
            stream.close();
            signal?.removeEventListener("abort", onAbort);
            close(false);
          },
        });
        const abort = () => {
          if (ended) return;
          ended = true;
          signal?.removeEventListener("abort", onAbort);
          close(true);
        };
        const onAbort = () => {
          if (ended) return;
          abort();
          if (headed) stream.error(signal?.reason);
          else reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}
