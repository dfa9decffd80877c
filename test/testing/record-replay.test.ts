// recordHttp / replayHttp against real peers: a session against s3rver (put, get, list) and
// one against dynalite (put, get) are recorded, saved, the server stopped, and replayed
// with a fresh client: the same outputs, streamed bodies still streaming, no secret in the
// saved file, and a request that was never recorded failing loudly.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecording, recordHttp, replayHttp, ReplayMismatchError } from "@stratus/core/testing";
import { DynamoDB } from "../../packages/dynamodb/src/index.ts";
import { S3 } from "../../packages/s3/src/index.ts";
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS, startDynalite, startS3rver } from "../../scripts/local-servers.ts";
import { findSecrets } from "../support/secret-scanner.ts";
import type { ClientConfig, HttpHandler } from "@stratus/core";

/** A session token makes the signed requests carry x-amz-security-token: it must not be recorded. */
const SESSION_TOKEN = "FwoGZXIvYXdzEJr-session-token-that-must-not-be-recorded-0123456789abcdef";
/** s3rver checks the access key id only: any secret signs. */
const SECRET_KEY = "s3rver-secret-access-key-that-must-not-be-recorded";

describe("record and replay", () => {
  let folder: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "stratus-recordings-"));
  });
  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it("an S3 session against s3rver replays with a fresh client after the server is gone", async () => {
    const server = await startS3rver();
    const credentials = { accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN };
    const config = (handler: HttpHandler): ClientConfig => ({
      region: "us-east-1",
      endpoint: server.endpoint,
      credentials,
      endpointParams: { ForcePathStyle: true },
      requestChecksumCalculation: "when_required",
      env: {},
      http: { handler },
    });
    const session = async (s3: S3) => {
      await s3.createBucket({ Bucket: "recorded" });
      const put = await s3.putObject({ Bucket: "recorded", Key: "notes/hello.txt", Body: "hello, recording", ContentType: "text/plain" });
      const large = "x".repeat(100_000);
      await s3.putObject({ Bucket: "recorded", Key: "large.txt", Body: large });
      const got = await s3.getObject({ Bucket: "recorded", Key: "notes/hello.txt" });
      const text = await got.Body?.text();
      const big = await s3.getObject({ Bucket: "recorded", Key: "large.txt" });
      let chunks = 0;
      let size = 0;
      for await (const chunk of big.Body ?? []) {
        chunks++;
        size += chunk.byteLength;
      }
      const listed = await s3.listObjectsV2({ Bucket: "recorded" });
      return {
        etag: put.ETag,
        text,
        contentType: got.ContentType,
        lastModified: got.LastModified?.toISOString(),
        size,
        chunks,
        keys: listed.Contents?.map((object) => object.Key),
      };
    };

    const recorder = recordHttp();
    const live = new S3(config(recorder));
    const recorded = await session(live);
    const path = join(folder, "s3.json");
    await recorder.save(path);
    if (process.env["KEEP_RECORDING"]) await recorder.save(process.env["KEEP_RECORDING"]);
    await live.destroy();
    await recorder.destroy();
    await server.close();

    assert.equal(recorded.text, "hello, recording");
    assert.deepEqual(recorded.keys, ["large.txt", "notes/hello.txt"]);
    const saved = readFileSync(path, "utf8");
    assert.deepEqual(findSecrets([saved], [SESSION_TOKEN, SECRET_KEY]), []);
    assert.doesNotMatch(saved, /authorization|x-amz-security-token|amz-sdk-invocation-id|x-amz-date|user-agent|Signature=/i);
    const recording = await loadRecording(path);
    assert.deepEqual(
      recording.exchanges.map((exchange) => `${exchange.request.method} ${new URL(exchange.request.url).pathname}`),
      ["PUT /recorded", "PUT /recorded/notes/hello.txt", "PUT /recorded/large.txt", "GET /recorded/notes/hello.txt", "GET /recorded/large.txt", "GET /recorded"],
    );

    const replay = replayHttp(path, { chunkSize: 8192 });
    const fresh = new S3(config(replay));
    const replayed = await session(fresh);
    assert.deepEqual({ ...replayed, chunks: 0 }, { ...recorded, chunks: 0 });
    assert.ok(replayed.chunks >= 100_000 / 8192, `the replayed body streams in chunks (got ${replayed.chunks})`);
    assert.deepEqual(replay.unused, []);

    // A request the session never made names the closest recorded one and what differs.
    const error = await fresh.getObject({ Bucket: "recorded", Key: "notes/other.txt" }).then(
      () => assert.fail("expected a mismatch"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ReplayMismatchError);
    assert.match(error.message, /^replayHttp: no recorded exchange matches GET http:\/\/127\.0\.0\.1:\d+\/recorded\/notes\/other\.txt; the closest recorded exchange is #4, GET http:\/\/127\.0\.0\.1:\d+\/recorded\/notes\/hello\.txt, which differs in:\n {2}- path: recorded \/recorded\/notes\/hello\.txt, sent \/recorded\/notes\/other\.txt$/);
    assert.equal((error as { isConnectionError?: boolean }).isConnectionError, undefined, "not retried as a connection error");
    await fresh.destroy();
  });

  it("a DynamoDB session against dynalite replays, in request order or as a strict sequence", async () => {
    const server = await startDynalite();
    const config = (handler: HttpHandler): ClientConfig => ({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, env: {}, http: { handler } });
    const session = async (ddb: DynamoDB) => {
      await ddb.createTable({
        TableName: "recorded",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      });
      await ddb.waitUntil.tableExists({ TableName: "recorded" }, { minDelay: 10, maxWait: 20_000 });
      await ddb.putItem({ TableName: "recorded", Item: { id: { S: "ada" }, visits: { N: "3" }, tags: { SS: ["a", "b"] } } });
      const got = await ddb.getItem({ TableName: "recorded", Key: { id: { S: "ada" } } });
      const missing = await ddb.getItem({ TableName: "recorded", Key: { id: { S: "bob" } } });
      return { item: got.Item, missing: missing.Item };
    };

    const recorder = recordHttp();
    const live = new DynamoDB(config(recorder));
    const recorded = await session(live);
    await live.destroy();
    await recorder.destroy();
    await server.close();
    assert.deepEqual(recorded, { item: { id: { S: "ada" }, visits: { N: "3" }, tags: { SS: ["a", "b"] } }, missing: undefined });
    const path = join(folder, "dynamodb.json");
    await recorder.save(path);
    assert.deepEqual(findSecrets([readFileSync(path, "utf8")], [LOCAL_CREDENTIALS.secretAccessKey]), []);

    for (const match of ["request", "sequence"] as const) {
      const replay = replayHttp(recorder.exchanges, { match });
      const fresh = new DynamoDB(config(replay));
      assert.deepEqual(await session(fresh), recorded, match);
      assert.deepEqual(replay.unused, [], match);
      await fresh.destroy();
    }

    // In sequence mode, a request out of order names the exchange that was next.
    const strict = new DynamoDB({ ...config(replayHttp(recorder.exchanges, { match: "sequence" })), maxAttempts: 1 });
    const error = await strict.getItem({ TableName: "recorded", Key: { id: { S: "ada" } } }).then(
      () => assert.fail("expected a mismatch"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ReplayMismatchError);
    assert.match(error.message, /the next recorded exchange is #1, POST http:\/\/127\.0\.0\.1:\d+\/ \(x-amz-target: DynamoDB_20120810\.CreateTable\), which differs in:\n {2}- header x-amz-target: recorded "DynamoDB_20120810\.CreateTable", sent "DynamoDB_20120810\.GetItem"\n {2}- body \(from byte 2\): /);
    await strict.destroy();
  });
});
