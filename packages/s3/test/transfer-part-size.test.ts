// The transfer manager's arithmetic and its checks: the part size within S3's limits
// (10,000 parts, 5 MiB to 5 GiB), and bad params or options rejected, every problem at
// once, before a single request is sent.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { ValidationError, type HttpHandler } from "@stratus/core";
import { download, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, S3, upload, type UploadParams } from "../src/index.ts";
import { formatBytes, partCount, partSizeFor, tooManyPartsMessage } from "../src/customizations/transfer/part-size.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A client whose transport counts what reaches it and answers nothing. */
function countingClient(): { s3: S3; sent: () => number } {
  let sent = 0;
  const handler: HttpHandler = {
    handle: () => {
      sent++;
      return Promise.reject(new Error("no request should have been sent"));
    },
  };
  const s3 = new S3({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "secret" }, env: {}, http: { handler } });
  return { s3, sent: () => sent };
}

describe("part size", () => {
  it("keeps the caller's size while the body fits in 10,000 parts", () => {
    assert.equal(partSizeFor(undefined, 8 * MiB), 8 * MiB);
    assert.equal(partSizeFor(0, 5 * MiB), 5 * MiB);
    assert.equal(partSizeFor(20 * MiB, 5 * MiB), 5 * MiB);
    assert.equal(partSizeFor(8 * MiB * MAX_PARTS, 8 * MiB), 8 * MiB);
  });

  it("raises it to the smallest whole MiB that fits the body in 10,000 parts", () => {
    assert.equal(partSizeFor(8 * MiB * MAX_PARTS + 1, 8 * MiB), 9 * MiB);
    const hundredGiB = 100 * GiB;
    const size = partSizeFor(hundredGiB, 8 * MiB);
    assert.equal(size, 11 * MiB);
    assert.ok(partCount(hundredGiB, size ?? 0) <= MAX_PARTS);
    assert.ok(partCount(hundredGiB, (size ?? 0) - MiB) > MAX_PARTS, "one MiB less would not fit");
    // 5 TiB (S3's long-standing largest object) fits in parts of 525 MiB.
    const fiveTiB = 5 * 1024 * GiB;
    assert.equal(partSizeFor(fiveTiB, 8 * MiB), 525 * MiB);
    assert.ok(partCount(fiveTiB, 525 * MiB) <= MAX_PARTS);
  });

  it("has no answer when even 10,000 parts of 5 GiB cannot hold the body", () => {
    assert.equal(partSizeFor(MAX_PART_SIZE * MAX_PARTS, MIN_PART_SIZE), MAX_PART_SIZE);
    assert.equal(partSizeFor(MAX_PART_SIZE * MAX_PARTS + 1, MIN_PART_SIZE), undefined);
  });

  it("counts parts, an empty body as one", () => {
    assert.equal(partCount(0, 5 * MiB), 1);
    assert.equal(partCount(5 * MiB, 5 * MiB), 1);
    assert.equal(partCount(5 * MiB + 1, 5 * MiB), 2);
    assert.equal(partCount(20 * MiB, 5 * MiB), 4);
  });

  it("says which part size to pass when a body of unknown length outgrows 10,000 parts", () => {
    const message = tooManyPartsMessage(8 * MiB);
    assert.match(message, /longer than 10,000 parts of 8 MiB \(78\.1 GiB\)/);
    assert.match(message, /Pass a larger partSize/);
    assert.match(message, /16777216 bytes \(16 MiB\) allows 156\.3 GiB/);
    assert.match(message, /ContentLength/);
    assert.equal(formatBytes(17), "17 bytes");
    assert.equal(formatBytes(5 * MiB), "5 MiB");
  });
});

describe("checks before anything is sent", () => {
  const params: UploadParams = { Bucket: "b", Key: "k", Body: "hello" };

  it("rejects bad options, every problem at once", async () => {
    const { s3, sent } = countingClient();
    const error = await upload(s3, params, { partSize: MIN_PART_SIZE - 1, concurrency: 0, multipartThreshold: -1, timeout: -5 }).then(
      () => assert.fail("expected a ValidationError"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ValidationError);
    assert.equal(error.operation, "upload");
    assert.deepEqual(
      error.problems.map((p) => p.path),
      ["options.partSize", "options.multipartThreshold", "options.concurrency", "options.timeout"],
    );
    assert.match(error.message, /options\.partSize: expected a whole number of bytes from 5242880 \(5 MiB\) to 5368709120 \(5 GiB\); got 5242879/);
    assert.match(error.message, /options\.concurrency: expected a whole number, 1 or more; got 0/);
    await assert.rejects(upload(s3, params, { partSize: 6 * GiB }), /options\.partSize/);
    await assert.rejects(upload(s3, params, { partSize: 5 * MiB + 0.5 }), /options\.partSize/);
    await assert.rejects(upload(s3, params, { concurrency: 1.5 }), /options\.concurrency/);
    await assert.rejects(upload(s3, params, { onProgress: "yes" as never }), /options\.onProgress: expected a function/);
    assert.equal(sent(), 0);
    await s3.destroy();
  });

  it("rejects params that cannot be uploaded in parts, or are missing", async () => {
    const { s3, sent } = countingClient();
    const bad = { Bucket: "", Key: "k", Body: undefined, ContentMD5: "abc", ChecksumSHA256: "x", ChecksumAlgorithm: "MD5" } as unknown as UploadParams;
    const error = await upload(s3, bad).then(
      () => assert.fail("expected a ValidationError"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(
      error.problems.map((p) => p.path),
      ["params.Bucket", "params.Body", "params.ContentMD5", "params.ChecksumSHA256", "params.ChecksumAlgorithm"],
    );
    assert.match(error.message, /ContentMD5: describes the whole body in one request/);
    assert.match(error.message, /"MD5" is not one upload\(\) can compute/);
    await assert.rejects(upload(s3, { Bucket: "b", Key: "k", Body: 42 as never }), /params\.Body: expected a string, bytes, a Blob, a Node Readable/);
    await assert.rejects(upload(s3, { ...params, ContentLength: 6 }), /params\.ContentLength: is 6, but the body has 5 bytes/);
    assert.equal(sent(), 0);
    await s3.destroy();
  });

  it("rejects a body of known length too large for S3 without reading it", async () => {
    const { s3, sent } = countingClient();
    let pulled = 0;
    const endless = Readable.from(
      (async function* () {
        pulled++;
        yield new Uint8Array(1);
      })(),
    );
    const tooBig = MAX_PART_SIZE * MAX_PARTS + 1;
    await assert.rejects(upload(s3, { Bucket: "b", Key: "k", Body: endless, ContentLength: tooBig }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /does not fit in 10000 parts of at most 5 GiB/);
      return true;
    });
    assert.equal(pulled, 0);
    assert.equal(sent(), 0);
    endless.destroy();
    await s3.destroy();
  });

  it("rejects an upload whose signal already fired, before reading or sending", async () => {
    const { s3, sent } = countingClient();
    const controller = new AbortController();
    controller.abort(new Error("not today"));
    await assert.rejects(upload(s3, params, { signal: controller.signal }), { name: "AbortError", message: "the call was aborted: not today" });
    assert.equal(sent(), 0);
    await s3.destroy();
  });

  it("checks download's params, target and options the same way", async () => {
    const { s3, sent } = countingClient();
    const error = await download(s3, { Bucket: "b", Key: "k", Range: "bytes=0-1" } as never, 42 as never, { partSize: 1000, concurrency: -1 }).then(
      () => assert.fail("expected a ValidationError"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ValidationError);
    assert.equal(error.operation, "download");
    assert.deepEqual(
      error.problems.map((p) => p.path),
      ["params.Range", "to", "options.partSize", "options.concurrency"],
    );
    assert.match(error.message, /to: expected a file path, a Node Writable or a web WritableStream/);
    assert.equal(sent(), 0);
    await s3.destroy();
  });
});
