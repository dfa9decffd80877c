/**
 * Error statuses and throttling, in each protocol family. What botocore's standard mode
 * does, and so what is asserted: 500/502/503/504 and the throttling codes (DynamoDB's
 * ThrottlingException, S3's SlowDown, EC2's RequestLimitExceeded, query's Throttling) are
 * retried after a backoff; a server's Retry-After stretches that backoff (within bounds,
 * retry/backoff.ts); a validation error is not retried; the last attempt's error reaches
 * the caller with every attempt counted.
 */
import assert from "node:assert/strict";
import { ServiceError } from "@stratus/core";
import { DynamoDBServiceError, ProvisionedThroughputExceededException } from "../../../packages/dynamodb/src/index.ts";
import { dynamodb, ec2, s3, sts } from "../clients.ts";
import { assertSameRequestEachAttempt, metadataOf } from "../assertions.ts";
import { respond, stallBody, truncate, type Reply } from "../fault-server.ts";
import { ALL_TRANSPORTS, scenario } from "../harness.ts";
import { ec2Error, ec2Regions, htmlStatus, ITEM, jsonError, jsonOk, OBJECT_BYTES, queryError, s3Error, s3Object, s3PutOk, stsCallerIdentity } from "../replies.ts";

export function statusScenarios(): void {
  scenario("DynamoDB: 500 then 503 (an HTML page) then 200: retried, the same request each time, idempotency token kept", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(jsonError(500, "InternalServerError")), respond(htmlStatus(503)), respond(jsonOk({})));
    const out = await dynamodb(ctx).transactWriteItems({ TransactItems: [{ Put: { TableName: "t", Item: ITEM } }] });
    assert.equal(metadataOf(out).attempts, 3);
    assert.equal(metadataOf(out).httpStatusCode, 200);
    assert.equal(ctx.server.requests.length, 3);
    assertSameRequestEachAttempt(ctx.server.requests);
    const tokens = ctx.server.requests.map((request) => (JSON.parse(request.body.toString("utf8")) as { ClientRequestToken?: string }).ClientRequestToken);
    assert.match(tokens[0] ?? "", /^[0-9a-f-]{36}$/, "the serializer filled the idempotency token in");
    assert.deepEqual(new Set(tokens).size, 1, "every attempt carries the same token");
  });

  scenario("DynamoDB: ThrottlingException without Retry-After: retried after a short backoff", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(jsonError(400, "ThrottlingException")), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assert.ok(metadataOf(out).totalRetryDelay < 1_000, "no hint: the client's own backoff (a few ms here)");
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("DynamoDB: ThrottlingException with Retry-After: 1 waits the second the server asked for", {}, async (ctx) => {
    ctx.server.script(respond(jsonError(400, "ThrottlingException", { "retry-after": "1" })), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.equal(metadataOf(out).attempts, 2);
    assert.ok(metadataOf(out).totalRetryDelay >= 1_000, `waited ${metadataOf(out).totalRetryDelay} ms`);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("DynamoDB: Retry-After as an HTTP date, from a server whose clock is 2 h behind, still means 1 s", {}, async (ctx) => {
    // The date is read against the response's own Date, not against our clock.
    const serverNow = new Date(Math.floor((Date.now() - 2 * 60 * 60_000) / 1000) * 1000);
    const headers = { date: serverNow.toUTCString(), "retry-after": new Date(serverNow.getTime() + 1000).toUTCString() };
    ctx.server.script(respond(jsonError(400, "ThrottlingException", headers)), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.equal(metadataOf(out).attempts, 2);
    const waited = metadataOf(out).totalRetryDelay;
    assert.ok(waited >= 1000 && waited < 1100, `waited ${waited} ms for a 1 s Retry-After`);
  });

  scenario("DynamoDB: a modelled throttle (ProvisionedThroughputExceededException) on every attempt ends at maxAttempts with its class", {}, async (ctx) => {
    ctx.server.script(...Array.from({ length: 3 }, () => respond(jsonError(400, "ProvisionedThroughputExceededException"))));
    const error = await ctx.rejection(dynamodb(ctx, { maxAttempts: 3 }).getItem({ TableName: "t", Key: { id: { S: "item-1" } } }));
    assert.ok(error instanceof ProvisionedThroughputExceededException);
    assert.ok(error instanceof DynamoDBServiceError);
    assert.equal(error.code, "ProvisionedThroughputExceededException");
    assert.equal(metadataOf(error).attempts, 3);
    assert.equal(metadataOf(error).httpStatusCode, 400);
    assert.equal(ctx.server.requests.length, 3);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("DynamoDB: a ValidationException is not retried", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(jsonError(400, "ValidationException")));
    const error = await ctx.rejection(dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } }));
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "ValidationException");
    assert.equal(metadataOf(error).attempts, 1);
    assert.equal(metadataOf(error).totalRetryDelay, 0);
    assert.equal(ctx.server.requests.length, 1);
  });

  scenario("S3 PutObject: 503 SlowDown then 200: retried with the same body bytes and checksum", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(s3Error(503, "SlowDown")), respond(s3PutOk()));
    const out = await s3(ctx).putObject({ Bucket: "bucket", Key: "a/b.bin", Body: OBJECT_BYTES });
    assert.equal(out.ETag, '"fault-etag"');
    assert.equal(metadataOf(out).attempts, 2);
    const [first, second] = ctx.server.requests;
    assert.ok(first && second);
    assert.deepEqual(first.body, OBJECT_BYTES, "the object went out whole");
    assert.ok(Object.keys(first.headers).some((name) => name.startsWith("x-amz-checksum-")), "a flexible checksum was sent");
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("S3 PutObject: SlowDown with x-amz-retry-after (milliseconds) is honoured", {}, async (ctx) => {
    ctx.server.script(respond(s3Error(503, "SlowDown", { "x-amz-retry-after": "300" })), respond(s3PutOk()));
    const out = await s3(ctx).putObject({ Bucket: "bucket", Key: "k", Body: "hello" });
    assert.equal(metadataOf(out).attempts, 2);
    assert.ok(metadataOf(out).totalRetryDelay >= 300, `waited ${metadataOf(out).totalRetryDelay} ms`);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("S3 GetObject: 500 InternalError then the object: retried, the body read in full", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(s3Error(500, "InternalError")), respond(s3Object()));
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" });
    assert.equal(metadataOf(out).attempts, 2);
    assert.deepEqual(Buffer.from((await out.Body?.bytes()) ?? []), OBJECT_BYTES);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("S3 HeadObject: 503 then 200, both without a body (a HEAD) but with a Content-Length: retried, no body awaited", { transports: ALL_TRANSPORTS }, async (ctx) => {
    const head = (status: number): Reply => ({ status, headers: { "content-length": String(OBJECT_BYTES.length), etag: '"fault-etag"' } });
    ctx.server.script(respond(head(503)), respond(head(200)));
    const out = await s3(ctx).headObject({ Bucket: "bucket", Key: "k" });
    assert.equal(out.ContentLength, OBJECT_BYTES.length);
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("S3 GetObject: NoSuchKey (404) is not retried", {}, async (ctx) => {
    ctx.server.script(respond(s3Error(404, "NoSuchKey")));
    const error = await ctx.rejection(s3(ctx).getObject({ Bucket: "bucket", Key: "k" }));
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "NoSuchKey");
    assert.equal(metadataOf(error).attempts, 1);
  });

  scenario("STS (query): Throttling then 503 ServiceUnavailable then 200", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(queryError(400, "Throttling")), respond(queryError(503, "ServiceUnavailable")), respond(stsCallerIdentity()));
    const out = await sts(ctx).getCallerIdentity();
    assert.equal(out.Account, "123456789012");
    assert.equal(metadataOf(out).attempts, 3);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("S3 PutObject: 400 RequestTimeout (a transient code) is retried", {}, async (ctx) => {
    ctx.server.script(respond(s3Error(400, "RequestTimeout")), respond(s3PutOk()));
    const out = await s3(ctx).putObject({ Bucket: "bucket", Key: "k", Body: OBJECT_BYTES });
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("S3 GetObject: a 503 whose error body stalls, then one cut short, then the object: both retried", { transports: ALL_TRANSPORTS, http: { idleTimeout: 300 } }, async (ctx) => {
    // The error document of a streaming operation is read in full, so its faults are the attempt's.
    ctx.server.script(stallBody(s3Error(503, "SlowDown"), 20), truncate(s3Error(500, "InternalError"), 20), respond(s3Object()));
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" });
    assert.equal(metadataOf(out).attempts, 3);
    assert.deepEqual(Buffer.from((await out.Body?.bytes()) ?? []), OBJECT_BYTES);
    assertSameRequestEachAttempt(ctx.server.requests);
    await ctx.released(0);
  });

  scenario("proxies' pages: 502 and 504 retried; 501 is not", {}, async (ctx) => {
    ctx.server.script(respond(htmlStatus(502)), respond(htmlStatus(504)), respond(stsCallerIdentity()), respond(htmlStatus(501)));
    const client = sts(ctx);
    const out = await client.getCallerIdentity();
    assert.equal(metadataOf(out).attempts, 3);
    const error = await ctx.rejection(client.getCallerIdentity());
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(metadataOf(error).httpStatusCode, 501);
    assert.equal(metadataOf(error).attempts, 1);
  });

  scenario("a bare 429 (no code) is throttling: retried (botocore's legacy mode and the v3 SDK agree; its standard mode would not)", {}, async (ctx) => {
    ctx.server.script(respond(htmlStatus(429)), respond(jsonOk({ Item: ITEM })));
    const out = await dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.equal(metadataOf(out).attempts, 2);
    assert.ok(ctx.logLines.some((line) => /attempt 1 failed .*"kind":"throttling"/.test(line)), "classified as throttling");
  });

  scenario("EC2: RequestLimitExceeded (503) then 200; with Retry-After on every attempt the call still ends at maxAttempts", {}, async (ctx) => {
    ctx.server.script(respond(ec2Error(503, "RequestLimitExceeded")), respond(ec2Regions()));
    const client = ec2(ctx);
    const out = await client.describeRegions();
    assert.equal(out.Regions?.[0]?.RegionName, "us-east-1");
    assert.equal(metadataOf(out).attempts, 2);
    assertSameRequestEachAttempt(ctx.server.requests);

    ctx.server.script(...Array.from({ length: 3 }, () => respond(ec2Error(503, "RequestLimitExceeded", { "retry-after": "0" }))));
    const error = await ctx.rejection(client.describeRegions());
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "RequestLimitExceeded");
    assert.equal(metadataOf(error).attempts, 3);
    assert.equal(ctx.server.requests.length, 5);
  });
}
