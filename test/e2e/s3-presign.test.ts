// Presigned S3 URLs used the way a browser would, with the global fetch and no credentials,
// against s3rver: GET, PUT, HEAD and DELETE of objects, a multipart upload whose parts go
// through presigned URLs, and the two checks s3rver makes of a presigned URL (its access
// key id, its expiry). s3rver does not recompute SigV4 signatures; the core's presign
// tests verify them (packages/core/test/client/presign.test.ts).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { presign, S3, S3ServiceError } from "../../packages/s3/src/index.ts";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { s3rverClient } from "../support/s3rver-client.ts";

const BUCKET = "stratus-presign";

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe("S3 presigned URLs against s3rver", () => {
  let server: RunningServer;
  let s3: S3;

  before(async () => {
    server = await startS3rver();
    s3 = s3rverClient(server.endpoint, { requestChecksumCalculation: "when_required" });
    await s3.createBucket({ Bucket: BUCKET });
  });
  after(async () => {
    await s3.destroy();
    await server.close();
  });

  it("a presigned GET fetched without credentials returns the object's bytes", async () => {
    const data = bytes(70_000, 1);
    await s3.putObject({ Bucket: BUCKET, Key: "get/one.bin", Body: data, ContentType: "application/x-test" });
    const link = await presign.getObject(s3, { Bucket: BUCKET, Key: "get/one.bin" }, { expiresIn: 120 });
    assert.equal(link.method, "GET");
    assert.ok(link.url.startsWith(`${server.endpoint}/${BUCKET}/get/one.bin?`));
    assert.equal(new URL(link.url).searchParams.get("X-Amz-Expires"), "120");

    const response = await fetch(link.url, { headers: link.headers });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/x-test");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), data);
  });

  it("a presigned GET carries response overrides in its signed query", async () => {
    await s3.putObject({ Bucket: BUCKET, Key: "get/report.csv", Body: "a,b\n1,2\n" });
    const link = await presign.getObject(s3, {
      Bucket: BUCKET,
      Key: "get/report.csv",
      ResponseContentDisposition: 'attachment; filename="report.csv"',
      ResponseContentType: "text/csv",
    });
    const response = await fetch(link.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="report.csv"');
    assert.equal(response.headers.get("content-type"), "text/csv");
    assert.equal(await response.text(), "a,b\n1,2\n");
  });

  it("a presigned PUT sent with fetch stores an object that getObject reads back", async () => {
    const data = bytes(123_457, 2);
    const upload = await presign.putObject(s3, { Bucket: BUCKET, Key: "put/from browser.bin", ContentType: "image/png", Metadata: { origin: "fetch" } });
    assert.equal(upload.method, "PUT");
    assert.deepEqual(upload.headers, { "content-type": "image/png", "x-amz-meta-origin": "fetch" });

    const response = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: data });
    assert.equal(response.status, 200, await response.clone().text());
    assert.ok(response.headers.get("etag"));

    const got = await s3.getObject({ Bucket: BUCKET, Key: "put/from browser.bin" });
    assert.equal(got.ContentType, "image/png");
    assert.deepEqual(got.Metadata, { origin: "fetch" });
    assert.deepEqual(await got.Body?.bytes(), data);
  });

  it("a presigned HEAD answers with the object's metadata and no body", async () => {
    await s3.putObject({ Bucket: BUCKET, Key: "head/k.txt", Body: "twelve bytes" });
    const link = await presign.headObject(s3, { Bucket: BUCKET, Key: "head/k.txt" });
    assert.equal(link.method, "HEAD");
    const response = await fetch(link.url, { method: link.method, headers: link.headers });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), "12");
    assert.equal(await response.text(), "");
  });

  it("a presigned DELETE removes the object", async () => {
    await s3.putObject({ Bucket: BUCKET, Key: "delete/k", Body: "x" });
    const link = await presign.deleteObject(s3, { Bucket: BUCKET, Key: "delete/k" });
    const response = await fetch(link.url, { method: link.method });
    assert.equal(response.status, 204);
    await assert.rejects(s3.headObject({ Bucket: BUCKET, Key: "delete/k" }), (error: unknown) => {
      assert.ok(error instanceof S3ServiceError);
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it("a multipart upload whose parts are PUT through presigned URLs completes", async () => {
    // s3rver does not hold parts to S3's 5 MiB minimum, so they can stay small here.
    const parts = [bytes(100_000, 3), bytes(1000, 4)];
    const { UploadId } = await s3.createMultipartUpload({ Bucket: BUCKET, Key: "multipart/big.bin" });
    assert.ok(UploadId);
    const completed: Array<{ ETag: string; PartNumber: number }> = [];
    for (const [index, part] of parts.entries()) {
      const PartNumber = index + 1;
      const link = await presign.uploadPart(s3, { Bucket: BUCKET, Key: "multipart/big.bin", UploadId, PartNumber });
      assert.equal(new URL(link.url).searchParams.get("partNumber"), String(PartNumber));
      const response = await fetch(link.url, { method: link.method, headers: link.headers, body: part });
      assert.equal(response.status, 200);
      const ETag = response.headers.get("etag");
      assert.ok(ETag);
      completed.push({ ETag, PartNumber });
    }
    await s3.completeMultipartUpload({ Bucket: BUCKET, Key: "multipart/big.bin", UploadId, MultipartUpload: { Parts: completed } });
    const got = await s3.getObject({ Bucket: BUCKET, Key: "multipart/big.bin" });
    const stored = await got.Body?.bytes();
    assert.equal(stored?.byteLength, parts[0]!.byteLength + parts[1]!.byteLength);
    assert.deepEqual(stored, new Uint8Array([...parts[0]!, ...parts[1]!]));
  });

  it("the client's presign by operation name gives the helper's URL", async () => {
    const signingDate = new Date();
    const byName = await s3.presign("GetObject", { Bucket: BUCKET, Key: "get/one.bin" }, { signingDate });
    const byHelper = await presign.getObject(s3, { Bucket: BUCKET, Key: "get/one.bin" }, { signingDate });
    assert.equal(byName.url, byHelper.url);
    await assert.rejects(s3.presign("GetObjct", {}), { message: "S3 has no operation GetObjct" });
  });

  it("s3rver refuses an expired URL and one signed by an unknown access key", async () => {
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const expired = await presign.getObject(s3, { Bucket: BUCKET, Key: "get/one.bin" }, { signingDate: anHourAgo, expiresIn: 60 });
    assert.ok(expired.expiresAt.getTime() < Date.now());
    const late = await fetch(expired.url);
    assert.equal(late.status, 403);
    assert.match(await late.text(), /expired/i);

    await using stranger = s3rverClient(server.endpoint, { credentials: { accessKeyId: "NOT-S3RVER", secretAccessKey: "whatever" } });
    const foreign = await presign.getObject(stranger, { Bucket: BUCKET, Key: "get/one.bin" });
    const refused = await fetch(foreign.url);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /InvalidAccessKeyId/);
  });
});
