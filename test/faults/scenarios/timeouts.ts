/**
 * Time limits and aborts. Each per-attempt limit (connect, first byte = `requestTimeout`,
 * a body that goes quiet = `idleTimeout`) must fire no earlier than configured, reject with
 * a TimeoutError of its kind, and close the socket it gave up on. botocore retries its
 * connect and read timeouts (`ConnectTimeoutError`, `ReadTimeoutError`) like any
 * connection error, and so do these scenarios: a limit on a buffered exchange is retried,
 * one on a streamed body the caller is reading is the caller's error. The caller's abort
 * and the call-wide `timeout` end the call at once, without a retry.
 *
 * Lower bounds only, plus a very generous upper one: the machine is shared and slow.
 */
import assert from "node:assert/strict";
import { AbortError, TimeoutError } from "@stratus/core";
import { dynamodb, s3 } from "../clients.ts";
import { EXPECT_CONTINUE_THRESHOLD_BYTES } from "../../../packages/s3/src/index.ts";
import { assertSameRequestEachAttempt, elapsedSince, metadataOf, performance } from "../assertions.ts";
import { hang, hangUnread, respond, stallBody, startSilentServer } from "../fault-server.ts";
import { ALL_TRANSPORTS, scenario } from "../harness.ts";
import { ITEM, jsonOk, s3Object, s3PutOk } from "../replies.ts";

/** Short, so the suite stays fast; long enough for a loopback answer on a loaded machine. */
const LIMIT_MS = 300;

/** At least `ms` (1 ms of slack for timer rounding), and not absurdly more. */
function assertTook(elapsedMs: number, ms: number, what: string): void {
  assert.ok(elapsedMs >= ms - 1, `${what} after ${elapsedMs.toFixed(1)} ms, before its ${ms} ms`);
  assert.ok(elapsedMs < Math.max(10 * ms, 5_000), `${what} after ${elapsedMs.toFixed(1)} ms, far beyond its ${ms} ms`);
}

export function timeoutScenarios(): void {
  scenario("connect timeout (a TLS handshake that never completes): TimeoutError 'connect' per attempt, sockets closed", { transports: ["undici", "node:http"], http: { connectTimeout: LIMIT_MS } }, async (ctx) => {
    // A TCP connect on loopback completes at once or is refused; the TLS handshake is the
    // part of connecting that a silent peer can stall.
    const silent = await startSilentServer();
    try {
      const start = performance.now();
      const error = await ctx.rejection(
        dynamodb(ctx, { maxAttempts: 2, endpoint: `https://127.0.0.1:${silent.port}` }).getItem({ TableName: "t", Key: { id: { S: "x" } } }),
      );
      const elapsed = elapsedSince(start);
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.timeout, "connect");
      assert.equal(error.ms, LIMIT_MS);
      assert.equal(metadataOf(error).attempts, 2, "a connect timeout is retried");
      assertTook(elapsed, 2 * LIMIT_MS, "two connect timeouts");
      assert.equal(silent.accepted, 2);
      // Released before the handler is destroyed: the client closed both sockets itself.
      await ctx.within(silent.whenSocketsClosed(), "the timed-out connections to close");
    } finally {
      await silent.close();
    }
  });

  scenario("connect timeout on fetch: counted within requestTimeout; the runtime drops the abandoned connect at its own limit", { transports: ["fetch"], http: { requestTimeout: LIMIT_MS, connectTimeout: 50 } }, async (ctx) => {
    const silent = await startSilentServer();
    try {
      const start = performance.now();
      const error = await ctx.rejection(
        dynamodb(ctx, { maxAttempts: 2, endpoint: `https://127.0.0.1:${silent.port}` }).getItem({ TableName: "t", Key: { id: { S: "x" } } }),
      );
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.timeout, "request");
      assert.equal(metadataOf(error).attempts, 2);
      assertTook(elapsedSince(start), 2 * LIMIT_MS, "two request timeouts");
      // fetch cannot cancel a connect in progress: aborting it only drops the request, and
      // Node's fetch (undici's global pool) finishes or times out the handshake on its own,
      // after its 10 s connect limit. Released then, not leaked.
      await ctx.within(silent.whenSocketsClosed(), "the abandoned connections to close", 20_000);
    } finally {
      await silent.close();
    }
  });

  scenario("first byte never comes (hang): TimeoutError 'request' on each attempt, each socket closed", { transports: ALL_TRANSPORTS, http: { requestTimeout: LIMIT_MS } }, async (ctx) => {
    ctx.server.script(hang(), hang());
    const start = performance.now();
    const error = await ctx.rejection(dynamodb(ctx, { maxAttempts: 2 }).getItem({ TableName: "t", Key: { id: { S: "x" } } }));
    const elapsed = elapsedSince(start);
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.timeout, "request");
    assert.equal(error.isConnectionError, true);
    assert.equal(metadataOf(error).attempts, 2);
    assertTook(elapsed, 2 * LIMIT_MS, "two first-byte timeouts");
    assertSameRequestEachAttempt(ctx.server.requests);
    await ctx.released(0);
    await ctx.released(1);
  });

  scenario("first byte late once, then 200: retried after the request timeout", { transports: ALL_TRANSPORTS, http: { requestTimeout: LIMIT_MS } }, async (ctx) => {
    ctx.server.script(hang(), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "x" } } });
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
    await ctx.released(0);
  });

  for (const [size, how] of [
    [1536 * 1024, "sent at once"],
    [EXPECT_CONTINUE_THRESHOLD_BYTES * 2, "sent after Expect: 100-continue"],
  ] as const) {
    scenario(`an upload (${size >> 10} KiB, ${how}) the server never reads: TimeoutError 'request', retried, the client's sockets closed`, { transports: ALL_TRANSPORTS, http: { requestTimeout: LIMIT_MS } }, async (ctx) => {
      ctx.server.script(hangUnread(), hangUnread());
      const body = new Uint8Array(size).fill(7);
      const start = performance.now();
      const error = await ctx.rejection(s3(ctx, { maxAttempts: 2 }).putObject({ Bucket: "bucket", Key: "big", Body: body }));
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.timeout, "request");
      assert.equal(metadataOf(error).attempts, 2);
      assertTook(elapsedSince(start), 2 * LIMIT_MS, "two request timeouts");
      // The client's own view: a socket closed with unsent upload bytes may never show its
      // FIN to a server that was not reading (the kernel can drop such an orphan silently).
      await ctx.clientSocketsClosed();
    });
  }

  scenario("a buffered body stalls (headers, then silence): TimeoutError 'idle', retried, the stalled socket closed", { transports: ALL_TRANSPORTS, http: { idleTimeout: LIMIT_MS } }, async (ctx) => {
    ctx.server.script(stallBody(jsonOk({ Item: ITEM }), 10), respond(jsonOk({ Item: ITEM })));
    const start = performance.now();
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "x" } } });
    assertTook(elapsedSince(start), LIMIT_MS, "the idle timeout");
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
    await ctx.released(0);
  });

  scenario("a streamed body stalls: the caller's read fails with TimeoutError 'idle', not resent, socket closed", { transports: ALL_TRANSPORTS, http: { idleTimeout: LIMIT_MS } }, async (ctx) => {
    ctx.server.script(stallBody(s3Object(), 100));
    // The clock starts before the call: the body's last chunk came after this.
    const start = performance.now();
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" });
    const body = out.Body;
    assert.ok(body);
    const error = await ctx.rejection(body.bytes());
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.timeout, "idle");
    assert.equal(error.ms, LIMIT_MS);
    assertTook(elapsedSince(start), LIMIT_MS, "the idle timeout");
    assert.equal(ctx.server.requests.length, 1);
    await ctx.released(0);
  });

  scenario("the caller aborts while the server hangs: AbortError with its reason, no retry, socket closed", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(hang());
    const controller = new AbortController();
    const call = dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "x" } } }, { signal: controller.signal });
    await ctx.within(ctx.server.whenRequests(1), "the request to arrive");
    controller.abort("caller gave up");
    const error = await ctx.rejection(call);
    assert.ok(error instanceof AbortError, String(error));
    assert.equal(error.reason, "caller gave up");
    assert.equal(metadataOf(error).attempts, 1);
    assert.equal(ctx.server.requests.length, 1);
    await ctx.released(0);
  });

  scenario("the caller aborts while reading a streamed body: AbortError, socket closed", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(stallBody(s3Object(), 100));
    const controller = new AbortController();
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" }, { signal: controller.signal });
    const body = out.Body;
    assert.ok(body);
    const reading = body.bytes();
    controller.abort("enough");
    const error = await ctx.rejection(reading);
    assert.ok(error instanceof AbortError, String(error));
    assert.equal(error.reason, "enough");
    await ctx.released(0);
  });

  scenario("the call's own timeout while the server hangs: TimeoutError 'call', no retry, socket closed", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(hang());
    const start = performance.now();
    const error = await ctx.rejection(dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "x" } } }, { timeout: LIMIT_MS }));
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.timeout, "call");
    assert.equal(metadataOf(error).attempts, 1);
    assertTook(elapsedSince(start), LIMIT_MS, "the call timeout");
    assert.equal(ctx.server.requests.length, 1);
    await ctx.released(0);
  });
}
