// The five flexible-checksum algorithms: the catalogue check values of each CRC, the SHA
// digests node:crypto gives, incremental use (any split gives the one-shot value, through
// every code path of the slicing-by-8 loops), and the base64 S3 carries in its headers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  checksumBase64,
  checksumBase64Length,
  checksumHeaderName,
  createChecksum,
  parseChecksumAlgorithm,
  RESPONSE_PRIORITY,
  type ChecksumAlgorithm,
} from "../../src/checksums/algorithms.ts";
import { crc32 } from "../../src/checksums/crc32.ts";
import { crc32c } from "../../src/checksums/crc32c.ts";
import { crc64nvme, Crc64Nvme } from "../../src/checksums/crc64nvme.ts";

const CHECK = new TextEncoder().encode("123456789");

/** Big-endian bytes of an unsigned integer, base64: how S3 writes a CRC. */
function crcBase64(value: bigint, bytes: number): string {
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out.toString("base64");
}

/** Bit-at-a-time reference CRC-32C, to check the sliced tables against on random data. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

/** Bit-at-a-time reference CRC-64/NVME in BigInt. */
function referenceCrc64(data: Uint8Array): bigint {
  const mask = 0xffffffffffffffffn;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  return ~crc & mask;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

test("catalogue check values of \"123456789\": CRC-32, CRC-32C, CRC-64/NVME", () => {
  assert.equal(crc32(CHECK), 0xcbf43926);
  assert.equal(crc32c(CHECK), 0xe3069283);
  assert.equal(crc64nvme(CHECK), 0xae8b14860a799888n);
  assert.equal(new Crc64Nvme().update(CHECK).value(), 0xae8b14860a799888n);
  // No bytes: the register's preset inverted back.
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc64nvme(new Uint8Array(0)), 0n);
});

test("base64 as S3 writes it: the CRC's big-endian bytes, the SHA digest", () => {
  assert.equal(checksumBase64("CRC32", CHECK), crcBase64(0xcbf43926n, 4));
  assert.equal(checksumBase64("CRC32", CHECK), "y/Q5Jg==");
  assert.equal(checksumBase64("CRC32C", CHECK), "4waSgw==");
  assert.equal(checksumBase64("CRC64NVME", CHECK), "rosUhgp5mIg=");
  assert.equal(checksumBase64("SHA1", CHECK), createHash("sha1").update(CHECK).digest("base64"));
  assert.equal(checksumBase64("SHA256", CHECK), createHash("sha256").update(CHECK).digest("base64"));
  // A string is its UTF-8 bytes; the empty body has a checksum too.
  assert.equal(checksumBase64("CRC32", "123456789"), "y/Q5Jg==");
  assert.equal(checksumBase64("CRC32", ""), "AAAAAA==");
  assert.equal(checksumBase64("SHA256", ""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
});

test("every algorithm's base64 width is known before the data (aws-chunked framing relies on it)", () => {
  for (const algorithm of RESPONSE_PRIORITY) {
    assert.equal(checksumBase64(algorithm, randomBytes(100, 7)).length, checksumBase64Length(algorithm), algorithm);
  }
});

test("sliced CRC-32C and CRC-64/NVME agree with bit-at-a-time references on every length 0..40 and a large buffer", () => {
  const data = randomBytes(70_001, 42);
  for (let n = 0; n <= 40; n++) {
    const slice = data.subarray(3, 3 + n); // unaligned on purpose
    assert.equal(crc32c(slice), referenceCrc32c(slice), `crc32c length ${n}`);
    assert.equal(crc64nvme(slice), referenceCrc64(slice), `crc64 length ${n}`);
  }
  assert.equal(crc32c(data), referenceCrc32c(data));
  assert.equal(crc64nvme(data), referenceCrc64(data));
});

test("incremental: any split of the data gives the one-shot checksum, for every algorithm", () => {
  const data = randomBytes(10_007, 9);
  const splits = [[0], [1], [7, 8, 9], [4096], [3, 5000, 9999, 10_006]];
  for (const algorithm of RESPONSE_PRIORITY) {
    const whole = checksumBase64(algorithm, data);
    for (const cuts of splits) {
      const checksum = createChecksum(algorithm);
      let from = 0;
      for (const cut of [...cuts, data.length]) {
        checksum.update(data.subarray(from, cut));
        from = cut;
      }
      assert.equal(Buffer.from(checksum.digest()).toString("base64"), whole, `${algorithm} split at ${cuts.join(",")}`);
    }
  }
  // The function forms continue from a previous value.
  assert.equal(crc32c(data.subarray(100), crc32c(data.subarray(0, 100))), crc32c(data));
  assert.equal(crc64nvme(data.subarray(100), crc64nvme(data.subarray(0, 100))), crc64nvme(data));
  assert.equal(crc32(data.subarray(100), crc32(data.subarray(0, 100))), crc32(data));
});

test("algorithm names: parsed in any case, unknown ones refused; headers are x-amz-checksum-<lower>", () => {
  assert.equal(parseChecksumAlgorithm("crc32c"), "CRC32C");
  assert.equal(parseChecksumAlgorithm(" Sha256 "), "SHA256");
  assert.equal(parseChecksumAlgorithm("MD5"), undefined);
  assert.equal(parseChecksumAlgorithm("toString"), undefined);
  const names: Record<ChecksumAlgorithm, string> = {
    CRC32: "x-amz-checksum-crc32",
    CRC32C: "x-amz-checksum-crc32c",
    CRC64NVME: "x-amz-checksum-crc64nvme",
    SHA1: "x-amz-checksum-sha1",
    SHA256: "x-amz-checksum-sha256",
  };
  for (const [algorithm, header] of Object.entries(names)) assert.equal(checksumHeaderName(algorithm as ChecksumAlgorithm), header);
});
