/**
 * Requests the service refuses for their signing time or their session token.
 *
 * Clock skew. The server's clock is hours away from ours and it says so in `Date`; it
 * refuses a request signed more than five minutes from its own time (RequestTimeTooSkewed
 * from S3, InvalidSignatureException from DynamoDB, RequestExpired from EC2). The client
 * learns the offset from `Date`, re-signs and resends at once (no backoff, no quota), and
 * signs later calls right the first time. botocore does not do this (its standard mode
 * retries none of these codes; boto/boto3#1252); the v3 SDK does, with backoff. A skew code whose `Date`
 * agrees with ours is a bad signature, not a clock: not retried, as in botocore.
 *
 * Expired token. The service says the session token expired (ExpiredTokenException,
 * ExpiredToken): the credentials are resolved again and the request resent once with the
 * new token; concurrent calls that all hear it share one refresh. botocore never resends
 * (it refreshes ahead of expiry); this is the Go and Ruby SDKs' behaviour.
 */
import assert from "node:assert/strict";
import { ServiceError } from "@stratus/core";
import { dynamodb, ec2, s3, sts } from "../clients.ts";
import { amzDateMs, assertSameRequestEachAttempt, metadataOf } from "../assertions.ts";
import { choose, respond, type Behaviour, type Reply } from "../fault-server.ts";
import { ALL_TRANSPORTS, SESSION_TOKEN, scenario } from "../harness.ts";
import { ec2Error, ec2Regions, ITEM, jsonError, jsonOk, OBJECT_BYTES, queryError, s3Error, s3Object, s3PutOk, stsCallerIdentity, withServerDate } from "../replies.ts";

const HOURS = 60 * 60_000;
/** AWS's tolerance for a request's signing time. */
const TOLERANCE_MS = 5 * 60_000;

/** A server whose clock is `offsetMs` from ours: it checks x-amz-date against it, and dates every answer by it. */
function skewedServer(offsetMs: number, refusal: Reply, answer: Reply): Behaviour {
  return choose((request) => {
    const serverNow = Date.now() + offsetMs;
    const signedAt = amzDateMs(request.headers["x-amz-date"]);
    return respond(withServerDate(Math.abs(signedAt - serverNow) > TOLERANCE_MS ? refusal : answer, offsetMs));
  });
}

function signedNear(request: { headers: Record<string, unknown> } | undefined, serverOffsetMs: number): boolean {
  const signedAt = amzDateMs(request?.headers["x-amz-date"]);
  return Math.abs(signedAt - (Date.now() + serverOffsetMs)) < 60_000;
}

/** The session token a request carried. */
const tokenOf = (request: { headers: Record<string, unknown> }): string => String(request.headers["x-amz-security-token"]);

/** A server that refuses the first session token the provider handed out, and takes any later one. */
function expiresFirstToken(refusal: Reply, answer: Reply): Behaviour {
  return choose((request) => respond(tokenOf(request) === `${SESSION_TOKEN}-1` ? refusal : answer));
}

export function authScenarios(): void {
  scenario("DynamoDB: InvalidSignatureException from a server 2 h ahead: offset learned, re-signed, resent at once; the next call signs right", { transports: ALL_TRANSPORTS }, async (ctx) => {
    const offset = 2 * HOURS;
    ctx.server.script(...Array.from({ length: 3 }, () => skewedServer(offset, jsonError(400, "InvalidSignatureException"), jsonOk({ Item: ITEM }))));
    const client = dynamodb(ctx);
    const out = await client.getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assert.equal(metadataOf(out).totalRetryDelay, 0, "a corrected skew is resent without backoff");
    assert.ok(signedNear(ctx.server.requests[1], offset), "the resend is signed at the server's time");
    assertSameRequestEachAttempt(ctx.server.requests);

    const later = await client.getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.equal(metadataOf(later).attempts, 1, "the offset is kept for later calls");
    assert.ok(signedNear(ctx.server.requests[2], offset));
  });

  scenario("eight concurrent calls signed before the offset was known: every one is corrected and resent, not only the first", { transports: ALL_TRANSPORTS }, async (ctx) => {
    // The v3 SDK resends only the first of such calls (aws/aws-sdk-js-v3#8005): the others
    // find the offset already corrected and take their refusal as final.
    const offset = 2 * HOURS;
    const calls = 8;
    ctx.server.script(...Array.from({ length: 2 * calls }, () => skewedServer(offset, s3Error(403, "RequestTimeTooSkewed"), s3PutOk())));
    const client = s3(ctx);
    const outs = await Promise.all(Array.from({ length: calls }, (_, i) => client.putObject({ Bucket: "bucket", Key: `k${i}`, Body: "x" })));
    assert.ok(outs.every((out) => metadataOf(out).attempts === 2));
    assert.equal(ctx.server.requests.length, 2 * calls);
  });

  scenario("S3 GetObject: RequestTimeTooSkewed from a server a day behind: corrected, resent, the object read", { transports: ALL_TRANSPORTS }, async (ctx) => {
    const offset = -24 * HOURS;
    ctx.server.script(skewedServer(offset, s3Error(403, "RequestTimeTooSkewed"), s3Object()), skewedServer(offset, s3Error(403, "RequestTimeTooSkewed"), s3Object()));
    const out = await s3(ctx).getObject({ Bucket: "bucket", Key: "k" });
    assert.equal(metadataOf(out).attempts, 2);
    assert.deepEqual(Buffer.from((await out.Body?.bytes()) ?? []), OBJECT_BYTES);
    assert.ok(signedNear(ctx.server.requests[1], offset));
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("EC2: RequestExpired with a skewed Date is clock skew (corrected and resent), not an expired token", {}, async (ctx) => {
    const offset = 3 * HOURS;
    const credentials = ctx.refreshingCredentials();
    ctx.server.script(skewedServer(offset, ec2Error(400, "RequestExpired"), ec2Regions()), skewedServer(offset, ec2Error(400, "RequestExpired"), ec2Regions()));
    const out = await ec2(ctx, { credentials }).describeRegions();
    assert.equal(metadataOf(out).attempts, 2);
    assert.equal(credentials.resolved, 1, "the credentials were not refreshed");
    assertSameRequestEachAttempt(ctx.server.requests);
  });

  scenario("a skew code whose Date agrees with ours is a bad signature: not retried", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(respond(withServerDate(jsonError(400, "InvalidSignatureException"), 0)));
    const error = await ctx.rejection(dynamodb(ctx).getItem({ TableName: "t", Key: { id: { S: "item-1" } } }));
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "InvalidSignatureException");
    assert.equal(metadataOf(error).attempts, 1);
  });

  scenario("a server that keeps refusing the corrected time: resent once only, then the skew error", {}, async (ctx) => {
    // Dates 2 h ahead, refusing every request whatever its signing time.
    ctx.server.script(...Array.from({ length: 2 }, () => respond(withServerDate(s3Error(403, "RequestTimeTooSkewed"), 2 * HOURS))));
    const error = await ctx.rejection(s3(ctx, { maxAttempts: 5 }).getObject({ Bucket: "bucket", Key: "k" }));
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "RequestTimeTooSkewed");
    assert.equal(metadataOf(error).attempts, 2);
    assert.equal(ctx.server.requests.length, 2);
  });

  scenario("DynamoDB: ExpiredTokenException: credentials refreshed once, resent with the new token, then cached", { transports: ALL_TRANSPORTS }, async (ctx) => {
    const credentials = ctx.refreshingCredentials();
    ctx.server.script(...Array.from({ length: 3 }, () => expiresFirstToken(jsonError(400, "ExpiredTokenException"), jsonOk({ Item: ITEM }))));
    const client = dynamodb(ctx, { credentials });
    const out = await client.getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.deepEqual(out.Item, ITEM);
    assert.equal(metadataOf(out).attempts, 2);
    assert.equal(metadataOf(out).totalRetryDelay, 0);
    assert.equal(credentials.resolved, 2);
    assert.deepEqual(ctx.server.requests.map(tokenOf), [`${SESSION_TOKEN}-1`, `${SESSION_TOKEN}-2`]);
    assertSameRequestEachAttempt(ctx.server.requests, ["x-amz-security-token"]);

    await client.getItem({ TableName: "t", Key: { id: { S: "item-1" } } });
    assert.equal(credentials.resolved, 2, "the refreshed credentials are kept");
  });

  scenario("S3 PutObject: ExpiredToken: refreshed, the same body resent with the new token", {}, async (ctx) => {
    const credentials = ctx.refreshingCredentials();
    ctx.server.script(...Array.from({ length: 2 }, () => expiresFirstToken(s3Error(400, "ExpiredToken"), s3PutOk())));
    const out = await s3(ctx, { credentials }).putObject({ Bucket: "bucket", Key: "k", Body: OBJECT_BYTES });
    assert.equal(metadataOf(out).attempts, 2);
    assert.equal(credentials.resolved, 2);
    assertSameRequestEachAttempt(ctx.server.requests, ["x-amz-security-token"]);
  });

  scenario("STS (query): ExpiredTokenException on every attempt: refreshed and resent once, then the error", {}, async (ctx) => {
    const credentials = ctx.refreshingCredentials();
    ctx.server.script(respond(queryError(400, "ExpiredTokenException")), respond(queryError(400, "ExpiredTokenException")));
    const error = await ctx.rejection(sts(ctx, { credentials, maxAttempts: 5 }).getCallerIdentity());
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "ExpiredTokenException");
    assert.equal(metadataOf(error).attempts, 2);
    assert.equal(credentials.resolved, 2);
    assert.equal(ctx.server.requests.length, 2);
  });

  scenario("eight concurrent calls all told their token expired share one refresh", { transports: ALL_TRANSPORTS }, async (ctx) => {
    const credentials = ctx.refreshingCredentials();
    const calls = 8;
    ctx.server.script(...Array.from({ length: 2 * calls }, () => expiresFirstToken(jsonError(400, "ExpiredTokenException"), jsonOk({ Item: ITEM }))));
    const client = dynamodb(ctx, { credentials });
    // All eight join the first resolution, so all sign with the first token and are refused.
    const outs = await Promise.all(Array.from({ length: calls }, () => client.getItem({ TableName: "t", Key: { id: { S: "item-1" } } })));
    assert.ok(outs.every((out) => metadataOf(out).attempts === 2));
    const tokens = ctx.server.requests.map(tokenOf);
    assert.equal(tokens.filter((token) => token === `${SESSION_TOKEN}-1`).length, calls);
    const resent = tokens.filter((token) => token !== `${SESSION_TOKEN}-1`);
    assert.deepEqual(resent, Array.from({ length: calls }, () => `${SESSION_TOKEN}-2`), "every resend carries the one refreshed token");
    assert.equal(credentials.resolved, 2, "one refresh for all eight");
  });
}
