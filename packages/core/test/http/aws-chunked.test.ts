// aws-chunked framing with an unsigned payload and a trailing checksum: the frames and the
// trailer decode back to the data whatever the source's chunking, the announced framed
// length is the real one for every size around the frame boundaries, and over the wire
// (the Node transport to a loopback fake that decodes strictly and checks the trailer
// with its own CRC) a body of known length goes with Content-Length and one of unknown
// length chunked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checksumBase64Length, createChecksum } from "../../src/checksums/algorithms.ts";
import { bytesToBase64 } from "../../src/platform/bytes.ts";
import { createNodeHttpHandler } from "../../src/http/node-handler.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { RequestBody } from "../../src/http/request-body.ts";
import { applyAwsChunked, awsChunkedLength, encodeAwsChunked, type ChunkTrailer } from "../../src/signing/aws-chunked.ts";
import { decodeAwsChunked, referenceChecksum, startFakeS3 } from "../support/fake-s3-checksums.ts";

function trailer(algorithm: "CRC32" | "CRC64NVME" | "SHA256"): ChunkTrailer {
  return {
    name: `x-amz-checksum-${algorithm.toLowerCase()}`,
    valueLength: checksumBase64Length(algorithm),
    start() {
      const checksum = createChecksum(algorithm);
      return { update: (chunk) => checksum.update(chunk), value: () => bytesToBase64(checksum.digest()) };
    },
  };
}

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

/** `data` as a source that yields pieces of the given sizes, cycling. */
async function* pieces(data: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

test("frames, zero frame and trailer decode back to the data; the announced length is exact around every boundary", async () => {
  const frame = 1024; // small frames keep the test fast; the rules do not depend on the size
  const sizes = [0, 1, frame - 1, frame, frame + 1, 2 * frame, 3 * frame + 5];
  const chunkings = [[1_000_000], [frame], [1], [3000, 7, 9000], [frame * 2 + 1]];
  for (const algorithm of ["CRC32", "CRC64NVME", "SHA256"] as const) {
    for (const size of sizes) {
      const data = bytes(size, size);
      for (const chunking of chunkings) {
        const framed = await collect(encodeAwsChunked(pieces(data, chunking), trailer(algorithm), frame));
        const what = `${algorithm}, ${size} bytes in pieces of ${chunking.join("/")}`;
        assert.equal(framed.length, awsChunkedLength(size, trailer(algorithm), frame), `length: ${what}`);
        const decoded = decodeAwsChunked(framed, frame);
        assert.deepEqual(decoded.data, Buffer.from(data), `data: ${what}`);
        // Fixed frames: all full but the last, whatever the source's pieces were.
        assert.deepEqual(decoded.frames, [...Array(Math.floor(size / frame)).fill(frame), ...(size % frame ? [size % frame] : [])], `frames: ${what}`);
        const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
        assert.deepEqual(Object.keys(decoded.trailers), [name]);
        assert.equal(decoded.trailers[name], referenceChecksum(algorithm.toLowerCase(), data), `trailer: ${what}`);
      }
    }
  }
});

test("the exact bytes of a small body: size lines in hex, CRLFs, the trailer, the blank line", async () => {
  const framed = await collect(encodeAwsChunked(pieces(new TextEncoder().encode("hello world"), [5, 6]), trailer("CRC32"), 8));
  assert.equal(framed.toString("latin1"), `8\r\nhello wo\r\n3\r\nrld\r\n0\r\nx-amz-checksum-crc32:${referenceChecksum("crc32", Buffer.from("hello world"))}\r\n\r\n`);
  const empty = await collect(encodeAwsChunked(pieces(new Uint8Array(0), [1]), trailer("CRC32"), 8));
  assert.equal(empty.toString("latin1"), "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
});

test("a source chunk that is a whole frame is passed through, not copied", async () => {
  const data = bytes(3 * 8192);
  const out: Uint8Array[] = [];
  for await (const chunk of encodeAwsChunked(pieces(data, [8192]), trailer("CRC32"), 8192)) out.push(chunk);
  const frames = out.filter((chunk) => chunk.byteLength === 8192);
  assert.equal(frames.length, 3);
  for (const frame of frames) assert.equal(frame.buffer, data.buffer);
});

test("applyAwsChunked: the headers S3 needs, an existing content-encoding kept first, the body's replay rule kept", () => {
  const request: HttpRequest = {
    method: "PUT", protocol: "https:", hostname: "b.s3.amazonaws.com", path: "/k", query: [],
    headers: { "content-length": "100000", "content-encoding": "gzip" },
  };
  const known = applyAwsChunked(request, RequestBody.replayable(() => pieces(bytes(100_000), [4096]), { length: 100_000 }), trailer("CRC32"));
  assert.equal(known.headers["content-encoding"], "gzip,aws-chunked");
  assert.equal(known.headers["x-amz-content-sha256"], "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  assert.equal(known.headers["x-amz-trailer"], "x-amz-checksum-crc32");
  assert.equal(known.headers["x-amz-decoded-content-length"], "100000");
  assert.equal(known.headers["content-length"], String(awsChunkedLength(100_000, trailer("CRC32"))));
  assert.ok(known.body instanceof RequestBody && known.body.replayable);
  assert.deepEqual(request.headers, { "content-length": "100000", "content-encoding": "gzip" }, "the input is not changed");

  const unknown = applyAwsChunked({ ...request, headers: {} }, RequestBody.fromStream(pieces(bytes(10), [10])), trailer("CRC32"));
  assert.equal(unknown.headers["content-length"], undefined);
  assert.equal(unknown.headers["x-amz-decoded-content-length"], undefined);
  assert.equal(unknown.headers["content-encoding"], "aws-chunked");
  assert.ok(unknown.body instanceof RequestBody && !unknown.body.replayable && unknown.body.length === undefined);
});

test("over the wire: known length with Content-Length, unknown length chunked; the fake decodes and checks the trailer", async () => {
  const fake = await startFakeS3();
  const handler = createNodeHttpHandler();
  const url = new URL(fake.url);
  const base: HttpRequest = { method: "PUT", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/bucket/key", query: [], headers: {} };
  try {
    const data = bytes(200_000, 3);
    const known = applyAwsChunked(base, RequestBody.fromStream(pieces(data, [10_000]), { length: data.length }), trailer("CRC64NVME"));
    const first = await handler.handle(known, {});
    await first.body.cancel();
    assert.equal(first.statusCode, 200, fake.puts[0]?.error);
    const put = fake.puts[0];
    assert.ok(put?.chunked);
    assert.equal(put.headers["content-length"], known.headers["content-length"]);
    assert.equal(put.headers["transfer-encoding"], undefined);
    assert.equal(put.wireLength, Number(known.headers["content-length"]));
    assert.deepEqual(put.data, Buffer.from(data));
    assert.deepEqual(put.checksum, ["crc64nvme", referenceChecksum("crc64nvme", data)]);

    const unknown = applyAwsChunked({ ...base, path: "/bucket/other" }, RequestBody.fromStream(pieces(data, [777])), trailer("SHA256"));
    const second = await handler.handle(unknown, {});
    await second.body.cancel();
    assert.equal(second.statusCode, 200, fake.puts[1]?.error);
    assert.equal(fake.puts[1]?.headers["transfer-encoding"], "chunked");
    assert.equal(fake.puts[1]?.headers["x-amz-decoded-content-length"], undefined);
    assert.deepEqual(fake.puts[1]?.data, Buffer.from(data));
    assert.deepEqual(fake.puts[1]?.checksum, ["sha256", referenceChecksum("sha256", data)]);
  } finally {
    await handler.destroy?.();
    await fake.close();
  }
});

test("the fake itself refuses a wrong trailer, a short middle frame and trailing bytes (so the checks above can fail)", async () => {
  const good = await collect(encodeAwsChunked(pieces(bytes(20_000), [20_000]), trailer("CRC32"), 8192));
  const wrongTrailer = Buffer.from(good.toString("latin1").replace(/crc32:[^\r]+/, "crc32:AAAAAA=="), "latin1");
  assert.throws(() => {
    const decoded = decodeAwsChunked(wrongTrailer);
    if (decoded.trailers["x-amz-checksum-crc32"] !== referenceChecksum("crc32", decoded.data)) throw new Error("BadDigest");
  }, /BadDigest/);
  const shortFrames = await collect(encodeAwsChunked(pieces(bytes(20_000), [20_000]), trailer("CRC32"), 1000));
  assert.throws(() => decodeAwsChunked(shortFrames), /fewer than 8192/);
  assert.throws(() => decodeAwsChunked(Buffer.concat([good, Buffer.from("x")])), /after the end/);
});
