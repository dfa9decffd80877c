// The upload bench's server counts aws-chunked payloads with AwsChunkedCounter; framing
// made by the core's own encoder must count as the bytes framed, however the socket splits
// it, and framing S3 would refuse must fail rather than count.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { encodeAwsChunked, type ChunkTrailer } from "../../packages/core/src/signing/aws-chunked.ts";
import { AwsChunkedCounter, isAwsChunked } from "../../scripts/bench/lib/aws-chunked-counter.ts";

const CRC32_TRAILER: ChunkTrailer = {
  name: "x-amz-checksum-crc32",
  valueLength: 8,
  start() {
    let sum = 0;
    return {
      update: (chunk) => void (sum = crc32(chunk, sum)),
      value: () => Buffer.from(Uint32Array.of(sum).buffer).reverse().toString("base64"),
    };
  },
};

async function framed(bytes: Uint8Array, frameSize: number): Promise<Buffer> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += 1000) yield bytes.subarray(at, at + 1000);
  }
  const parts: Uint8Array[] = [];
  for await (const part of encodeAwsChunked(source(), CRC32_TRAILER, frameSize)) parts.push(Uint8Array.from(part));
  return Buffer.concat(parts);
}

function count(body: Buffer, split: number): AwsChunkedCounter {
  const counter = new AwsChunkedCounter();
  for (let at = 0; at < body.length; at += split) counter.push(body.subarray(at, at + split));
  return counter;
}

describe("AwsChunkedCounter", () => {
  const payload = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 31) % 251));

  it("counts the payload of the core's framing, split anywhere, and keeps the trailer", async () => {
    const body = await framed(payload, 8192);
    const checksum = CRC32_TRAILER.start();
    checksum.update(payload);
    for (const split of [1, 7, 8194, body.length]) {
      const counter = count(body, split);
      assert.equal(counter.end(), payload.length, `split every ${split} bytes`);
      assert.equal(counter.trailers.get("x-amz-checksum-crc32"), checksum.value(), `split every ${split} bytes`);
    }
  });

  it("refuses a body cut short, a frame longer than its size line, and bytes after the end", async () => {
    const body = await framed(payload, 8192);
    assert.throws(() => count(body.subarray(0, body.length - 3), 100).end(), /ended in the middle/);
    const tampered = Buffer.from(body);
    tampered.write("1fff", 0, "latin1"); // the first frame says one byte fewer than it holds
    assert.throws(() => count(tampered, 100), /longer than its size line/);
    assert.throws(() => count(Buffer.concat([body, Buffer.from("x")]), 100), /after the final chunk/);
    assert.throws(() => count(Buffer.from("zz\r\n"), 10), /bad chunk size line/);
  });

  it("tells aws-chunked requests from plain ones", () => {
    assert.equal(isAwsChunked({ "content-encoding": "gzip,aws-chunked" }), true);
    assert.equal(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" }), true);
    assert.equal(isAwsChunked({ "content-encoding": "gzip", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }), false);
  });
});
