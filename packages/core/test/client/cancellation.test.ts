// Deadlines, aborts and the connection pool, through the client: the call's timeout and
// the caller's signal end the call with typed errors and close the socket they were
// waiting on; the per-attempt request timeout is retried; 50 concurrent calls never use
// more than maxConnections sockets; a streamed body follows the caller's signal; and when
// it is all over no socket or timer is left.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { ServiceClient } from "../../src/client/service-client.ts";
import { AbortError, TimeoutError } from "../../src/errors/index.ts";
import type { ResponseBody } from "../../src/http/response-body.ts";
import { sendJson, startLoopbackServer } from "../support/loopback-server.ts";
import { loadService, loopbackConfig, op } from "./service-fixtures.ts";

const sqs = loadService("sqs", "2012-11-05");
const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });

const WATCHED = new Set(["TCPSocketWrap", "TCPServerWrap", "Timeout"]);
let baseline: string[] = [];

function watchedResources(): string[] {
  return process.getActiveResourcesInfo().filter((name) => WATCHED.has(name)).sort();
}

before(() => {
  baseline = watchedResources();
});

function closed(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once("close", () => resolve()));
}

test("the call's timeout: TimeoutError 'call', and the socket it was waiting on is closed", async () => {
  const sockets: Socket[] = [];
  let n = 0;
  const server = await startLoopbackServer((_req, res) => {
    // The first call warms the client up (settings, undici's import); the second never gets an answer.
    if (n++ === 0) return sendJson(res, { QueueUrls: [] });
    if (res.socket) sockets.push(res.socket);
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    await client.send(op(sqs, "ListQueues"), {});
    const started = Date.now();
    // Long enough for the request to reach the server on a busy machine; the server never answers.
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}, { timeout: 1_000 }), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeout, "call");
      assert.equal(error.ms, 1_000);
      assert.equal(error.isConnectionError, false);
      assert.equal(error.$metadata.attempts, 1);
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(sockets.length, 1);
    const socket = sockets[0];
    assert.ok(socket);
    await closed(socket);
    assert.equal(server.requests.length, 2, "a call that timed out is not retried");
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("the caller's abort: AbortError carrying the signal's reason, the socket closed", async () => {
  const sockets: Socket[] = [];
  const server = await startLoopbackServer((_req, res) => {
    if (res.socket) sockets.push(res.socket);
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    const controller = new AbortController();
    const reason = new Error("user went away");
    const pending = client.send(op(sqs, "ListQueues"), {}, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof AbortError);
      assert.equal(error.reason, reason);
      assert.match(error.message, /user went away/);
      assert.equal(error.$metadata.attempts, 1);
      return true;
    });
    const socket = sockets[0];
    assert.ok(socket);
    await closed(socket);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("an abort during the backoff sleep ends the call at once", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, { __type: "InternalError" }, 500));
  const slow = (await import("../../src/retry/strategy.ts")).createRetryStrategy(
    { mode: "standard", maxAttempts: 3 },
    { backoff: { baseMs: 60_000, maxMs: 60_000 }, random: () => 0.99 },
  );
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, { retryStrategy: slow }));
  try {
    const started = Date.now();
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}, { timeout: 150 }), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeout, "call");
      assert.equal(error.$metadata.attempts, 1);
      return true;
    });
    assert.ok(Date.now() - started < 2_000);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("the per-attempt request timeout is retried (undici checks it on a ~1 s tick)", async () => {
  let n = 0;
  const server = await startLoopbackServer((_req, res) => {
    if (n++ === 0) return; // the first attempt never gets headers
    sendJson(res, { QueueUrls: [] });
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, { http: { requestTimeout: 100 } }));
  try {
    const out = await client.send(op(sqs, "ListQueues"), {});
    assert.equal(out.$metadata.attempts, 2);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("50 concurrent calls never use more than maxConnections sockets", async () => {
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startLoopbackServer(async (_req, res) => {
    if (res.socket) sockets.add(res.socket);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 10));
    inFlight--;
    sendJson(res, { QueueUrls: [] });
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, { http: { maxConnections: 5 } }));
  try {
    const results = await Promise.all(Array.from({ length: 50 }, () => client.send(op(sqs, "ListQueues"), {})));
    assert.equal(results.length, 50);
    assert.ok(results.every((r) => r.$metadata.attempts === 1));
    assert.ok(sockets.size <= 5, `${sockets.size} sockets`);
    assert.ok(maxInFlight <= 5, `${maxInFlight} requests in flight at once`);
    assert.ok(maxInFlight >= 2, "the pool was used concurrently");
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("a streamed body follows the caller's signal after send resolved, and the deadline no longer applies", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.write("first chunk");
    // The rest never comes.
  });
  const client = new ServiceClient(s3.definition, loopbackConfig(server.url));
  try {
    // A first call warms the client up, so the deadline below covers one exchange only.
    await (await client.send<{ Body: ResponseBody }>(op(s3, "GetObject"), { Bucket: "b", Key: "k" })).Body.cancel();
    const controller = new AbortController();
    const out = await client.send<{ Body: ResponseBody }>(op(s3, "GetObject"), { Bucket: "b", Key: "k" }, { signal: controller.signal, timeout: 300 });
    // Past the call's deadline, the body is still readable.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const iterator = out.Body[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(Buffer.from(first.value as Uint8Array).toString(), "first chunk");
    const next = iterator.next();
    controller.abort("enough");
    await assert.rejects(next, (error: unknown) => error instanceof AbortError && error.reason === "enough");
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("destroy() closes the pool's kept-alive sockets", async () => {
  const sockets: Socket[] = [];
  const server = await startLoopbackServer((_req, res) => {
    if (res.socket && !sockets.includes(res.socket)) sockets.push(res.socket);
    sendJson(res, { QueueUrls: [] });
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    await client.send(op(sqs, "ListQueues"), {});
    const socket = sockets[0];
    assert.ok(socket);
    assert.equal(socket.destroyed, false, "kept alive after the call");
    await client.destroy();
    await closed(socket);
  } finally {
    await client.destroy();
    await server.close();
  }
});

after(async () => {
  // Sockets close asynchronously after destroy(); give them a few turns of the loop.
  for (let i = 0; i < 50 && watchedResources().length > baseline.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  // Leave the check's own timers out: by now none is pending.
  assert.deepEqual(watchedResources(), baseline, "no socket, server or timer outlives the tests");
});
