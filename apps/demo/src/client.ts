/** An HTTP answer with a 4xx/5xx status, as the client helpers report it. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly what: string,
  ) {
    super(`${what}: HTTP ${status}`);
  }
}

/**
 * GETs a JSON document with real `fetch`. The signal is the one taskio gives a task
 * (`createTask(async (signal) => getJson(url, "catalog", signal))`): cancelling the task aborts the request.
 */
export async function getJson<T = Record<string, unknown>>(
  url: string,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  return answer<T>(await fetch(url, { signal }), what);
}

/** POSTs `body` as JSON and returns the JSON answer; the same cancellation as getJson. */
export async function postJson<T = Record<string, unknown>>(
  url: string,
  what: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  return answer<T>(response, what);
}

/** The JSON body, or an HttpError once the body has come (the library service sends its status early). */
export async function answer<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, what);
  return JSON.parse(text) as T;
}

/**
 * The first fetches of a process set up its HTTP client and open connections: pay for that
 * before anything is measured. `connections` requests run at once, so as many sockets stay open.
 */
export async function warmUp(url: string, connections = 3): Promise<void> {
  await Promise.all(Array.from({ length: connections }, async () => (await fetch(url)).arrayBuffer()));
}
