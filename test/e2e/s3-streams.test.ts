// Streaming uploads and flexible checksums with the generated S3 client: against s3rver
// (a real S3 server on loopback) for what it supports, and against the loopback
// checksum fake (packages/core/test/support/fake-s3-checksums.ts) for what it does not.
//
// What s3rver does with each kind of upload (3.7.1):
//   - a body with Content-Length, or sent chunked: stored as sent. So with
//     requestChecksumCalculation "when_required" every body kind works: a Node Readable,
//     a web ReadableStream, an async iterable, a Blob/File, of known or unknown length.
//   - x-amz-checksum-* headers (the default for bytes and Blobs): accepted and ignored; it
//     never returns a checksum, so downloads from it go unchecked.
//   - aws-chunked (the default for a one-shot stream): NOT decoded. s3rver accepts
//     STREAMING-UNSIGNED-PAYLOAD-TRAILER and stores the framing itself as the object, with
//     Content-Encoding aws-chunked. The test below decodes what it stored, which checks the
//     framing the client wrote end to end, and shows why "when_required" is the setting for
//     s3rver (and other stores without aws-chunked).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { openAsBlob } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { ChecksumMismatchError, RequestBody } from "@stratus/core";
import { S3 } from "../../packages/s3/src/index.ts";
import { decodeAwsChunked, referenceChecksum, startFakeS3, type FakeS3 } from "../../packages/core/test/support/fake-s3-checksums.ts";
import { S3RVER_CREDENTIALS, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";

const BUCKET = "stratus-streams";

function data(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 17 + seed) & 0xff;
  return out;
}

/** `bytes` as an async generator of small, uneven pieces (a source of unknown length). */
async function* trickle(bytes: Buffer, piece = 3_001): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += piece) yield bytes.subarray(offset, offset + piece);
}

function client(endpoint: string, extra: ConstructorParameters<typeof S3>[0] = {}): S3 {
  return new S3({ region: "us-east-1", endpoint, credentials: S3RVER_CREDENTIALS, endpointParams: { ForcePathStyle: true }, env: {}, ...extra });
}

describe("S3 streaming uploads against s3rver", () => {
  let server: RunningServer;
  let s3: S3;
  /** No checksums unless asked: what s3rver can take for streams. */
  let plain: S3;
  let dir: string;

  before(async () => {
    server = await startS3rver();
    s3 = client(server.endpoint);
    plain = client(server.endpoint, { requestChecksumCalculation: "when_required" });
    dir = mkdtempSync(join(tmpdir(), "stratus-s3-streams-"));
    await s3.createBucket({ Bucket: BUCKET });
  });
  after(async () => {
    await s3.destroy();
    await plain.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function roundTrip(s3client: S3, key: string, body: unknown, expected: Buffer, extra: Record<string, unknown> = {}): Promise<void> {
    await s3client.putObject({ Bucket: BUCKET, Key: key, Body: body as Uint8Array, ...extra });
    const head = await s3.headObject({ Bucket: BUCKET, Key: key });
    assert.equal(head.ContentLength, expected.length, key);
    const got = await s3.getObject({ Bucket: BUCKET, Key: key });
    assert.deepEqual(Buffer.from(await got.Body?.bytes() ?? []), expected, key);
  }

  it("takes every body kind, of known and unknown length, and gives the bytes back", async () => {
    const body = data(1024 * 1024 + 17);
    const path = join(dir, "upload.bin");
    writeFileSync(path, body);
    // Known length: a file stream (from its file), a Blob, a File, a stream with ContentLength.
    await roundTrip(plain, "known/file-stream", createReadStream(path), body);
    await roundTrip(s3, "known/blob", new Blob([body]), body);
    await roundTrip(s3, "known/file", await openAsBlob(path), body);
    await roundTrip(plain, "known/declared", trickle(body), body, { ContentLength: body.length });
    // Unknown length: sent chunked.
    await roundTrip(plain, "unknown/readable", Readable.from(trickle(body)), body);
    await roundTrip(plain, "unknown/web-stream", ReadableStream.from(trickle(body)), body);
    await roundTrip(plain, "unknown/generator", trickle(body, 100), body);
    // Replayable sources and plain bytes, with the default checksum header s3rver ignores.
    await roundTrip(s3, "bytes", body, body);
    await roundTrip(s3, "replayable", RequestBody.replayable(() => createReadStream(path), { length: body.length }), body);
    // An empty stream is an empty object.
    await roundTrip(plain, "empty", Readable.from([]), Buffer.alloc(0));
  });

  it("stores aws-chunked framing as the object (it does not decode it): the framing decodes to the data and its CRC32", async () => {
    const body = data(200_000, 3);
    await s3.putObject({ Bucket: BUCKET, Key: "framed", Body: Readable.from(trickle(body)) });
    const got = await s3.getObject({ Bucket: BUCKET, Key: "framed" });
    assert.equal(got.ContentEncoding, "aws-chunked");
    const stored = Buffer.from(await got.Body?.bytes() ?? []);
    const decoded = decodeAwsChunked(stored);
    assert.deepEqual(decoded.data, body);
    assert.deepEqual(decoded.trailers, { "x-amz-checksum-crc32": referenceChecksum("crc32", body) });
  });

  it("never returns a checksum, so a download is not checked (and still arrives whole)", async () => {
    const got = await s3.getObject({ Bucket: BUCKET, Key: "known/blob", ChecksumMode: "ENABLED" });
    assert.equal(got.ChecksumCRC32, undefined);
    assert.equal((await got.Body?.bytes())?.length, 1024 * 1024 + 17);
  });
});

describe("S3 flexible checksums against the loopback checksum fake", () => {
  let fake: FakeS3;
  let s3: S3;

  before(async () => {
    fake = await startFakeS3();
    s3 = client(fake.url);
  });
  after(async () => {
    await s3.destroy();
    await fake.close();
  });

  it("round trips: each algorithm on upload (trailer for a stream, header for a Blob), checked on download", async () => {
    const body = data(300_000, 7);
    for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const) {
      const lower = algorithm.toLowerCase();
      await s3.putObject({ Bucket: "b", Key: `stream-${lower}`, Body: Readable.from(trickle(body)), ChecksumAlgorithm: algorithm });
      const streamed = fake.puts.at(-1);
      assert.equal(streamed?.error, undefined);
      assert.ok(streamed?.chunked, `${algorithm}: aws-chunked`);
      assert.deepEqual(streamed?.checksum, [lower, referenceChecksum(lower, body)]);

      await s3.putObject({ Bucket: "b", Key: `blob-${lower}`, Body: new Blob([body]), ChecksumAlgorithm: algorithm });
      const blob = fake.puts.at(-1);
      assert.equal(blob?.chunked, undefined, `${algorithm}: a header`);
      assert.deepEqual(blob?.checksum, [lower, referenceChecksum(lower, body)]);

      const got = await s3.getObject({ Bucket: "b", Key: `stream-${lower}` });
      assert.equal(got[`Checksum${algorithm}`], referenceChecksum(lower, body));
      assert.deepEqual(Buffer.from(await got.Body?.bytes() ?? []), body);
    }
  });

  it("a corrupted download is a ChecksumMismatchError, never good data", async () => {
    await s3.putObject({ Bucket: "b", Key: "victim", Body: data(50_000) });
    fake.options.corrupt = "body";
    try {
      const got = await s3.getObject({ Bucket: "b", Key: "victim" });
      await assert.rejects(got.Body?.text() ?? Promise.resolve(), (error: unknown) => {
        assert.ok(error instanceof ChecksumMismatchError);
        assert.equal(error.algorithm, "CRC32");
        return true;
      });
    } finally {
      fake.options.corrupt = undefined;
    }
  });
});
