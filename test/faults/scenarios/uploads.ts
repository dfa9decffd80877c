/**
 * Streamed uploads meet a broken connection. A body the SDK can produce again (bytes, a
 * Blob, `RequestBody.replayable`) is resent byte for byte, as botocore resends a seekable
 * body after rewinding it. A one-shot stream that already went out cannot be: the call
 * fails on its first error and says why (botocore fails the same way when it cannot
 * rewind; here the error names the remedy).
 */
import assert from "node:assert/strict";
import { NetworkError, RequestBody, ServiceError } from "@stratus/core";
import { s3 } from "../clients.ts";
import { assertSameRequestEachAttempt, metadataOf } from "../assertions.ts";
import { resetBeforeHeaders, respond } from "../fault-server.ts";
import { ALL_TRANSPORTS, scenario } from "../harness.ts";
import { OBJECT_BYTES, s3Error, s3PutOk } from "../replies.ts";

/** The object as a source yielding 1 KiB chunks. */
async function* chunksOfObject(): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < OBJECT_BYTES.length; offset += 1024) yield OBJECT_BYTES.subarray(offset, offset + 1024);
}

export function uploadScenarios(): void {
  scenario("S3 PutObject with a replayable stream: reset, then 503 SlowDown, then 200: resent byte for byte", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(resetBeforeHeaders(), respond(s3Error(503, "SlowDown")), respond(s3PutOk()));
    const body = RequestBody.replayable(() => chunksOfObject(), { length: OBJECT_BYTES.length });
    const out = await s3(ctx).putObject({ Bucket: "bucket", Key: "k", Body: body, ContentLength: OBJECT_BYTES.length });
    assert.equal(metadataOf(out).attempts, 3);
    assertSameRequestEachAttempt(ctx.server.requests);
    assert.ok(ctx.server.requests[0]?.body.includes(OBJECT_BYTES.subarray(0, 1024)), "the object's bytes went out");
  });

  scenario("S3 PutObject with a one-shot stream: a reset is not retried, and the error says why", { transports: ALL_TRANSPORTS }, async (ctx) => {
    ctx.server.script(resetBeforeHeaders());
    const body = RequestBody.fromStream(chunksOfObject(), { length: OBJECT_BYTES.length });
    const error = await ctx.rejection(s3(ctx).putObject({ Bucket: "bucket", Key: "k", Body: body, ContentLength: OBJECT_BYTES.length }));
    assert.ok(error instanceof NetworkError, String(error));
    assert.match(error.message, /not retried: the request body, .* is a stream that was already read/);
    assert.equal(metadataOf(error).attempts, 1);
    assert.equal(ctx.server.requests.length, 1);
  });

  scenario("S3 PutObject with a one-shot stream: a 500 is not retried either", {}, async (ctx) => {
    ctx.server.script(respond(s3Error(500, "InternalError")));
    const body = RequestBody.fromStream(chunksOfObject(), { length: OBJECT_BYTES.length });
    const error = await ctx.rejection(s3(ctx).putObject({ Bucket: "bucket", Key: "k", Body: body, ContentLength: OBJECT_BYTES.length }));
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, "InternalError");
    assert.match(error.message, /not retried/);
    assert.equal(metadataOf(error).attempts, 1);
  });
}
