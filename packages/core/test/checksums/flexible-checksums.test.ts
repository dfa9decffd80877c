// Flexible checksums through the whole pipeline (S3's real operation models, the Node
// transport) against a loopback fake that checks them independently (support/
// fake-s3-checksums.ts): which uploads get which checksum where (header or aws-chunked
// trailer), the defaults and the "when_required" switch, the caller's own checksums and
// choices, response validation with a corrupted body or checksum, and the payload of a
// non-S3 service read into memory so it can be signed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { ChecksumMismatchError } from "../../src/checksums/errors.ts";
import { resolveChecksumSettings } from "../../src/checksums/settings.ts";
import { ServiceClient } from "../../src/client/service-client.ts";
import { checkResponseBytes, expectedResponseChecksum } from "../../src/client/steps/checksum.ts";
import { ConfigError, ValidationError } from "../../src/errors/index.ts";
import { ServiceError } from "../../src/errors/service-error.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import type { ResponseBody } from "../../src/http/response-body.ts";
import type { OperationSchema } from "../../src/schema/types.ts";
import { loadService, loopbackConfig, op } from "../client/service-fixtures.ts";
import { referenceChecksum, startFakeS3, type FakeS3 } from "../support/fake-s3-checksums.ts";

const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });
const lambda = loadService("lambda", "2015-03-31");

function data(n: number, seed = 5): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 13 + seed) & 0xff;
  return out;
}

async function withFake(
  run: (fake: FakeS3, client: ServiceClient) => Promise<void>,
  config: Parameters<typeof loopbackConfig>[1] = {},
  fakeOptions: Parameters<typeof startFakeS3>[0] = {},
): Promise<void> {
  const fake = await startFakeS3(fakeOptions);
  const client = new ServiceClient(s3.definition, loopbackConfig(fake.url, { endpointParams: { ForcePathStyle: true }, ...config }));
  try {
    await run(fake, client);
  } finally {
    await client.destroy();
    await fake.close();
  }
}

function put(client: ServiceClient, input: Record<string, unknown>): Promise<unknown> {
  return client.send(op(s3, "PutObject"), { Bucket: "bucket", Key: "key", ...input });
}

async function get(client: ServiceClient, input: Record<string, unknown> = {}): Promise<{ Body: ResponseBody }> {
  return client.send<{ Body: ResponseBody }>(op(s3, "GetObject"), { Bucket: "bucket", Key: "key", ...input });
}

test("bytes and strings: CRC32 by default in a header, the algorithm header set, the payload hash signed", async () => {
  await withFake(async (fake, client) => {
    await put(client, { Body: "hello, checksums" });
    const [received] = fake.puts;
    assert.ok(received);
    assert.equal(received.error, undefined);
    assert.equal(received.headers["x-amz-checksum-crc32"], referenceChecksum("crc32", Buffer.from("hello, checksums")));
    assert.equal(received.headers["x-amz-sdk-checksum-algorithm"], "CRC32");
    assert.equal(received.headers["x-amz-content-sha256"], createHash("sha256").update("hello, checksums").digest("hex"));
    assert.equal(received.headers["content-encoding"], undefined);
    assert.equal(received.headers["content-md5"], undefined);
  });
});

test("the caller's algorithm, in any case, for each of CRC32C, CRC64NVME, SHA1 and SHA256", async () => {
  await withFake(async (fake, client) => {
    const body = data(70_000);
    for (const algorithm of ["crc32c", "CRC64NVME", "Sha1", "SHA256"]) {
      await put(client, { Body: body, ChecksumAlgorithm: algorithm });
      const received = fake.puts.at(-1);
      const lower = algorithm.toLowerCase();
      assert.equal(received?.error, undefined, algorithm);
      assert.deepEqual(received?.checksum, [lower, referenceChecksum(lower, body)], algorithm);
      assert.equal(received?.headers["x-amz-sdk-checksum-algorithm"], algorithm, "the caller's spelling goes as it is");
    }
  });
});

test("a checksum the caller computed is sent as it is (a wrong one is the service's to refuse)", async () => {
  await withFake(async (fake, client) => {
    const good = referenceChecksum("sha256", Buffer.from("mine"));
    await put(client, { Body: "mine", ChecksumSHA256: good });
    assert.deepEqual(fake.puts[0]?.checksum, ["sha256", good]);
    assert.equal(fake.puts[0]?.headers["x-amz-checksum-crc32"], undefined, "no second checksum");
    assert.equal(fake.puts[0]?.headers["x-amz-sdk-checksum-algorithm"], undefined);
    await assert.rejects(put(client, { Body: "mine", ChecksumCRC32: "AAAAAA==" }), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.code, "BadDigest");
      return true;
    });
  });
});

test("an algorithm this SDK does not know is a ValidationError and nothing is sent", async () => {
  await withFake(async (fake, client) => {
    await assert.rejects(put(client, { Body: "x", ChecksumAlgorithm: "MD5" }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.problems[0]?.path, "input.ChecksumAlgorithm");
      assert.match(error.problems[0]?.message ?? "", /unsupported checksum algorithm "MD5"/);
      return true;
    });
    assert.equal(fake.puts.length, 0);
  });
});

test("a Blob: a header checksum from a first pass, its size as Content-Length; its SHA-256 signed over HTTP, UNSIGNED-PAYLOAD over HTTPS", async () => {
  await withFake(async (fake, client) => {
    const body = data(300_000);
    await put(client, { Body: new Blob([body]), ChecksumAlgorithm: "CRC32C" });
    const [received] = fake.puts;
    assert.equal(received?.error, undefined);
    assert.equal(received?.chunked, undefined);
    assert.deepEqual(received?.checksum, ["crc32c", referenceChecksum("crc32c", body)]);
    assert.equal(received?.headers["content-length"], "300000");
    // The fake listens on plain HTTP: the payload hash is signed.
    assert.equal(received?.headers["x-amz-content-sha256"], createHash("sha256").update(body).digest("hex"));
    assert.deepEqual(received?.data, body);
  });
  const tls = new ServiceClient(s3.definition, loopbackConfig("https://s3.example.com"));
  try {
    const built = await tls.buildRequest(op(s3, "PutObject"), { Bucket: "bucket", Key: "key", Body: new Blob(["over TLS"]) });
    assert.equal(built.request.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    assert.match(built.request.headers["authorization"] ?? "", /SignedHeaders=.*x-amz-checksum-crc32/);
    assert.equal(built.request.headers["x-amz-checksum-crc32"], referenceChecksum("crc32", Buffer.from("over TLS")));
  } finally {
    await tls.destroy();
  }
});

test("one-shot streams go aws-chunked with the checksum as a trailer: file (known length), web stream and generator (unknown)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stratus-upload-"));
  try {
    const body = data(200_000, 9);
    const path = join(dir, "upload.bin");
    writeFileSync(path, body);
    await withFake(async (fake, client) => {
      await put(client, { Body: createReadStream(path) });
      const file = fake.puts.at(-1);
      assert.equal(file?.error, undefined);
      assert.ok(file?.chunked, "aws-chunked");
      assert.equal(file.headers["x-amz-content-sha256"], "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
      assert.equal(file.headers["x-amz-decoded-content-length"], "200000");
      assert.equal(file.headers["content-length"], String(file.wireLength));
      assert.equal(file.headers["transfer-encoding"], undefined);
      assert.equal(file.headers["x-amz-sdk-checksum-algorithm"], "CRC32");
      assert.deepEqual(file.checksum, ["crc32", referenceChecksum("crc32", body)]);
      assert.deepEqual(file.data, body);

      await put(client, { Body: new Blob([body]).stream(), ChecksumAlgorithm: "SHA256" });
      const web = fake.puts.at(-1);
      assert.equal(web?.error, undefined);
      assert.equal(web?.headers["transfer-encoding"], "chunked");
      assert.equal(web?.headers["x-amz-decoded-content-length"], undefined);
      assert.deepEqual(web?.checksum, ["sha256", referenceChecksum("sha256", body)]);
      assert.deepEqual(web?.data, body);

      // A generator with the caller's ContentLength: framed with its lengths known.
      async function* pieces(): AsyncGenerator<Uint8Array | string> {
        yield "text first, ";
        yield body.subarray(0, 50_000);
      }
      await put(client, { Body: pieces(), ContentLength: 50_012, ChecksumAlgorithm: "CRC64NVME" });
      const generated = fake.puts.at(-1);
      assert.equal(generated?.error, undefined);
      assert.equal(generated?.headers["x-amz-decoded-content-length"], "50012");
      assert.equal(generated?.headers["content-length"], String(generated?.wireLength));
      assert.deepEqual(generated?.data, Buffer.concat([Buffer.from("text first, "), body.subarray(0, 50_000)]));
      assert.equal(generated?.checksum?.[0], "crc64nvme");
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("when_required: PutObject goes without a checksum (a stream as UNSIGNED-PAYLOAD, plain), a required one still gets CRC32", async () => {
  await withFake(
    async (fake, client) => {
      await put(client, { Body: "plain" });
      assert.equal(fake.puts[0]?.checksum, undefined);
      assert.equal(fake.puts[0]?.headers["x-amz-sdk-checksum-algorithm"], undefined);
      await put(client, { Body: Readable.from([data(10_000)]) });
      const streamed = fake.puts[1];
      assert.equal(streamed?.chunked, undefined);
      assert.equal(streamed?.checksum, undefined);
      assert.equal(streamed?.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
      assert.equal(streamed?.headers["transfer-encoding"], "chunked");
      assert.deepEqual(streamed?.data, data(10_000));
      // The caller's choice still counts.
      await put(client, { Body: "chosen", ChecksumAlgorithm: "SHA1" });
      assert.equal(fake.puts[2]?.checksum?.[0], "sha1");
    },
    { requestChecksumCalculation: "WHEN_REQUIRED" },
  );
  // An operation that requires a checksum gets CRC32 even so, not Content-MD5 (botocore >= 1.36).
  const required = new ServiceClient(s3.definition, loopbackConfig("http://127.0.0.1:9", { requestChecksumCalculation: "when_required", endpointParams: { ForcePathStyle: true } }));
  const built = await required.buildRequest(op(s3, "DeleteObjects"), { Bucket: "bucket", Delete: { Objects: [{ Key: "a" }] } });
  await required.destroy();
  assert.equal(built.request.headers["x-amz-sdk-checksum-algorithm"], "CRC32");
  assert.equal(built.request.headers["x-amz-checksum-crc32"], referenceChecksum("crc32", Buffer.from(built.request.body as string)));
  assert.equal(built.request.headers["content-md5"], undefined);
});

test("settings: option, then AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION, then the profile; a bad value names its source", () => {
  assert.deepEqual(resolveChecksumSettings({ env: {} }), { requestChecksumCalculation: "when_supported", responseChecksumValidation: "when_supported" });
  assert.deepEqual(
    resolveChecksumSettings({ env: { AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED" }, profile: { response_checksum_validation: "when_required" } }),
    { requestChecksumCalculation: "when_required", responseChecksumValidation: "when_required" },
  );
  assert.equal(resolveChecksumSettings({ env: { AWS_REQUEST_CHECKSUM_CALCULATION: "when_required" }, requestChecksumCalculation: "when_supported" }).requestChecksumCalculation, "when_supported");
  assert.throws(() => resolveChecksumSettings({ env: { AWS_RESPONSE_CHECKSUM_VALIDATION: "sometimes" } }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /AWS_RESPONSE_CHECKSUM_VALIDATION environment variable is "sometimes"/);
    return true;
  });
});

test("downloads: checksum mode ENABLED by default and the body checked as it streams", async () => {
  await withFake(async (fake, client) => {
    const body = data(100_000, 3);
    await put(client, { Body: body, ChecksumAlgorithm: "CRC32C" });
    const out = await get(client);
    assert.equal(fake.gets[0]?.["x-amz-checksum-mode"], "ENABLED");
    assert.deepEqual(Buffer.from(await out.Body.bytes()), body);
    const iterated: Buffer[] = [];
    for await (const chunk of (await get(client)).Body) iterated.push(Buffer.from(chunk));
    assert.deepEqual(Buffer.concat(iterated), body);
  });
});

test("a corrupted download is a ChecksumMismatchError from bytes() and from the iterator, and the last chunk is never handed over", async () => {
  for (const corrupt of ["body", "checksum"] as const) {
    await withFake(
      async (fake, client) => {
        const body = data(100_000, 4);
        await put(client, { Body: body });
        fake.options.corrupt = corrupt;
        await assert.rejects((await get(client)).Body.bytes(), (error: unknown) => {
          assert.ok(error instanceof ChecksumMismatchError);
          assert.equal(error.algorithm, "CRC32");
          assert.equal(error.expected, corrupt === "body" ? referenceChecksum("crc32", body) : referenceChecksum("crc32", Buffer.from("other")));
          assert.match(error.message, /must not be used/);
          return true;
        });
        let received = 0;
        await assert.rejects(
          (async () => {
            for await (const chunk of (await get(client)).Body) received += chunk.byteLength;
          })(),
          ChecksumMismatchError,
        );
        assert.ok(received < body.length, `only ${received} of ${body.length} bytes were handed over`);
      },
      {},
      {},
    );
  }
});

test("not checked: a composite (multipart) checksum; with when_required, a download whose caller did not ask", async () => {
  await withFake(async (fake, client) => {
    await put(client, { Body: "parts" });
    fake.options.composite = true;
    fake.options.corrupt = "body";
    assert.equal((await (await get(client)).Body.bytes()).byteLength, 5);
  });
  await withFake(
    async (fake, client) => {
      await put(client, { Body: "quiet", ChecksumAlgorithm: "CRC32" });
      fake.options.corrupt = "body";
      assert.equal((await (await get(client)).Body.bytes()).byteLength, 5);
      assert.equal(fake.gets[0]?.["x-amz-checksum-mode"], undefined);
      // Asked for explicitly: checked.
      await assert.rejects((await get(client, { ChecksumMode: "ENABLED" })).Body.bytes(), ChecksumMismatchError);
    },
    { responseChecksumValidation: "when_required" },
  );
});

test("a buffered response is checked before it is parsed (operations whose output is not a stream)", () => {
  const operation: OperationSchema = {
    name: "GetThing",
    http: { method: "GET", requestUri: "/" },
    input: {
      type: "structure",
      name: "In",
      members: { Mode: { target: { type: "string" }, location: "header", locationName: "x-amz-checksum-mode" } },
    },
    httpChecksum: { requestValidationModeMember: "Mode", responseAlgorithms: ["CRC32", "SHA256"] },
  };
  const request: HttpRequest = { method: "GET", protocol: "https:", hostname: "h", path: "/", query: [], headers: { "x-amz-checksum-mode": "enabled" } };
  const body = new TextEncoder().encode("{}");
  const expected = expectedResponseChecksum(operation, request, { "x-amz-checksum-sha256": referenceChecksum("sha256", body) });
  assert.deepEqual(expected, { algorithm: "SHA256", value: referenceChecksum("sha256", body) });
  checkResponseBytes(body, expected);
  assert.throws(() => checkResponseBytes(new TextEncoder().encode("{ }"), expected), ChecksumMismatchError);
  // An algorithm the operation does not list, or no validation asked: nothing to check.
  assert.equal(expectedResponseChecksum(operation, request, { "x-amz-checksum-crc32c": "AAAAAA==" }), undefined);
  assert.equal(expectedResponseChecksum(operation, { ...request, headers: {} }, { "x-amz-checksum-crc32": "AAAAAA==" }), undefined);
});

test("another service signs its payload hash: a streamed Lambda payload is read into memory first", async () => {
  const client = new ServiceClient(lambda.definition, loopbackConfig("http://127.0.0.1:9"));
  try {
    const built = await client.buildRequest(op(lambda, "Invoke"), { FunctionName: "f", Payload: Readable.from([Buffer.from('{"a":'), "1}"]) });
    assert.deepEqual(Buffer.from(built.request.body as Uint8Array).toString(), '{"a":1}');
    assert.equal(built.request.headers["content-length"], "7");
    assert.equal(built.request.headers["x-amz-content-sha256"], undefined);
    const blob = await client.buildRequest(op(lambda, "Invoke"), { FunctionName: "f", Payload: new Blob(["{}"]) });
    assert.ok(blob.request.body instanceof Uint8Array);
  } finally {
    await client.destroy();
  }
});
