// upload() and download() against s3rver: every kind of body, known and unknown length, one
// PutObject or many parts, progress events, and downloads into a file, a Node stream and a
// web stream, compared byte for byte. (The failure paths are in s3-transfer-failures, the
// memory bound in s3-transfer-rss.)
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { openAsBlob } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { download, NoSuchKey, S3, upload, type TransferProgress, type UploadProgress } from "../../packages/s3/src/index.ts";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { patternBytes, sha256 } from "../support/pattern-bytes.ts";
import { s3rverClient } from "../support/s3rver-client.ts";

const BUCKET = "stratus-transfer";
const MiB = 1024 * 1024;

/** `bytes` in uneven pieces, as a source of unknown length would give them. */
async function* pieces(bytes: Uint8Array, size = 100_003): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.slice(offset, offset + size);
}

/** Progress events: loaded never decreases, and the last one says loaded === total === size. */
function assertProgress(events: readonly TransferProgress[], size: number): void {
  assert.ok(events.length > 0, "at least one progress event");
  for (let i = 1; i < events.length; i++) {
    assert.ok((events[i]?.loaded ?? 0) >= (events[i - 1]?.loaded ?? 0), `loaded is monotonic at event ${i}`);
  }
  const last = events.at(-1);
  assert.equal(last?.loaded, size);
  assert.equal(last?.total, size);
}

describe("upload() and download() against s3rver", () => {
  let server: RunningServer;
  let s3: S3;
  let dir: string;

  before(async () => {
    server = await startS3rver();
    s3 = s3rverClient(server.endpoint, { requestChecksumCalculation: "when_required" });
    await s3.createBucket({ Bucket: BUCKET });
    dir = mkdtempSync(join(tmpdir(), "stratus-transfer-"));
  });
  after(async () => {
    await s3.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function stored(key: string): Promise<Uint8Array> {
    const got = await s3.getObject({ Bucket: BUCKET, Key: key });
    return (await got.Body?.bytes()) ?? new Uint8Array(0);
  }

  it("sends a small string as one PutObject", async () => {
    const events: UploadProgress[] = [];
    const result = await upload(s3, { Bucket: BUCKET, Key: "small.txt", Body: "hello, transfer", ContentType: "text/plain", Metadata: { origin: "test" } }, { onProgress: (e) => events.push(e) });
    assert.equal(result.parts, 0);
    assert.equal(result.Bucket, BUCKET);
    assert.equal(result.Key, "small.txt");
    assert.ok(result.ETag);
    assert.deepEqual(events, [{ loaded: 15, total: 15 }]);
    const head = await s3.headObject({ Bucket: BUCKET, Key: "small.txt" });
    assert.equal(head.ContentType, "text/plain");
    assert.deepEqual(head.Metadata, { origin: "test" });
    assert.equal(Buffer.from(await stored("small.txt")).toString("utf8"), "hello, transfer");
  });

  it("sends 20 MiB of bytes as 4 parts of 5 MiB, byte for byte, with monotonic progress", async () => {
    const body = patternBytes(20 * MiB, 2);
    const events: UploadProgress[] = [];
    const result = await upload(s3, { Bucket: BUCKET, Key: "bytes-20", Body: body, ContentType: "application/octet-stream" }, { partSize: 5 * MiB, onProgress: (e) => events.push(e) });
    assert.equal(result.parts, 4);
    assert.ok(result.ETag);
    assert.ok(result.Location?.includes("bytes-20"));
    assertProgress(events, body.length);
    assert.deepEqual(
      events.filter((e) => e.part !== undefined).map((e) => e.part).sort(),
      [1, 2, 3, 4],
      "one event per part",
    );
    assert.ok(events.every((e) => e.total === body.length), "the total is known from the start");
    const got = await stored("bytes-20");
    assert.equal(got.length, body.length);
    assert.equal(sha256(got), sha256(body));
    assert.equal((await s3.headObject({ Bucket: BUCKET, Key: "bytes-20" })).ContentType, "application/octet-stream");
  });

  it("sends a Node Readable of unknown length in parts, the last one short", async () => {
    const body = patternBytes(12 * MiB + 12_345, 3);
    const events: UploadProgress[] = [];
    const result = await upload(s3, { Bucket: BUCKET, Key: "readable", Body: Readable.from(pieces(body)) }, { partSize: 5 * MiB, concurrency: 2, onProgress: (e) => events.push(e) });
    assert.equal(result.parts, 3);
    assertProgress(events, body.length);
    assert.equal(sha256(await stored("readable")), sha256(body));
  });

  it("sends a web ReadableStream of unknown length, and one that ends within a part as one PutObject", async () => {
    const body = patternBytes(11 * MiB, 4);
    const events: UploadProgress[] = [];
    const result = await upload(s3, { Bucket: BUCKET, Key: "web-stream", Body: ReadableStream.from(pieces(body, 65_536)) }, { partSize: 5 * MiB, onProgress: (e) => events.push(e) });
    assert.equal(result.parts, 3);
    assertProgress(events, body.length);
    assert.equal(sha256(await stored("web-stream")), sha256(body));

    const short = patternBytes(3 * MiB, 5);
    const single = await upload(s3, { Bucket: BUCKET, Key: "web-stream-short", Body: ReadableStream.from(pieces(short)) }, { partSize: 5 * MiB });
    assert.equal(single.parts, 0);
    assert.equal(sha256(await stored("web-stream-short")), sha256(short));
  });

  it("sends exactly one part's worth of a stream as one PutObject, and one byte more as two parts", async () => {
    const exact = patternBytes(5 * MiB, 6);
    assert.equal((await upload(s3, { Bucket: BUCKET, Key: "exact", Body: pieces(exact) }, { partSize: 5 * MiB })).parts, 0);
    assert.equal(sha256(await stored("exact")), sha256(exact));
    const over = patternBytes(5 * MiB + 1, 7);
    assert.equal((await upload(s3, { Bucket: BUCKET, Key: "over", Body: pieces(over) }, { partSize: 5 * MiB })).parts, 2);
    assert.equal(sha256(await stored("over")), sha256(over));
  });

  it("sends a file Blob and a file stream of known length in parts, and an empty stream as an empty object", async () => {
    const body = patternBytes(10 * MiB + 7, 8);
    const path = join(dir, "source.bin");
    writeFileSync(path, body);
    const fromBlob = await upload(s3, { Bucket: BUCKET, Key: "blob", Body: await openAsBlob(path) }, { partSize: 5 * MiB });
    assert.equal(fromBlob.parts, 3);
    assert.equal(sha256(await stored("blob")), sha256(body));
    const { createReadStream } = await import("node:fs");
    const events: UploadProgress[] = [];
    const fromFile = await upload(s3, { Bucket: BUCKET, Key: "file-stream", Body: createReadStream(path) }, { partSize: 5 * MiB, onProgress: (e) => events.push(e) });
    assert.equal(fromFile.parts, 3);
    assert.ok(events.every((e) => e.total === body.length), "a file stream's size is known up front");
    assert.equal(sha256(await stored("file-stream")), sha256(body));

    const empty = await upload(s3, { Bucket: BUCKET, Key: "empty", Body: Readable.from([]) });
    assert.equal(empty.parts, 0);
    assert.equal((await stored("empty")).length, 0);
  });

  it("goes multipart below the part size when multipartThreshold says so, with per-part checksums when asked", async () => {
    const body = patternBytes(3 * MiB, 9);
    const result = await upload(s3, { Bucket: BUCKET, Key: "threshold", Body: body, ChecksumAlgorithm: "crc32c" }, { multipartThreshold: MiB });
    assert.equal(result.parts, 1);
    assert.equal(sha256(await stored("threshold")), sha256(body));
  });

  it("rejects a stream shorter than its declared ContentLength, naming the sizes", async () => {
    const body = patternBytes(6 * MiB, 10);
    await assert.rejects(
      upload(s3, { Bucket: BUCKET, Key: "short-stream", Body: Readable.from(pieces(body)), ContentLength: 6 * MiB + 1 }, { partSize: 5 * MiB }),
      (error: Error) => {
        assert.equal(error.name, "TransferError");
        assert.match(error.message, /part 2 .*the body ended after 6291456 bytes, but its length was given as 6291457/);
        return true;
      },
    );
  });

  it("downloads into a file in ranged parts, leaving only the file", async () => {
    const body = patternBytes(13 * MiB + 5, 11);
    await upload(s3, { Bucket: BUCKET, Key: "download-me", Body: body, ContentType: "application/x-test" }, { partSize: 5 * MiB });
    const target = join(dir, "downloaded.bin");
    writeFileSync(target, "an older file, replaced only once the download succeeded");
    const events: TransferProgress[] = [];
    const result = await download(s3, { Bucket: BUCKET, Key: "download-me" }, target, { partSize: 3 * MiB, concurrency: 3, onProgress: (e) => events.push(e) });
    assert.equal(result.bytes, body.length);
    assert.equal(result.ContentType, "application/x-test");
    assert.ok(result.ETag);
    assertProgress(events, body.length);
    assert.equal(sha256(readFileSync(target)), sha256(body));
    assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith("downloaded.bin")), ["downloaded.bin"], "no temporary file is left");
  });

  it("downloads into a Node Writable and a web WritableStream, ending each", async () => {
    const body = patternBytes(9 * MiB + 3, 12);
    await upload(s3, { Bucket: BUCKET, Key: "to-streams", Body: body });

    const path = join(dir, "node-stream.bin");
    const fileStream = createWriteStream(path);
    const viaNode = await download(s3, { Bucket: BUCKET, Key: "to-streams" }, fileStream, { partSize: 2 * MiB });
    assert.equal(viaNode.bytes, body.length);
    assert.ok(fileStream.writableFinished, "the stream was ended");
    assert.equal(sha256(readFileSync(path)), sha256(body));

    // A slow reader on the other side of a PassThrough: the download waits for 'drain'.
    const pass = new PassThrough({ highWaterMark: 64 * 1024 });
    const hash = createHash("sha256");
    const read = (async () => {
      let n = 0;
      for await (const chunk of pass) {
        hash.update(chunk as Buffer);
        n += (chunk as Buffer).length;
      }
      return n;
    })();
    await download(s3, { Bucket: BUCKET, Key: "to-streams" }, pass, { partSize: MiB, concurrency: 2 });
    assert.equal(await read, body.length);
    assert.equal(hash.digest("hex"), sha256(body));

    const webHash = createHash("sha256");
    let webBytes = 0;
    let closed = false;
    const web = new WritableStream<Uint8Array>({
      write(chunk) {
        webHash.update(chunk);
        webBytes += chunk.length;
      },
      close() {
        closed = true;
      },
    });
    const viaWeb = await download(s3, { Bucket: BUCKET, Key: "to-streams" }, web, { partSize: 4 * MiB });
    assert.equal(viaWeb.bytes, body.length);
    assert.equal(webBytes, body.length);
    assert.ok(closed, "the web stream was closed");
    assert.equal(webHash.digest("hex"), sha256(body));
  });

  it("downloads a small object and an empty one, each into a file", async () => {
    await upload(s3, { Bucket: BUCKET, Key: "tiny", Body: "tiny body" });
    const tiny = join(dir, "tiny.txt");
    const events: TransferProgress[] = [];
    assert.equal((await download(s3, { Bucket: BUCKET, Key: "tiny" }, tiny, { onProgress: (e) => events.push(e) })).bytes, 9);
    assert.equal(readFileSync(tiny, "utf8"), "tiny body");
    assertProgress(events, 9);

    await upload(s3, { Bucket: BUCKET, Key: "nothing", Body: "" });
    const nothing = join(dir, "nothing.bin");
    const emptyEvents: TransferProgress[] = [];
    assert.equal((await download(s3, { Bucket: BUCKET, Key: "nothing" }, nothing, { onProgress: (e) => emptyEvents.push(e) })).bytes, 0);
    assert.equal(readFileSync(nothing).length, 0);
    assert.deepEqual(emptyEvents, [{ loaded: 0, total: 0 }]);
  });

  it("throws the service's error for a missing object and creates no file", async () => {
    const target = join(dir, "missing.bin");
    await assert.rejects(download(s3, { Bucket: BUCKET, Key: "no-such-key" }, target), (error: unknown) => error instanceof NoSuchKey);
    assert.equal(existsSync(target), false);
    assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith("missing.bin")), []);
  });
});
