// Expect: 100-continue through the Node handler (which hands such requests to
// node-http-transport.ts): a loopback node:http server with a 'checkContinue' listener plays the
// server's side — 100 then the final status, a final status with no 100 (the body must never
// arrive), no answer at all (the body goes after the wait), 417 — and the limits and the
// abort signal apply while the client waits.
import { after, test as nodeTest } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { AbortError, NetworkError, StratusError, TimeoutError } from "../../src/errors/index.ts";
import { createNodeHttpTransport, DEFAULT_CONTINUE_TIMEOUT_MS } from "../../src/http/node-http-transport.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { createNodeHttpHandler, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from "../../src/http/node-handler.ts";
import { RequestBody, RequestBodyError } from "../../src/http/request-body.ts";

/** Every test here is short: a regression that hangs fails in seconds, not at the runner's limit. */
function test(name: string, body: () => Promise<void>): void {
  nodeTest(name, { timeout: 15_000 }, body);
}

const WATCHED = new Set(["TCPSocketWrap", "TCPServerWrap", "Timeout"]);
const baseline = process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).sort();

/** What the server saw of one request. */
interface Seen {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly port: number | undefined;
  /** Body bytes received so far. */
  received: number;
  readonly chunks: Buffer[];
  /** Resolves when the request is over on the server's side (read in full, or its socket closed). */
  readonly closed: Promise<void>;
}

type Respond = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

interface ContinueServer {
  readonly port: number;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** Reads the whole body, then answers 200 with the number of bytes it got. */
const readAndAnswer: Respond = (req, res, seen) => {
  const answer = (): void => void res.end(`got ${seen.received}`);
  if (req.readableEnded) answer();
  else req.once("end", answer);
};

/**
 * A server whose `checkContinue` decides what a request with Expect: 100-continue gets
 * (without one, Node itself answers 100 at once); `request` answers requests without it.
 */
async function startServer(handlers: { checkContinue?: Respond; request?: Respond }): Promise<ContinueServer> {
  const seen: Seen[] = [];
  const server = createServer();
  const track = (req: IncomingMessage, res: ServerResponse, respond: Respond): void => {
    const entry: Seen = {
      method: req.method,
      url: req.url,
      headers: req.headers,
      port: req.socket.remotePort,
      received: 0,
      chunks: [],
      // The request's own 'close' does not come when Node already answered it and then the
      // client closed the socket (the 403 case): watch the socket too.
      closed: new Promise((resolve) => {
        req.once("close", () => resolve());
        req.socket.once("close", () => resolve());
      }),
    };
    req.on("data", (chunk: Buffer) => {
      entry.received += chunk.byteLength;
      entry.chunks.push(chunk);
    });
    seen.push(entry);
    respond(req, res, entry);
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => track(req, res, handlers.request ?? readAndAnswer));
  const checkContinue = handlers.checkContinue;
  if (checkContinue) server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => track(req, res, checkContinue));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function put(port: number, body: string | Uint8Array | RequestBody, headers: Record<string, string> = { expect: "100-continue" }): HttpRequest {
  return { method: "PUT", protocol: "http:", hostname: "127.0.0.1", port, path: "/bucket/key", query: [["x-id", "PutObject"]], headers, body };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

const BIG = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);

test("100 Continue, then the body, then 200: the server gets the whole body only after it said 100", async () => {
  let beforeContinue = -1;
  const server = await startServer({
    checkContinue(req, res, seen) {
      // Hold the 100 back a little: a client that does not wait would be sending by now.
      setTimeout(() => {
        beforeContinue = seen.received;
        res.writeContinue();
        readAndAnswer(req, res, seen);
      }, 150);
    },
  });
  const handler = createNodeHttpHandler();
  try {
    const response = await handler.handle(put(server.port, BIG), {});
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), `got ${BIG.byteLength}`);
    const [seen] = server.seen;
    assert.ok(seen);
    assert.equal(beforeContinue, 0, "no body byte before the 100");
    assert.equal(seen.method, "PUT");
    assert.equal(seen.url, "/bucket/key?x-id=PutObject");
    assert.equal(seen.headers["expect"], "100-continue");
    assert.equal(seen.headers["content-length"], String(BIG.byteLength));
    assert.deepEqual(new Uint8Array(Buffer.concat(seen.chunks)), BIG);

    // The socket is kept alive for the next exchange (a string body this time).
    const again = await handler.handle(put(server.port, "héllo"), {});
    assert.equal(await again.body.text(), "got 6");
    assert.equal(server.seen[1]?.port, seen.port, "the socket was reused");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("a final status before any 100 (403): the body is never sent, the 403 is returned, the socket is not reused", async () => {
  const server = await startServer({
    checkContinue(_req, res) {
      res.writeHead(403, { "content-type": "application/xml", "x-amz-request-id": "REQ403" });
      res.end("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
    },
  });
  const handler = createNodeHttpHandler();
  try {
    const response = await handler.handle(put(server.port, BIG), {});
    assert.equal(response.statusCode, 403);
    assert.equal(response.headers["x-amz-request-id"], "REQ403");
    assert.match(await response.body.text(), /AccessDenied/);
    const [seen] = server.seen;
    assert.ok(seen);
    // The client closes the connection once it has the answer; by then nothing was sent.
    await seen.closed;
    assert.equal(seen.received, 0, "not one byte of the body reached the server");

    const next = await handler.handle(put(server.port, "x"), {});
    assert.equal(next.statusCode, 403);
    await next.body.cancel();
    assert.notEqual(server.seen[1]?.port, seen.port, "a new socket after the withheld body");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("a server that never answers the expectation gets the body after the wait (RFC 9110 §10.1.1), and the call succeeds", async () => {
  let headersAt = 0;
  let firstByteAt = 0;
  const server = await startServer({
    checkContinue(req, res, seen) {
      headersAt = performance.now();
      req.once("data", () => (firstByteAt = performance.now()));
      readAndAnswer(req, res, seen);
    },
  });
  const handler = createNodeHttpHandler();
  try {
    const response = await handler.handle(put(server.port, BIG), {});
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), `got ${BIG.byteLength}`);
    assert.equal(DEFAULT_CONTINUE_TIMEOUT_MS, 1_000);
    // A lower bound only: the body waited for the 1 s timer, it did not go at once.
    assert.ok(firstByteAt - headersAt >= DEFAULT_CONTINUE_TIMEOUT_MS - 100, `the body came ${Math.round(firstByteAt - headersAt)} ms after the headers`);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("a streaming RequestBody: pulled only after the 100, never when refused first; a wrong length fails as RequestBodyError", async () => {
  const server = await startServer({
    checkContinue(req, res, seen) {
      if (req.url?.startsWith("/deny")) {
        res.writeHead(403);
        res.end();
        return;
      }
      res.writeContinue();
      readAndAnswer(req, res, seen);
    },
  });
  const handler = createNodeHttpHandler();
  const pulls: number[] = [];
  const stream = (count: number): RequestBody =>
    RequestBody.fromStream(
      (async function* () {
        for (let i = 0; i < count; i++) {
          pulls.push(i);
          yield BIG.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024);
        }
      })(),
      { length: 3 * 1024 * 1024 },
    );
  try {
    const sent = await handler.handle(put(server.port, stream(3)), {});
    assert.equal(await sent.body.text(), `got ${BIG.byteLength}`);
    assert.deepEqual(new Uint8Array(Buffer.concat(server.seen[0]?.chunks ?? [])), BIG);
    assert.equal(server.seen[0]?.headers["content-length"], String(BIG.byteLength));

    pulls.length = 0;
    const refused = stream(3);
    const denied = await handler.handle({ ...put(server.port, refused), path: "/deny" }, {});
    assert.equal(denied.statusCode, 403);
    await denied.body.cancel();
    assert.deepEqual(pulls, [], "the stream was never read");
    assert.equal(refused.claimed, false, "a one-shot stream held back stays sendable (a retry may send it)");

    await assert.rejects(handler.handle(put(server.port, stream(2)), {}), (error: unknown) => {
      assert.ok(error instanceof RequestBodyError, String(error));
      assert.match(error.message, /Content-Length/);
      return true;
    });
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("417 Expectation Failed: sent again without the expectation, body straight away", async () => {
  const server = await startServer({
    checkContinue(_req, res) {
      res.writeHead(417);
      res.end();
    },
  });
  const transport = createNodeHttpTransport({ maxConnections: 2, connectTimeout: 5_000, requestTimeout: 5_000, idleTimeout: 5_000, continueTimeout: 10_000 });
  try {
    const response = await transport.expectContinue(put(server.port, BIG), {});
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), `got ${BIG.byteLength}`);
    assert.equal(server.seen.length, 2);
    assert.equal(server.seen[0]?.received, 0);
    assert.equal(server.seen[1]?.headers["expect"], undefined);
  } finally {
    await transport.destroy();
    await server.close();
  }
});

test("an empty body is sent without the expectation (RFC 9110: none without content)", async () => {
  const server = await startServer({});
  const handler = createNodeHttpHandler();
  try {
    const response = await handler.handle(put(server.port, ""), {});
    assert.equal(await response.body.text(), "got 0");
    assert.equal(server.seen[0]?.headers["expect"], undefined);
    assert.equal(server.seen[0]?.headers["content-length"], "0");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("abort while waiting for the 100: the signal's reason, the socket closed, no body sent", async () => {
  const server = await startServer({ checkContinue: () => undefined });
  const handler = createNodeHttpHandler();
  try {
    const controller = new AbortController();
    const pending = handler.handle(put(server.port, BIG), { signal: controller.signal });
    await until(() => server.seen.length === 1);
    controller.abort("bye");
    await assert.rejects(pending, (error: unknown) => error instanceof AbortError && error.reason === "bye");
    const [seen] = server.seen;
    assert.ok(seen);
    await seen.closed;
    assert.equal(seen.received, 0);

    const timeout = new TimeoutError("call", 5);
    const already = new AbortController();
    already.abort(timeout);
    await assert.rejects(handler.handle(put(server.port, "x"), { signal: already.signal }), (error: unknown) => error === timeout);
    assert.equal(server.seen.length, 1, "an already aborted call sends nothing");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("request timeout while waiting for the 100 (or any answer) → TimeoutError 'request', retryable", async () => {
  const server = await startServer({ checkContinue: () => undefined });
  const transport = createNodeHttpTransport({
    maxConnections: 1,
    connectTimeout: DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeout: 150,
    idleTimeout: DEFAULT_IDLE_TIMEOUT_MS,
    continueTimeout: 10_000,
  });
  try {
    await assert.rejects(transport.expectContinue(put(server.port, BIG), {}), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeout, "request");
      assert.equal(error.ms, 150);
      assert.equal(error.isConnectionError, true);
      return true;
    });
    const [seen] = server.seen;
    assert.ok(seen);
    await seen.closed;
    assert.equal(seen.received, 0);
  } finally {
    await transport.destroy();
    await server.close();
  }
});

test("connect timeout: a TLS handshake that never finishes → TimeoutError 'connect', retryable", async () => {
  // A TCP server that accepts and then says nothing: the TLS handshake never completes.
  const held = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    held.add(socket);
    socket.on("close", () => held.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const port = (silent.address() as AddressInfo).port;
  const handler = createNodeHttpHandler({ connectTimeout: 150 });
  try {
    await assert.rejects(handler.handle({ ...put(port, BIG), protocol: "https:" }, {}), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeout, "connect");
      assert.equal(error.ms, 150);
      assert.equal(error.isConnectionError, true);
      return true;
    });
  } finally {
    await handler.destroy?.();
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test("after the headers: the idle timeout and the signal stop a stalled body", async () => {
  const server = await startServer({
    request(req, res) {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
      });
    },
  });
  const handler = createNodeHttpHandler({ idleTimeout: 100 });
  try {
    const stalled = await handler.handle(put(server.port, "body"), {});
    assert.equal(stalled.statusCode, 200);
    await assert.rejects(stalled.body.bytes(), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeout, "idle");
      return true;
    });

    const controller = new AbortController();
    const live = await handler.handle(put(server.port, "body"), { signal: controller.signal });
    const reading = live.body.bytes();
    controller.abort("stop");
    await assert.rejects(reading, (error: unknown) => error instanceof AbortError && error.reason === "stop");
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("a cancelled body: a short rest is drained and the socket reused", async () => {
  const server = await startServer({ request: (req, res) => req.on("end", () => res.end("short answer")).resume() });
  const handler = createNodeHttpHandler({ maxConnections: 1 });
  try {
    const first = await handler.handle(put(server.port, "a"), {});
    await first.body.cancel();
    const second = await handler.handle(put(server.port, "b"), {});
    assert.equal(await second.body.text(), "short answer");
    assert.equal(server.seen[1]?.port, server.seen[0]?.port);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});

test("connection refused → NetworkError; a bad header → StratusError; a destroyed handler refuses", async () => {
  const server = await startServer({});
  const port = server.port;
  await server.close();
  const handler = createNodeHttpHandler();
  await assert.rejects(handler.handle(put(port, "x"), {}), (error: unknown) => {
    assert.ok(error instanceof NetworkError);
    assert.equal(error.code, "ECONNREFUSED");
    return true;
  });
  await assert.rejects(handler.handle(put(port, "x", { expect: "100-continue", "x-bad": "a\r\nb" }), {}), (error: unknown) => {
    assert.ok(error instanceof StratusError);
    assert.equal((error as { isConnectionError?: boolean }).isConnectionError, undefined);
    return true;
  });
  await handler.destroy?.();
  await assert.rejects(handler.handle(put(port, "x"), {}), /destroyed/);
});

after(async () => {
  const watched = (): string[] => process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).sort();
  for (let i = 0; i < 50 && watched().length > baseline.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(watched(), baseline, "no socket, server or timer outlives the tests");
});
