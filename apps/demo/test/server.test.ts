import { currentClock } from "@taskio/testkit";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { getJson, HttpError, postJson } from "../src/client.js";
import { type LibraryServer, startLibraryServer } from "../src/server.js";

let server: LibraryServer;
beforeAll(async () => {
  server = await startLibraryServer();
});
afterAll(() => server.close());
beforeEach(() => {
  // Only native timers and sockets here; the real clock keeps the leak check out of the way.
  currentClock()?.uninstall();
  server.reset();
});

test("listens on the loopback interface only, on a port of its own", () => {
  expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server.url("/a b", { latency: 5, title: "Dune", skip: undefined })).toBe(
    `${server.origin}/a b?latency=5&title=Dune`,
  );
});

test("answers JSON after the latency, echoing the query and a posted body", async () => {
  expect(await getJson(server.url("/catalog", { latency: 2, title: "Emma" }), "catalog")).toEqual({
    path: "/catalog",
    latency: "2",
    title: "Emma",
  });
  expect(await postJson(server.url("/save"), "save", { id: 7 })).toEqual({ path: "/save", received: { id: 7 } });
  await server.idle();
  expect(server.stats()).toMatchObject({ started: 2, completed: 2, aborted: 0, inFlight: 0, maxInFlight: 1 });
});

test("fails with the status asked for; the client helpers throw HttpError", async () => {
  const error = await getJson(server.url("/down", { status: 503 }), "periodicals").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  expect(error).toMatchObject({ status: 503, message: "periodicals: HTTP 503" });
});

test("streams a download of the size asked for", async () => {
  // Whether the chunks arrive apart depends on the machine's load; the progress scenario shows they do.
  const response = await fetch(server.url("/file", { bytes: 1000, chunks: 2, latency: 4 }));
  expect(response.headers.get("content-length")).toBe("1000");
  expect((await response.arrayBuffer()).byteLength).toBe(1000);
});

test("counts a request whose client went away as aborted, and idle() waits for it", async () => {
  const controller = new AbortController();
  const request = fetch(server.url("/slow", { latency: 10_000 }), { signal: controller.signal });
  while (server.stats().inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await expect(request).rejects.toThrow();
  await server.idle();
  expect(server.stats()).toMatchObject({ started: 1, completed: 0, aborted: 1, inFlight: 0 });
  expect(server.stats().byPath["/slow"]).toEqual({ started: 1, completed: 0, aborted: 1 });
});

test("reset() zeroes the counts but not the requests in flight", async () => {
  const answer = getJson(server.url("/a", { latency: 5 }), "a");
  while (server.stats().inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
  server.reset();
  expect(server.stats()).toMatchObject({ started: 0, inFlight: 1, maxInFlight: 1 });
  await answer;
  await server.idle();
  expect(server.stats()).toMatchObject({ started: 0, completed: 0, inFlight: 0 });
});
