// The fetch transport on its own, against a loopback server: a request as sent and its
// response, the request and idle timeouts, refused connections, abort before and during
// the body, streaming uploads and a failing upload source, manual redirects. Written for
// any runtime with node:test and node:http: Node runs it here, and bun.test.ts and
// deno.test.ts run it again in Bun and Deno, against their own fetch.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AbortError, NetworkError, StratusError, TimeoutError } from "../../packages/core/src/errors/index.ts";
import { createFetchHttpHandler } from "../../packages/core/src/http/fetch-handler.ts";
import type { HttpRequest } from "../../packages/core/src/http/http-request.ts";
import { RequestBody, RequestBodyError } from "../../packages/core/src/http/request-body.ts";
import { createDefaultHttpHandler, defaultTransport } from "../../packages/core/src/client/transport.ts";
import { isNodeJs } from "../../packages/core/src/platform/index.ts";

function get(port: number, path = "/", extra: Partial<HttpRequest> = {}): HttpRequest {
  return { method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path, query: [], headers: {}, ...extra };
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const isNode = typeof (globalThis as { Deno?: unknown }).Deno === "undefined" && process.versions.bun === undefined;
const WATCHED = new Set(["TCPSocketWrap", "TCPServerWrap", "Timeout"]);
const watched = (): string[] => (isNode ? process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).sort() : []);
const baseline = watched();

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A loopback server that records what it received. Not the core's loopback-server.ts:
 * these tests walk away from responses, which Bun's node:http reports as an "aborted"
 * error on the request even after it was read, and a request read with `for await` then
 * leaves that error unhandled (failing whichever test runs at the time). Here requests are
 * read through events, with an error listener on each side.
 */
async function startLoopbackServer(handler: (req: Received, res: ServerResponse) => void) {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const chunks: Uint8Array[] = [];
    req.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    req.on("end", () => {
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(received);
      handler(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test("sends method, path, encoded query, headers and body; returns status, lower-case headers and the body", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("X-Custom", "yes");
    res.writeHead(201);
    res.end("created");
  });
  const handler = createFetchHttpHandler();
  try {
    const response = await handler.handle(
      get(server.port, "/a%20b", {
        method: "PUT",
        query: [["x", "1 2"], ["y", "ä"]],
        headers: { "content-type": "text/plain", "x-amz-meta-k": "v", expect: "100-continue", host: `127.0.0.1:${server.port}`, "content-length": "7" },
        body: new TextEncoder().encode("payload"),
      }),
      {},
    );
    assert.equal(response.statusCode, 201);
    assert.equal(response.headers["x-custom"], "yes");
    assert.equal(await response.body.text(), "created");
    const [req] = server.requests;
    assert.ok(req);
    assert.equal(req.method, "PUT");
    assert.equal(req.url, "/a%20b?x=1%202&y=%C3%A4");
    assert.equal(req.headers["x-amz-meta-k"], "v");
    assert.equal(req.headers["host"], `127.0.0.1:${server.port}`);
    assert.equal(req.headers["content-length"], "7");
    assert.equal(req.headers["expect"], undefined, "fetch cannot send Expect: the handler drops it");
    assert.equal(req.body, "payload");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("a redirect is an answer, not a hop: 307 comes back with its Location", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.writeHead(307, { location: "http://127.0.0.1:1/elsewhere" });
    res.end("<Error><Code>TemporaryRedirect</Code></Error>");
  });
  const handler = createFetchHttpHandler();
  try {
    const response = await handler.handle(get(server.port), {});
    assert.equal(response.statusCode, 307);
    assert.equal(response.headers["location"], "http://127.0.0.1:1/elsewhere");
    assert.match(await response.body.text(), /TemporaryRedirect/);
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test("request timeout (no headers in time) → TimeoutError 'request', retryable", async () => {
  const server = await startLoopbackServer(() => undefined);
  const handler = createFetchHttpHandler({ requestTimeout: 100 });
  try {
    await assert.rejects(handler.handle(get(server.port), {}), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, `got ${String(error)}`);
      assert.equal(error.timeout, "request");
      assert.equal(error.ms, 100);
      assert.equal(error.isConnectionError, true);
      return true;
    });
  } finally {
    await server.close();
  }
});

test("idle timeout (the body stalls) → TimeoutError 'idle' while reading", async () => {
  const server = await startLoopbackServer((_req, res) => {
        res.writeHead(200, { "content-length": "100" });
    res.write("partial");
  });
  const handler = createFetchHttpHandler({ idleTimeout: 150 });
  try {
    const response = await handler.handle(get(server.port), {});
    assert.equal(response.statusCode, 200);
    await assert.rejects(response.body.bytes(), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, `got ${String(error)}`);
      assert.equal(error.timeout, "idle");
      assert.equal(error.isConnectionError, true);
      return true;
    });
  } finally {
    await server.close();
  }
});

test("connection refused → NetworkError flagged as a connection error", async () => {
  const server = await startLoopbackServer(() => undefined);
  const port = server.port;
  await server.close();
  const handler = createFetchHttpHandler();
  await assert.rejects(handler.handle(get(port), {}), (error: unknown) => {
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assert.equal(error.isConnectionError, true);
    assert.match(error.message, /the connection failed/);
    return true;
  });
});

test("abort before the headers: the signal's reason when it is one of ours, else an AbortError carrying it", async () => {
  const server = await startLoopbackServer(() => undefined);
  const handler = createFetchHttpHandler();
  try {
    const controller = new AbortController();
    const pending = handler.handle(get(server.port), { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort("bye");
    await assert.rejects(pending, (error: unknown) => error instanceof AbortError && error.reason === "bye");

    const timeout = new TimeoutError("call", 5);
    const already = new AbortController();
    already.abort(timeout);
    await assert.rejects(handler.handle(get(server.port), { signal: already.signal }), (error: unknown) => error === timeout);
  } finally {
    await server.close();
  }
});

test("abort while the body is read: the next read rejects with the AbortError", async () => {
  const server = await startLoopbackServer((_req, res) => {
        res.writeHead(200);
    res.write("first");
  });
  const handler = createFetchHttpHandler();
  try {
    const controller = new AbortController();
    const response = await handler.handle(get(server.port), { signal: controller.signal });
    const reading = (async () => {
      for await (const _chunk of response.body) controller.abort("enough");
    })();
    await assert.rejects(reading, (error: unknown) => error instanceof AbortError && error.reason === "enough");
  } finally {
    await server.close();
  }
});

test("a streaming body is sent chunk by chunk with its Content-Length; a failing source is a RequestBodyError", async () => {
  const server = await startLoopbackServer((_req, res) => void res.end("ok"));
  const handler = createFetchHttpHandler();
  try {
    async function* parts(): AsyncGenerator<string> {
      yield "streamed ";
      yield "upload";
    }
    const response = await handler.handle(get(server.port, "/up", { method: "PUT", body: RequestBody.fromStream(parts(), { length: 15 }) }), {});
    assert.equal(await response.body.text(), "ok");
    const received = server.requests[0];
    assert.equal(received?.body, "streamed upload");
    assert.equal(received?.headers["content-length"], "15");

    async function* broken(): AsyncGenerator<string> {
      yield "a";
      throw new Error("disk on fire");
    }
    await assert.rejects(
      handler.handle(get(server.port, "/up", { method: "PUT", body: RequestBody.fromStream(broken()) }), {}),
      (error: unknown) => {
        assert.ok(error instanceof RequestBodyError, `got ${String(error)}`);
        assert.match(error.message, /disk on fire/);
        return true;
      },
    );
  } finally {
    await server.close();
  }
});

test("a body is read once; cancelling a long one leaves the handler usable", async () => {
  const big = "x".repeat(512 * 1024);
  const server = await startLoopbackServer((req, res) => {
        res.end(req.url === "/big" ? big : "one,two");
  });
  const port = server.port;
  const handler = createFetchHttpHandler();
  try {
    const a = await handler.handle(get(port), {});
    assert.equal(text(await a.body.bytes()), "one,two");
    assert.equal(a.body.bodyUsed, true);
    await assert.rejects(a.body.bytes(), /already read/);

    const large = await handler.handle(get(port, "/big"), {});
    for await (const chunk of large.body) {
      assert.ok(chunk.byteLength > 0);
      break;
    }
    const last = await handler.handle(get(port), {});
    assert.equal(await last.body.text(), "one,two");
  } finally {
    await server.close();
  }
});

test("options are checked; a destroyed handler refuses new requests", async () => {
  assert.throws(() => createFetchHttpHandler({ requestTimeout: -1 }), /requestTimeout must be a positive number/);
  assert.throws(() => createFetchHttpHandler({ idleTimeout: 0 }), /idleTimeout/);
  assert.throws(() => createFetchHttpHandler({ connectTimeout: Number.NaN }), /connectTimeout/);
  const handler = createFetchHttpHandler();
  await handler.destroy?.();
  await assert.rejects(handler.handle(get(1), {}), (error: unknown) => error instanceof StratusError && /destroyed/.test(error.message));
});

test("the default transport: undici on Node.js, fetch in Bun and Deno", async () => {
  assert.equal(isNodeJs(), isNode);
  assert.equal(await defaultTransport(), isNode ? "undici" : "fetch");
  const handler = createDefaultHttpHandler({ requestTimeout: 5_000 });
  const server = await startLoopbackServer((_req, res) => void res.end("picked"));
  try {
    const response = await handler.handle(get(server.port), {});
    assert.equal(await response.body.text(), "picked");
    assert.equal(await handler.transport(), isNode ? "undici" : "fetch");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
  assert.throws(() => createDefaultHttpHandler({ requestTimeout: 0 }), /requestTimeout must be a positive number/);
});

after(async () => {
  if (!isNode) return;
  for (let i = 0; i < 50 && watched().length > baseline.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(watched(), baseline, "no socket, server or timer outlives the tests");
});
