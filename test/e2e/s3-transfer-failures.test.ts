// upload() and download() when things go wrong, through a loopback proxy in front of s3rver
// (packages/s3/test/support/multipart-proxy.ts) that fails chosen requests and keeps the
// multipart ledger s3rver lacks (AbortMultipartUpload, ListMultipartUploads):
//   - a part that fails twice with 500 is retried by the core and the upload succeeds
//   - a part that always fails (400), or a body that breaks, rejects the upload naming the
//     part and its bytes, AbortMultipartUpload is sent once, no upload is left, and the body
//     stops being read
//   - the caller's abort (mid-upload, while the body stalls, during CreateMultipartUpload) is
//     an AbortError, and no upload is left
//   - a failed CompleteMultipartUpload, or an onProgress listener that throws, aborts it too
//   - per-part checksums on the wire; never more parts in flight than `concurrency`
//   - downloads: one GET for a small object, If-Match on every ranged GET, a failed part or
//     a changed object or a failing destination rejects naming the part and leaves no file,
//     an abort the same
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { AbortError, checksumBase64, createRetryStrategy } from "@stratus/core";
import { download, S3, S3ServiceError, TransferError, upload, type UploadProgress } from "../../packages/s3/src/index.ts";
import { operationOf, startMultipartProxy, type MultipartProxy, type ProxiedRequest } from "../../packages/s3/test/support/multipart-proxy.ts";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { patternBytes, sha256 } from "../support/pattern-bytes.ts";
import { s3rverClient } from "../support/s3rver-client.ts";

const BUCKET = "stratus-transfer-failures";
const MiB = 1024 * 1024;

function partNumberOf(request: ProxiedRequest): number {
  return Number(request.query.get("partNumber"));
}

function isPart(request: ProxiedRequest, n: number): boolean {
  return request.method === "PUT" && request.query.has("uploadId") && partNumberOf(request) === n;
}

describe("upload() and download() failures, through a fault-injecting proxy in front of s3rver", () => {
  let server: RunningServer;
  let proxy: MultipartProxy;
  let s3: S3;
  let dir: string;

  before(async () => {
    server = await startS3rver();
    proxy = await startMultipartProxy(server.endpoint);
    s3 = s3rverClient(proxy.endpoint, {
      requestChecksumCalculation: "when_required",
      // The core's standard retries (3 attempts), with a short backoff so the test is quick.
      retryStrategy: createRetryStrategy({ mode: "standard", maxAttempts: 3 }, { backoff: { baseMs: 5, maxMs: 20 } }),
    });
    await s3.createBucket({ Bucket: BUCKET });
    dir = mkdtempSync(join(tmpdir(), "stratus-transfer-failures-"));
  });
  beforeEach(() => proxy.reset());
  after(async () => {
    await s3.destroy();
    await proxy.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function uploadsLeft(): Promise<number> {
    const listed = await s3.listMultipartUploads({ Bucket: BUCKET });
    return listed.Uploads?.length ?? 0;
  }

  async function stored(key: string): Promise<Uint8Array> {
    const got = await s3.getObject({ Bucket: BUCKET, Key: key });
    return (await got.Body?.bytes()) ?? new Uint8Array(0);
  }

  it("retries a part that fails twice with 500, and the upload succeeds", async () => {
    let failures = 0;
    proxy.intercept = (request) => {
      if (!isPart(request, 2) || failures >= 2) return undefined;
      failures++;
      return { status: 500, code: "InternalError", message: "We encountered an internal error. Please try again." };
    };
    const body = patternBytes(11 * MiB, 1);
    const result = await upload(s3, { Bucket: BUCKET, Key: "transient", Body: body }, { partSize: 5 * MiB });
    assert.equal(result.parts, 3);
    assert.equal(failures, 2);
    const part2 = proxy.sent("UploadPart").filter((r) => partNumberOf(r) === 2);
    assert.deepEqual(part2.map((r) => r.status), [500, 500, 200], "part 2: two failures, then the core's third attempt");
    assert.ok(part2.every((r) => r.bodyBytes === 5 * MiB), "each attempt resent the whole part");
    assert.equal(proxy.sent("AbortMultipartUpload").length, 0);
    assert.equal(sha256(await stored("transient")), sha256(body));
    assert.equal(await uploadsLeft(), 0);
  });

  it("rejects naming the part that always fails, aborts the upload once and leaves none", async () => {
    proxy.intercept = (request) => (isPart(request, 3) ? { status: 400, code: "InvalidArgument", message: "part 3 is refused by the test proxy" } : undefined);
    const error = await upload(s3, { Bucket: BUCKET, Key: "persistent", Body: patternBytes(15 * MiB, 2) }, { partSize: 5 * MiB }).then(
      () => assert.fail("expected the upload to fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TransferError);
    assert.match(error.message, /^uploading part 3 \(bytes 10485760-15728639\) of s3:\/\/stratus-transfer-failures\/persistent failed: InvalidArgument: part 3 is refused by the test proxy/);
    assert.match(error.message, /the multipart upload was aborted$/);
    assert.equal(error.partNumber, 3);
    assert.deepEqual(error.range, { first: 10485760, last: 15728639 });
    assert.ok(error.cause instanceof S3ServiceError);
    assert.equal(error.cause.code, "InvalidArgument");
    assert.equal(error.abortError, undefined);
    assert.equal(proxy.sent("UploadPart").filter((r) => partNumberOf(r) === 3).length, 1, "a 400 is not retried");
    const aborts = proxy.sent("AbortMultipartUpload");
    assert.equal(aborts.length, 1);
    assert.equal(aborts[0]?.query.get("uploadId"), error.uploadId);
    assert.equal(proxy.sent("CompleteMultipartUpload").length, 0);
    assert.equal(await uploadsLeft(), 0);
  });

  it("stops reading a stream once a part failed: the rest of the body is never pulled", async () => {
    proxy.intercept = (request) => (isPart(request, 2) ? { status: 403, code: "AccessDenied", message: "Access Denied" } : undefined);
    let pulled = 0;
    let finished = false;
    async function* hundredMiB(): AsyncGenerator<Uint8Array> {
      try {
        const chunk = patternBytes(MiB, 3);
        for (let i = 0; i < 100; i++) {
          pulled += chunk.length;
          yield chunk.slice();
        }
      } finally {
        finished = true;
      }
    }
    await assert.rejects(upload(s3, { Bucket: BUCKET, Key: "stream-stops", Body: Readable.from(hundredMiB()) }, { partSize: 5 * MiB, concurrency: 2 }), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.equal(error.partNumber, 2);
      assert.match(error.message, /part 2 \(bytes 5242880-10485759\).*AccessDenied/);
      return true;
    });
    // At most: the parts sent, `concurrency` in flight and one being read, plus a chunk of
    // read-ahead in the Readable: far from the 100 MiB the source could give.
    assert.ok(pulled <= 30 * MiB, `pulled ${pulled / MiB} MiB`);
    assert.ok(finished, "the source was closed");
    assert.equal(proxy.sent("AbortMultipartUpload").length, 1);
    assert.equal(await uploadsLeft(), 0);
  });

  it("rejects naming the part whose bytes the body failed to give, and aborts the upload", async () => {
    async function* breaksAfterSixMiB(): AsyncGenerator<Uint8Array> {
      yield patternBytes(6 * MiB, 15);
      throw new Error("the disk went away");
    }
    await assert.rejects(upload(s3, { Bucket: BUCKET, Key: "body-breaks", Body: Readable.from(breaksAfterSixMiB()) }, { partSize: 5 * MiB }), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.match(error.message, /^reading the body for part 2 \(from byte 5242880\) of s3:\/\/stratus-transfer-failures\/body-breaks failed: RequestBodyError: .*the disk went away/);
      assert.match(error.message, /the multipart upload was aborted$/);
      return true;
    });
    assert.equal(proxy.sent("AbortMultipartUpload").length, 1);
    assert.equal(await uploadsLeft(), 0);
  });

  it("rejects with AbortError when the caller aborts mid-upload, and leaves no upload", async () => {
    const controller = new AbortController();
    const events: UploadProgress[] = [];
    const pending = upload(s3, { Bucket: BUCKET, Key: "aborted", Body: patternBytes(20 * MiB, 4) }, {
      partSize: 5 * MiB,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (event) => {
        events.push(event);
        if (event.part !== undefined) controller.abort(new Error("the user cancelled"));
      },
    });
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof AbortError);
      assert.match(error.message, /the user cancelled/);
      return true;
    });
    assert.ok(proxy.sent("UploadPart").length < 4, "not every part was sent");
    assert.equal(proxy.sent("AbortMultipartUpload").length, 1, "aborted once, although the signal had fired");
    assert.equal(proxy.sent("CompleteMultipartUpload").length, 0);
    assert.equal(await uploadsLeft(), 0);
  });

  it("rejects with AbortError when the caller aborts while the body stalls, and leaves no upload", async () => {
    const controller = new AbortController();
    let stalled!: () => void;
    const stalling = new Promise<void>((resolve) => (stalled = resolve));
    async function* stallAfterTwoParts(): AsyncGenerator<Uint8Array> {
      yield patternBytes(10 * MiB + 1, 5);
      stalled();
      await new Promise(() => undefined);
    }
    const pending = upload(s3, { Bucket: BUCKET, Key: "stalled", Body: stallAfterTwoParts() }, { partSize: 5 * MiB, signal: controller.signal });
    await stalling;
    controller.abort();
    await assert.rejects(pending, AbortError);
    assert.equal(proxy.sent("AbortMultipartUpload").length, 1);
    assert.equal(await uploadsLeft(), 0);
  });

  it("rejects at once when the caller aborts during CreateMultipartUpload, and aborts the upload S3 created", async () => {
    const release = Promise.withResolvers<void>();
    const createArrived = Promise.withResolvers<void>();
    proxy.hold = (request) => {
      if (operationOf(request) !== "CreateMultipartUpload") return undefined;
      createArrived.resolve();
      return release.promise;
    };
    const aborted = proxy.answered("AbortMultipartUpload");
    const controller = new AbortController();
    const pending = upload(s3, { Bucket: BUCKET, Key: "abort-while-creating", Body: patternBytes(11 * MiB, 13) }, { partSize: 5 * MiB, signal: controller.signal });
    await createArrived.promise;
    controller.abort();
    await assert.rejects(pending, AbortError);
    // S3 answers the Create after the caller gave up: the upload it made is aborted anyway.
    release.resolve();
    const abort = await aborted;
    assert.equal(abort.status, 204);
    assert.equal(proxy.sent("UploadPart").length, 0);
    assert.equal(await uploadsLeft(), 0);
  });

  it("stops and aborts the upload when the onProgress listener throws", async () => {
    const oops = new Error("listener bug");
    await assert.rejects(
      upload(s3, { Bucket: BUCKET, Key: "listener-throws", Body: patternBytes(11 * MiB, 14) }, {
        partSize: 5 * MiB,
        onProgress: () => {
          throw oops;
        },
      }),
      (error: unknown) => error === oops,
    );
    assert.equal(proxy.sent("AbortMultipartUpload").length, 1);
    assert.equal(proxy.sent("CompleteMultipartUpload").length, 0);
    assert.equal(await uploadsLeft(), 0);
  });

  it("aborts the upload when CompleteMultipartUpload fails", async () => {
    proxy.intercept = (request) =>
      request.method === "POST" && request.query.has("uploadId") ? { status: 400, code: "InvalidPart", message: "One or more of the specified parts could not be found." } : undefined;
    await assert.rejects(upload(s3, { Bucket: BUCKET, Key: "complete-fails", Body: patternBytes(11 * MiB, 6) }, { partSize: 5 * MiB }), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.match(error.message, /^completing the multipart upload of s3:\/\/stratus-transfer-failures\/complete-fails \(3 parts\) failed: InvalidPart/);
      assert.match(error.message, /the multipart upload was aborted$/);
      return true;
    });
    assert.equal(proxy.sent("AbortMultipartUpload").length, 1);
    assert.equal(await uploadsLeft(), 0);
  });

  it("sends per-part checksums when asked (and none otherwise), and completes with the parts in order", async () => {
    const body = patternBytes(12 * MiB, 7);
    await upload(s3, { Bucket: BUCKET, Key: "checksummed", Body: body, ChecksumAlgorithm: "CRC32" }, { partSize: 5 * MiB, concurrency: 3 });
    assert.equal(proxy.sent("CreateMultipartUpload")[0]?.headers["x-amz-checksum-algorithm"], "CRC32");
    const parts = proxy.sent("UploadPart").sort((a, b) => partNumberOf(a) - partNumberOf(b));
    const expected = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)].map((p) => checksumBase64("CRC32", p));
    assert.deepEqual(parts.map((r) => r.headers["x-amz-checksum-crc32"]), expected);
    const xml = proxy.sent("CompleteMultipartUpload")[0]?.text ?? "";
    const listed = [...xml.matchAll(/<Part>(.*?)<\/Part>/g)].map((m) => m[1] ?? "");
    assert.deepEqual(listed.map((p) => /<PartNumber>(\d+)<\/PartNumber>/.exec(p)?.[1]), ["1", "2", "3"]);
    assert.deepEqual(listed.map((p) => /<ChecksumCRC32>([^<]+)<\/ChecksumCRC32>/.exec(p)?.[1]), expected);
    assert.equal(sha256(await stored("checksummed")), sha256(body));

    proxy.reset();
    await upload(s3, { Bucket: BUCKET, Key: "plain", Body: body }, { partSize: 5 * MiB });
    assert.ok(proxy.sent("UploadPart").every((r) => Object.keys(r.headers).every((h) => !h.startsWith("x-amz-checksum-"))));
  });

  it("a client that checksums when supported (the default) gets CRC32 declared for the whole upload, not only on parts", async () => {
    const defaults = s3rverClient(proxy.endpoint);
    try {
      const body = patternBytes(11 * MiB, 9);
      await upload(defaults, { Bucket: BUCKET, Key: "default-checksum", Body: body }, { partSize: 5 * MiB });
      assert.equal(proxy.sent("CreateMultipartUpload")[0]?.headers["x-amz-checksum-algorithm"], "CRC32", "declared when the upload is created");
      const parts = proxy.sent("UploadPart").sort((a, b) => partNumberOf(a) - partNumberOf(b));
      const expected = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)].map((p) => checksumBase64("CRC32", p));
      assert.deepEqual(parts.map((r) => r.headers["x-amz-checksum-crc32"]), expected, "each part carries its own");
      const xml = proxy.sent("CompleteMultipartUpload")[0]?.text ?? "";
      assert.deepEqual([...xml.matchAll(/<ChecksumCRC32>([^<]+)<\/ChecksumCRC32>/g)].map((m) => m[1]), expected, "and the complete request lists them");
    } finally {
      await defaults.destroy();
    }
  });

  it("never has more parts in flight than `concurrency`", async () => {
    const body = patternBytes(20 * MiB, 8);
    await upload(s3, { Bucket: BUCKET, Key: "bounded", Body: body }, { partSize: 5 * MiB, concurrency: 2 });
    assert.equal(proxy.sent("UploadPart").length, 4);
    const peak = proxy.peakInFlight("UploadPart");
    assert.ok(peak >= 1 && peak <= 2, `at most 2 parts at once, saw ${peak}`);
    assert.equal(sha256(await stored("bounded")), sha256(body));
  });

  describe("download()", () => {
    let etag: string;
    const body = patternBytes(12 * MiB + 9, 9);

    before(async () => {
      etag = (await upload(s3, { Bucket: BUCKET, Key: "source", Body: body }, { partSize: 5 * MiB })).ETag ?? "";
      await s3.putObject({ Bucket: BUCKET, Key: "small", Body: "small object" });
    });

    it("fetches a small object with one GET", async () => {
      const chunks: Uint8Array[] = [];
      const sink = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
      assert.equal((await download(s3, { Bucket: BUCKET, Key: "small" }, sink)).bytes, 12);
      assert.equal(proxy.sent("GetObject").length, 1);
      assert.equal(Buffer.concat(chunks).toString("utf8"), "small object");
    });

    it("pins every ranged GET after the first to the first one's ETag", async () => {
      const target = join(dir, "pinned.bin");
      await download(s3, { Bucket: BUCKET, Key: "source" }, target, { partSize: 4 * MiB });
      const gets = proxy.sent("GetObject");
      assert.deepEqual(
        gets.map((r) => r.headers.range),
        ["bytes=0-4194303", "bytes=4194304-8388607", "bytes=8388608-12582911", "bytes=12582912-12582920"],
      );
      assert.equal(gets[0]?.headers["if-match"], undefined);
      assert.ok(gets.slice(1).every((r) => r.headers["if-match"] === etag));
    });

    it("rejects naming a part that keeps failing, and leaves no file", async () => {
      proxy.intercept = (request) =>
        request.method === "GET" && request.headers.range === "bytes=4194304-8388607" ? { status: 500, code: "InternalError", message: "We encountered an internal error." } : undefined;
      const target = join(dir, "failed.bin");
      await assert.rejects(download(s3, { Bucket: BUCKET, Key: "source" }, target, { partSize: 4 * MiB, concurrency: 2 }), (error: unknown) => {
        assert.ok(error instanceof TransferError);
        assert.match(error.message, /^downloading part 2 \(bytes 4194304-8388607\) of s3:\/\/stratus-transfer-failures\/source failed: InternalError/);
        assert.equal(error.partNumber, 2);
        return true;
      });
      assert.equal(proxy.sent("GetObject").filter((r) => r.headers.range === "bytes=4194304-8388607").length, 3, "the core retried it");
      assert.equal(existsSync(target), false);
      assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith("failed.bin")), [], "no temporary file is left");
    });

    it("says the object changed when a ranged GET's If-Match fails", async () => {
      proxy.intercept = (request) =>
        request.method === "GET" && request.headers.range === "bytes=8388608-12582911" ? { status: 412, code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold" } : undefined;
      const target = join(dir, "changed.bin");
      await assert.rejects(download(s3, { Bucket: BUCKET, Key: "source" }, target, { partSize: 4 * MiB }), (error: unknown) => {
        assert.ok(error instanceof TransferError);
        assert.match(error.message, /part 3 \(bytes 8388608-12582911\).*the object changed during the download \(its ETag is no longer/);
        return true;
      });
      assert.equal(existsSync(target), false);
    });

    it("rejects naming the part the destination stream failed on, and destroys it", async () => {
      let received = 0;
      const failing = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          callback(received > 5 * MiB ? new Error("disk full") : null);
        },
      });
      const failed = new Promise<void>((resolve) => failing.on("error", () => resolve()));
      await assert.rejects(download(s3, { Bucket: BUCKET, Key: "source" }, failing, { partSize: 4 * MiB }), (error: unknown) => {
        assert.ok(error instanceof TransferError);
        assert.match(error.message, /^writing part 2 \(bytes 4194304-8388607\) of s3:\/\/stratus-transfer-failures\/source to the destination failed: Error: disk full/);
        return true;
      });
      await failed;
      assert.ok(failing.destroyed);
    });

    it("rejects with AbortError when the caller aborts, and leaves no file", async () => {
      const controller = new AbortController();
      const target = join(dir, "aborted.bin");
      const pending = download(s3, { Bucket: BUCKET, Key: "source" }, target, {
        partSize: MiB,
        concurrency: 2,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.loaded >= 2 * MiB) controller.abort();
        },
      });
      await assert.rejects(pending, AbortError);
      assert.equal(existsSync(target), false);
      assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith("aborted.bin")), []);
    });
  });
});
