/**
 * Connections that fail: reset before the headers, reset or cut short in the middle of
 * the body, refused. What botocore does, and so what is asserted:
 *   - no response, or a buffered body that broke off: a connection error, retried after a
 *     backoff (botocore reads a non-streamed body inside the attempt and retries a broken
 *     read; its standard mode counts `ConnectionError`/`HTTPClientError` as transient);
 *   - a streamed body (S3 GetObject) that breaks after the call returned: the caller's read
 *     fails (botocore's `ResponseStreamingError` / `IncompleteReadError`), nothing is
 *     resent, and the socket is closed, not returned to the pool;
 *   - nothing listening: retried to maxAttempts, then the NetworkError (ECONNREFUSED).
 */
import assert from "node:assert/strict";
import { NetworkError } from "@stratus/core";
import { dynamodb, s3, sts } from "../clients.ts";
import { assertSameRequestEachAttempt, metadataOf } from "../assertions.ts";
import { refusedPort, resetBeforeHeaders, resetMidBody, respond, stallBody, truncate } from "../fault-server.ts";
import { ALL_TRANSPORTS, scenario } from "../harness.ts";
import { ITEM, jsonOk, OBJECT_BYTES, s3Object, s3PutOk, stsCallerIdentity } from "../replies.ts";

export function connectionScenarios(): void {
  scenario("DynamoDB: reset before the headers, then 200: retried as a connection error", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(resetBeforeHeaders(), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
    await ctx.released(0);
  });

  scenario("S3 PutObject: reset before the headers, then 200: the body is sent again, byte for byte", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(resetBeforeHeaders(), respond(s3PutOk()));
    const out = await s3(ctx).putObject({ Bucket: "bucket", Key: "k", Body: OBJECT_BYTES });
    assert.equal(metadataOf(out).attempts, 2);
    assert.deepEqual(ctx.server.requests[1]?.body, OBJECT_BYTES);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("STS (query): reset before the headers on every attempt: the NetworkError after maxAttempts", {}, async (ctx) => {
    ctx.server.script(resetBeforeHeaders(), resetBeforeHeaders());
    const error = await ctx.rejection(sts(ctx, { maxAttempts: 2 }).getCallerIdentity());
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.isConnectionError, true);
    assert.equal(metadataOf(error).attempts, 2);
    assert.ok(metadataOf(error).totalRetryDelay >= 0);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("DynamoDB: reset in the middle of the body, then 200: the buffered read failed, the attempt is retried", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(resetMidBody(jsonOk({ Item: ITEM }), 20), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("DynamoDB: a body shorter than its Content-Length, then 200: retried", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(truncate(jsonOk({ Item: ITEM }), 30), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
    await ctx.released(0);
  });

  scenario("STS (query): a truncated XML body, then 200: retried, not a parse error", {}, async (ctx) => {
    ctx.server.script(truncate(stsCallerIdentity(), 60), respond(stsCallerIdentity()));
    const out = await sts(ctx).getCallerIdentity();
    assert.equal(out.Account, "123456789012");
    assert.equal(metadataOf(out).attempts, 2);
  });

  scenario("S3 GetObject: a streamed body cut short: the caller's read fails with a NetworkError, nothing is resent", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(truncate(s3Object(), 1000));
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" });
    assert.equal(metadataOf(out).attempts, 1);
    const body = out.Body;
    assert.ok(body);
    const error = await ctx.rejection(body.bytes());
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(ctx.server.requests.length, 1);
    await ctx.released(0);
  });

  scenario("S3 GetObject: a streamed body reset after the caller has it: the read fails, the socket is closed", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(stallBody(s3Object(), 2048));
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" });
    const body = out.Body;
    assert.ok(body);
    const chunks: Uint8Array[] = [];
    const reading = (async () => {
      for await (const chunk of body) {
        chunks.push(chunk);
        // The first bytes are in: now the connection breaks.
        if (chunks.length === 1) ctx.server.stalledReset(0);
      }
    })();
    const error = await ctx.rejection(reading);
    assert.ok(error instanceof NetworkError, String(error));
    assert.ok(Buffer.concat(chunks).length <= 2048, "nothing beyond what was sent");
    assert.equal(ctx.server.requests.length, 1);
  });

  scenario("refused connections: retried to maxAttempts, then NetworkError ECONNREFUSED", { transports: ALL_TRANSPORTS }, async (ctx) => {
    const port = await refusedPort();
    const error = await ctx.rejection(dynamodb(ctx, { maxAttempts: 3, endpoint: `http://127.0.0.1:${port}` }).getItem({ TableName: "t", Key: { id: { S: "x" } } }));
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.code, "ECONNREFUSED");
    assert.equal(metadataOf(error).attempts, 3);
    assert.ok(metadataOf(error).totalRetryDelay >= 0);
    assert.equal(ctx.server.requests.length, 0);
  });
}
