// Content-MD5 for operations that require a checksum: which operations, which requests
// already carry one, the digest itself, and its place after compression.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { compressRequest } from "../../src/client/steps/compress-request.ts";
import { applyContentMd5 } from "../../src/client/steps/content-md5.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import type { OperationSchema } from "../../src/schema/types.ts";

const str = { type: "string" } as const;
const input = { type: "structure", name: "In", members: { Body: { target: str } } } as const;

const legacy: OperationSchema = { name: "PutThing", http: { method: "PUT", requestUri: "/" }, input, httpChecksumRequired: true };
const deleteObjects: OperationSchema = {
  name: "DeleteObjects",
  http: { method: "POST", requestUri: "/{Bucket}?delete" },
  input: {
    type: "structure",
    name: "DeleteObjectsRequest",
    members: {
      Body: { target: str },
      ChecksumAlgorithm: { target: str, location: "header", locationName: "x-amz-sdk-checksum-algorithm" },
    },
  },
  httpChecksum: { requestChecksumRequired: true, requestAlgorithmMember: "ChecksumAlgorithm" },
};
const optional: OperationSchema = { name: "GetThing", http: { method: "GET", requestUri: "/" }, input };

function request(body: string | Uint8Array | undefined, headers: Record<string, string> = {}): HttpRequest {
  return { method: "PUT", protocol: "https:", hostname: "example.com", path: "/", query: [], headers, body };
}

test("httpChecksumRequired: the base64 MD5 of the body, string or bytes", () => {
  // RFC 1321's test vector: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
  assert.equal(applyContentMd5(request("abc"), legacy).headers["content-md5"], "kAFQmDzST7DWlj99KOF/cg==");
  assert.equal(applyContentMd5(request(new TextEncoder().encode("abc")), legacy).headers["content-md5"], "kAFQmDzST7DWlj99KOF/cg==");
  // Non-ASCII text is hashed as its UTF-8 bytes.
  const utf8 = createHash("md5").update(Buffer.from("ü €", "utf8")).digest("base64");
  assert.equal(applyContentMd5(request("ü €"), legacy).headers["content-md5"], utf8);
});

test("no body hashes as no bytes", () => {
  assert.equal(applyContentMd5(request(undefined), legacy).headers["content-md5"], "1B2M2Y8AsgTpgAmY7PhCfg==");
  assert.equal(applyContentMd5(request(""), legacy).headers["content-md5"], "1B2M2Y8AsgTpgAmY7PhCfg==");
});

test("the input request is not changed; a new one carries the header", () => {
  const original = request("abc", { "content-type": "application/xml" });
  const out = applyContentMd5(original, legacy);
  assert.notEqual(out, original);
  assert.deepEqual(original.headers, { "content-type": "application/xml" });
  assert.deepEqual(out.headers, { "content-type": "application/xml", "content-md5": "kAFQmDzST7DWlj99KOF/cg==" });
});

test("an operation that does not require a checksum gets none", () => {
  const plain = request("abc");
  assert.equal(applyContentMd5(plain, optional), plain);
  assert.equal(applyContentMd5(plain, { ...optional, httpChecksum: { requestAlgorithmMember: "ChecksumAlgorithm" } }), plain);
});

test("a checksum the request already carries is kept and nothing is added", () => {
  const given = request("abc", { "content-md5": "caller's" });
  assert.equal(applyContentMd5(given, legacy), given);
  const crc = request("abc", { "x-amz-checksum-crc32": "NSRBwg==" });
  assert.equal(applyContentMd5(crc, deleteObjects), crc);
});

test("requestChecksumRequired: MD5 when no algorithm was chosen, nothing when one was", () => {
  assert.equal(applyContentMd5(request("<Delete/>"), deleteObjects).headers["content-md5"], createHash("md5").update("<Delete/>").digest("base64"));
  const chosen = request("<Delete/>", { "x-amz-sdk-checksum-algorithm": "CRC32" });
  assert.equal(applyContentMd5(chosen, deleteObjects), chosen);
  // Without an algorithm member in the model, the trait alone asks for MD5.
  const noMember: OperationSchema = { ...deleteObjects, httpChecksum: { requestChecksumRequired: true } };
  assert.equal(applyContentMd5(request("x"), noMember).headers["content-md5"], createHash("md5").update("x").digest("base64"));
});

test("the algorithm choice is looked for in the header its member is bound to", () => {
  const custom: OperationSchema = {
    ...deleteObjects,
    input: {
      type: "structure",
      name: "Custom",
      members: { Algo: { target: str, location: "header", locationName: "X-Custom-Algorithm" } },
    },
    httpChecksum: { requestChecksumRequired: true, requestAlgorithmMember: "Algo" },
  };
  const chosen = request("x", { "x-custom-algorithm": "SHA256" });
  assert.equal(applyContentMd5(chosen, custom), chosen);
  assert.ok(applyContentMd5(request("x"), custom).headers["content-md5"]);
});

test("after compression the digest covers the compressed bytes that are sent", () => {
  const operation: OperationSchema = { ...legacy, requestCompression: ["gzip"] };
  const body = "q".repeat(20_000);
  const compressed = compressRequest(request(body), operation, { disableRequestCompression: false, minCompressionSizeBytes: 10_240 });
  const signedOver = applyContentMd5(compressed, operation);
  assert.ok(compressed.body instanceof Uint8Array);
  assert.equal(signedOver.headers["content-md5"], createHash("md5").update(compressed.body).digest("base64"));
  assert.notEqual(signedOver.headers["content-md5"], createHash("md5").update(body).digest("base64"));
});
