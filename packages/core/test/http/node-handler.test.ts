// The Node transport on its own (undici, or node:http: see the engine below): a request as sent and its response, keep-alive reuse,
// the three per-attempt timeouts and refused connections mapped to typed errors, abort,
// a response body read in each of its ways, and an abandoned body giving its socket back.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { AbortError, NetworkError, StratusError, TimeoutError } from "../../src/errors/index.ts";
import { createNodeHttpHandler, toTransportError, type NodeHttpEngine, type NodeHttpOptions } from "../../src/http/node-handler.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { startLoopbackServer } from "../support/loopback-server.ts";

// The same tests run on both engines: undici here, node:http from node-handler-node-http.test.ts.
const ENGINE = (process.env["STRATUS_TEST_NODE_ENGINE"] ?? "undici") as NodeHttpEngine;

function handlerFor(options: NodeHttpOptions = {}) {
  return createNodeHttpHandler({ ...options, engine: ENGINE });
}

function get(port: number, path = "/", extra: Partial<HttpRequest> = {}): HttpRequest {
  return { method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path, query: [], headers: {}, ...extra };
}

const WATCHED = new Set(["TCPSocketWrap", "TCPServerWrap", "Timeout"]);
const baseline = process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).sort();

test("sends method, path, encoded query, headers and body; returns status, lower-case headers and the body", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("X-Custom", "yes");
    res.setHeader("Set-Cookie", ["a=1", "b=2"]);
    res.writeHead(201);
    res.end("created");
  });
  const handler = handlerFor();
  try {
    const response = await handler.handle(
      get(server.port, "/a%20b", {
        method: "PUT",
        query: [["x", "1 2"], ["y", "ä"]],
        headers: { "content-type": "text/plain", "x-amz-meta-k": "v", expect: "x-other-expectation" },
        body: new TextEncoder().encode("payload"),
      }),
      {},
    );
    assert.equal(response.statusCode, 201);
    assert.equal(response.headers["x-custom"], "yes");
    assert.equal(response.headers["set-cookie"], "a=1, b=2");
    assert.equal(await response.body.text(), "created");
    const [req] = server.requests;
    assert.ok(req);
    assert.equal(req.method, "PUT");
    assert.equal(req.url, "/a%20b?x=1%202&y=%C3%A4");
    assert.equal(req.headers["x-amz-meta-k"], "v");
    // (100-continue goes through node:http instead: node-http-transport.test.ts.)
    assert.equal(req.headers["expect"], undefined, "undici cannot send Expect on HTTP/1.1; the handler drops any other expectation");
    assert.equal(req.body, "payload");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("keep-alive: sequential requests reuse their sockets", async () => {
  const ports = new Set<number | undefined>();
  const server = await startLoopbackServer((_req, res) => {
    ports.add(res.socket?.remotePort);
    res.end("ok");
  });
  const handler = handlerFor();
  try {
    for (let i = 0; i < 6; i++) await (await handler.handle(get(server.port), {})).body.bytes();
    // undici's pool may open a second socket while the first is being marked idle, then
    // alternates between the two; it never opens one per request.
    assert.ok(ports.size <= 2, `${ports.size} sockets for 6 requests`);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("request timeout (no headers in time) → TimeoutError 'request', retryable", async () => {
  const server = await startLoopbackServer(() => undefined);
  const handler = handlerFor({ requestTimeout: 100 });
  try {
    await assert.rejects(handler.handle(get(server.port), {}), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.ok(error instanceof StratusError);
      assert.equal(error.timeout, "request");
      assert.equal(error.ms, 100);
      assert.equal(error.isConnectionError, true);
      assert.match(error.message, /response headers did not finish within 100 ms \(request timeout\)/);
      return true;
    });
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("idle timeout (the body stalls) → TimeoutError 'idle' while reading", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { "content-length": "100" });
    res.write("partial");
  });
  const handler = handlerFor({ idleTimeout: 100 });
  try {
    const response = await handler.handle(get(server.port), {});
    assert.equal(response.statusCode, 200);
    await assert.rejects(response.body.bytes(), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeout, "idle");
      assert.equal(error.isConnectionError, true);
      return true;
    });
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("connection refused → NetworkError flagged as a connection error", async () => {
  const server = await startLoopbackServer(() => undefined);
  const port = server.port;
  await server.close();
  const handler = handlerFor();
  try {
    await assert.rejects(handler.handle(get(port), {}), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, "ECONNREFUSED");
      assert.equal(error.isConnectionError, true);
      return true;
    });
  } finally {
    await handler.destroy?.();
  }
});

test("undici's errors map to typed errors: connect/headers/body timeouts, socket errors, anything else", async () => {
  // A connect that never completes cannot be staged on loopback, so the mapping is checked
  // with undici's own error objects.
  const { errors } = await import("undici");
  const limits = { connectTimeout: 1, requestTimeout: 2, idleTimeout: 3 };
  const connect = toTransportError(new errors.ConnectTimeoutError(), undefined, limits);
  assert.ok(connect instanceof TimeoutError);
  assert.equal(connect.timeout, "connect");
  assert.equal(connect.ms, 1);
  assert.equal(connect.isConnectionError, true);
  assert.equal((toTransportError(new errors.HeadersTimeoutError(), undefined, limits) as TimeoutError).timeout, "request");
  assert.equal((toTransportError(new errors.BodyTimeoutError(), undefined, limits) as TimeoutError).ms, 3);
  const socket = toTransportError(new errors.SocketError("other side closed"), undefined, limits);
  assert.ok(socket instanceof NetworkError);
  assert.equal(socket.code, "UND_ERR_SOCKET");
  const reset = toTransportError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), undefined, limits);
  assert.ok(reset instanceof NetworkError);
  const tls = toTransportError(Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }), undefined, limits);
  assert.ok(tls instanceof StratusError);
  assert.equal((tls as { isConnectionError?: boolean }).isConnectionError, undefined, "a certificate error is not retried");
  // Once the signal fired, its reason wins over whatever the socket said.
  const controller = new AbortController();
  controller.abort("mine");
  const aborted = toTransportError(new errors.RequestAbortedError(), controller.signal, limits);
  assert.ok(aborted instanceof AbortError);
  assert.equal(aborted.reason, "mine");
});

test("abort: the signal's reason when it is one of ours, else an AbortError carrying it; the socket is closed", async () => {
  const sockets: Socket[] = [];
  const server = await startLoopbackServer((_req, res) => {
    if (res.socket) sockets.push(res.socket);
  });
  const handler = handlerFor();
  try {
    const controller = new AbortController();
    const pending = handler.handle(get(server.port), { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort("bye");
    await assert.rejects(pending, (error: unknown) => error instanceof AbortError && error.reason === "bye");
    const socket = sockets[0];
    assert.ok(socket);
    if (!socket.destroyed) await new Promise((resolve) => socket.once("close", resolve));

    const timeout = new TimeoutError("call", 5);
    const already = new AbortController();
    already.abort(timeout);
    await assert.rejects(handler.handle(get(server.port), { signal: already.signal }), (error: unknown) => error === timeout);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("abort while the request waits for a socket: rejected at once, and it never reaches the server", async () => {
  const server = await startLoopbackServer(() => {
    // Never answers: the one socket stays busy.
  });
  const handler = handlerFor({ maxConnections: 1 });
  try {
    const first = handler.handle(get(server.port, "/first"), {});
    first.catch(() => undefined);
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const controller = new AbortController();
    const queued = handler.handle(get(server.port, "/queued"), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort("not any more");
    await assert.rejects(queued, (error: unknown) => error instanceof AbortError && error.reason === "not any more");
    assert.deepEqual(server.requests.map((r) => r.url), ["/first"]);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("a body is read once: iterate, bytes() or text(); a second read throws", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.write("one,");
    setTimeout(() => res.end("two"), 5);
  });
  const handler = handlerFor();
  try {
    const a = await handler.handle(get(server.port), {});
    const parts: string[] = [];
    for await (const chunk of a.body) parts.push(Buffer.from(chunk).toString());
    assert.equal(parts.join(""), "one,two");
    assert.equal(a.body.bodyUsed, true);
    await assert.rejects(a.body.bytes(), /already read/);

    const b = await handler.handle(get(server.port), {});
    assert.deepEqual(Buffer.from(await b.body.bytes()).toString(), "one,two");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("an abandoned body gives its socket back: a short rest is drained for reuse, a long one closes the socket", async () => {
  const big = "x".repeat(1024 * 1024);
  const ports: Array<number | undefined> = [];
  const sockets: Socket[] = [];
  const server = await startLoopbackServer((req, res) => {
    ports.push(res.socket?.remotePort);
    if (res.socket) sockets.push(res.socket);
    res.end(req.url === "/big" ? big : "small body");
  });
  const handler = handlerFor({ maxConnections: 1 });
  try {
    const small = await handler.handle(get(server.port, "/small"), {});
    await small.body.cancel();
    const next = await handler.handle(get(server.port, "/small"), {});
    await next.body.text();
    assert.equal(ports[0], ports[1], "the drained socket was reused");

    const large = await handler.handle(get(server.port, "/big"), {});
    // Breaking out of a loop cancels too.
    for await (const chunk of large.body) {
      assert.ok(chunk.byteLength > 0);
      break;
    }
    const bigSocket = sockets[2];
    assert.ok(bigSocket);
    if (!bigSocket.destroyed) await new Promise((resolve) => bigSocket.once("close", resolve));
    // With one connection allowed, a leaked socket would make this wait forever.
    const last = await handler.handle(get(server.port, "/small"), {});
    assert.equal(await last.body.text(), "small body");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("back-pressure: a reader that stops reading stops the socket; the server cannot push the whole body", async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const total = 64 * 1024 * 1024;
  let written = 0;
  let finished = false;
  const server = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { "content-length": String(total) });
    const pump = (): void => {
      while (written < total) {
        written += chunk.byteLength;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
      finished = true;
    };
    pump();
  });
  const handler = handlerFor();
  try {
    const response = await handler.handle(get(server.port, "/"), {});
    const reader = response.body[Symbol.asyncIterator]();
    const first = await reader.next();
    assert.equal(first.done, false);
    // The reader now waits; whatever the server manages to write is in socket buffers and
    // the transport's small queue, not the 64 MiB body.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stalledAt = written;
    assert.ok(stalledAt < 16 * 1024 * 1024, `the server wrote ${stalledAt} bytes while nobody read`);
    assert.equal(finished, false);
    // Reading resumes the flow, to the end.
    let received = first.value?.byteLength ?? 0;
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      received += next.value.byteLength;
    }
    assert.equal(received, total);
    assert.ok(written > stalledAt);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("options are checked; a destroyed handler refuses new requests", async () => {
  assert.throws(() => handlerFor({ maxConnections: 0 }), /maxConnections must be a positive number/);
  assert.throws(() => handlerFor({ requestTimeout: -1 }), /requestTimeout/);
  const handler = handlerFor();
  await handler.destroy?.();
  await assert.rejects(handler.handle(get(1), {}), /destroyed/);
});

after(async () => {
  const watched = (): string[] => process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).sort();
  for (let i = 0; i < 50 && watched().length > baseline.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(watched(), baseline, "no socket, server or timer outlives the tests");
});

test("stats(): the pool's sockets and requests, summed over origins", async () => {
  let answer: (() => void) | undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const server = await startLoopbackServer(async (_req, res) => {
    await answered;
    res.end("ok");
  });
  const handler = handlerFor({ maxConnections: 2 });
  try {
    assert.deepEqual(handler.stats?.(), { connected: 0, free: 0, running: 0, pending: 0 }, "nothing before the first request");
    const responses = [1, 2, 3].map(() => handler.handle(get(server.port), {}));
    while (server.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const busy = handler.stats?.();
    assert.equal(busy?.connected, 2, "never more sockets than maxConnections");
    assert.equal(busy?.running, 2);
    assert.equal(busy?.pending, 1, "the third request waits for a socket");
    answer?.();
    for (const response of await Promise.all(responses)) assert.equal(await response.body.text(), "ok");
    // undici frees a socket a tick or two after the body's last byte.
    for (let turn = 0; turn < 100 && handler.stats?.().free !== handler.stats?.().connected; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const idle = handler.stats?.();
    assert.equal(idle?.running, 0);
    assert.equal(idle?.pending, 0);
    assert.equal(idle?.free, idle?.connected, "every open socket is free again");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});
