// Request compression: when a body is gzipped (trait, threshold edges, streaming input,
// disabled), how Content-Encoding and Content-Length change, and the settings' resolution
// and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compressRequest } from "../../src/client/steps/compress-request.ts";
import { loadSharedConfig, resolveCompressionSettings, type CompressionSettings } from "../../src/config/index.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import type { OperationSchema } from "../../src/schema/types.ts";
import { tempHome } from "../support/temp-home.ts";

const str = { type: "string" } as const;

const putMetricData: OperationSchema = {
  name: "PutMetricData",
  http: { method: "POST", requestUri: "/" },
  input: { type: "structure", name: "PutMetricDataInput", members: { Data: { target: str } } },
  requestCompression: ["gzip"],
};

const upload: OperationSchema = {
  name: "Upload",
  http: { method: "PUT", requestUri: "/{Key}" },
  input: {
    type: "structure",
    name: "UploadInput",
    members: { Body: { target: { type: "blob", streaming: true } } },
    payload: "Body",
  },
  requestCompression: ["gzip"],
};

const defaults: CompressionSettings = { disableRequestCompression: false, minCompressionSizeBytes: 10_240 };

function request(body: string | Uint8Array | undefined, headers: Record<string, string> = {}): HttpRequest {
  const all: Record<string, string> = {};
  if (body !== undefined) all["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  return { method: "POST", protocol: "https:", hostname: "example.com", path: "/", query: [], headers: { ...all, ...headers }, body };
}

function gunzipText(body: HttpRequest["body"]): string {
  assert.ok(body instanceof Uint8Array, "the compressed body is bytes");
  return gunzipSync(body).toString("utf8");
}

test("threshold edges: a body of exactly the threshold is compressed, one byte less is not", () => {
  const at = "x".repeat(10_240);
  const compressed = compressRequest(request(at), putMetricData, defaults);
  assert.equal(compressed.headers["content-encoding"], "gzip");
  assert.equal(gunzipText(compressed.body), at);

  const below = request("x".repeat(10_239));
  assert.equal(compressRequest(below, putMetricData, defaults), below);

  // A threshold of 0 compresses even an empty body; no body at all has nothing to compress.
  const zero = { ...defaults, minCompressionSizeBytes: 0 };
  assert.equal(gunzipText(compressRequest(request(""), putMetricData, zero).body), "");
  const none = request(undefined);
  assert.equal(compressRequest(none, putMetricData, zero), none);
});

test("the threshold counts UTF-8 bytes, not string characters", () => {
  const twoByteChars = "é".repeat(5_120); // 5,120 characters, 10,240 bytes
  const compressed = compressRequest(request(twoByteChars), putMetricData, defaults);
  assert.equal(compressed.headers["content-encoding"], "gzip");
  assert.equal(gunzipText(compressed.body), twoByteChars);
});

test("byte bodies are compressed too, and Content-Length becomes the compressed length", () => {
  const bytes = new Uint8Array(20_000).fill(7);
  const original = request(bytes);
  const compressed = compressRequest(original, putMetricData, defaults);
  assert.ok(compressed.body instanceof Uint8Array);
  assert.equal(compressed.headers["content-length"], String(compressed.body.byteLength));
  assert.ok(compressed.body.byteLength < bytes.byteLength);
  assert.deepEqual(new Uint8Array(gunzipSync(compressed.body)), bytes);
  // The input request is left as it was.
  assert.equal(original.body, bytes);
  assert.equal(original.headers["content-length"], "20000");
  assert.equal(original.headers["content-encoding"], undefined);
});

test("a request without Content-Length does not gain one", () => {
  const body = "y".repeat(12_000);
  const plain: HttpRequest = { ...request(body), headers: {} };
  assert.equal(compressRequest(plain, putMetricData, defaults).headers["content-length"], undefined);
});

test("gzip is appended to an existing Content-Encoding, never put in its place", () => {
  const body = "z".repeat(11_000);
  assert.equal(compressRequest(request(body, { "content-encoding": "custom" }), putMetricData, defaults).headers["content-encoding"], "custom, gzip");
  assert.equal(
    compressRequest(request(body, { "content-encoding": "custom, br " }), putMetricData, defaults).headers["content-encoding"],
    "custom, br, gzip",
  );
  assert.equal(compressRequest(request(body, { "content-encoding": "" }), putMetricData, defaults).headers["content-encoding"], "gzip");
});

test("disabled, or an operation without the trait, leaves the request as it is", () => {
  const big = request("a".repeat(50_000));
  assert.equal(compressRequest(big, putMetricData, { ...defaults, disableRequestCompression: true }), big);
  const { requestCompression: _, ...untraited } = putMetricData;
  assert.equal(compressRequest(big, untraited, defaults), big);
});

test("the first supported encoding of the trait's list is used; an unsupported list changes nothing", () => {
  const big = request("b".repeat(50_000));
  assert.equal(compressRequest(big, { ...putMetricData, requestCompression: ["br"] }, defaults), big);
  assert.equal(compressRequest(big, { ...putMetricData, requestCompression: ["br", "gzip"] }, defaults).headers["content-encoding"], "gzip");
});

test("a streaming input payload is never compressed, even when passed as bytes", () => {
  const body = new Uint8Array(1_000_000);
  const streaming = request(body);
  assert.equal(compressRequest(streaming, upload, defaults), streaming);
  assert.equal(compressRequest(streaming, upload, { ...defaults, minCompressionSizeBytes: 0 }), streaming);
  // The streaming trait on the member (botocore models put it on the shape or the member).
  const memberStreaming: OperationSchema = {
    ...upload,
    input: { type: "structure", name: "UploadInput", members: { Body: { target: { type: "blob" }, streaming: true } }, payload: "Body" },
  };
  assert.equal(compressRequest(streaming, memberStreaming, defaults), streaming);
});

test("bad thresholds handed to the step are ConfigErrors", () => {
  const body = request("c".repeat(20_000));
  for (const bad of [-1, 1.5, 10_485_761, Number.NaN]) {
    assert.throws(() => compressRequest(body, putMetricData, { ...defaults, minCompressionSizeBytes: bad }), {
      name: "ConfigError",
      message: `minCompressionSizeBytes is ${String(bad)}; expected a whole number of bytes from 0 to 10485760`,
    });
  }
  assert.equal(compressRequest(body, putMetricData, { ...defaults, minCompressionSizeBytes: 10_485_760 }), body);
});

test("settings: defaults, client options over the environment over the profile, each setting on its own", () => {
  assert.deepEqual(resolveCompressionSettings({ env: {} }), defaults);
  const profile = { disable_request_compression: "true", request_min_compression_size_bytes: "100" };
  assert.deepEqual(resolveCompressionSettings({ env: {}, profile }), { disableRequestCompression: true, minCompressionSizeBytes: 100 });
  assert.deepEqual(
    resolveCompressionSettings({ env: { AWS_DISABLE_REQUEST_COMPRESSION: "FALSE" }, profile }),
    { disableRequestCompression: false, minCompressionSizeBytes: 100 },
  );
  assert.deepEqual(
    resolveCompressionSettings({ env: { AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: "0", AWS_DISABLE_REQUEST_COMPRESSION: "" }, profile }),
    { disableRequestCompression: true, minCompressionSizeBytes: 0 },
  );
  assert.deepEqual(
    resolveCompressionSettings({
      env: { AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: "5", AWS_DISABLE_REQUEST_COMPRESSION: "true" },
      profile,
      disableRequestCompression: false,
      minCompressionSizeBytes: 10_485_760,
    }),
    { disableRequestCompression: false, minCompressionSizeBytes: 10_485_760 },
  );
});

test("settings: bad values are ConfigErrors naming where they came from", () => {
  const expected = "expected a whole number of bytes from 0 to 10485760";
  const cases: Array<[Record<string, string>, Record<string, string>, string]> = [
    [{ AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: "10485761" }, {}, `the AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES environment variable is "10485761"; ${expected}`],
    [{ AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: "-1" }, {}, `the AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES environment variable is "-1"; ${expected}`],
    [{ AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: "1e4" }, {}, `the AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES environment variable is "1e4"; ${expected}`],
    [{}, { request_min_compression_size_bytes: "10kb" }, `request_min_compression_size_bytes in the profile is "10kb"; ${expected}`],
    [{}, { request_min_compression_size_bytes: " 10" }, `request_min_compression_size_bytes in the profile is " 10"; ${expected}`],
    [{ AWS_DISABLE_REQUEST_COMPRESSION: "yes" }, {}, 'the AWS_DISABLE_REQUEST_COMPRESSION environment variable must be "true" or "false", not "yes"'],
    [{}, { disable_request_compression: "1" }, 'disable_request_compression in the profile must be "true" or "false", not "1"'],
  ];
  for (const [env, profile, message] of cases) {
    assert.throws(() => resolveCompressionSettings({ env, profile }), { name: "ConfigError", message });
  }
  assert.throws(() => resolveCompressionSettings({ env: {}, minCompressionSizeBytes: -5 }), {
    name: "ConfigError",
    message: `the minCompressionSizeBytes option is -5; ${expected}`,
  });
});

test("settings: a bad value loaded from a file is reported with its file and line", async (t) => {
  const h = tempHome({ config: "[profile dev]\nregion = us-east-1\nrequest_min_compression_size_bytes = 20MB\n" });
  t.after(() => h.remove());
  const config = await loadSharedConfig({ env: h.env });
  assert.throws(() => resolveCompressionSettings({ env: {}, profile: config.profile("dev") }), {
    name: "ConfigError",
    message: `request_min_compression_size_bytes in profile "dev" (${join(h.dir, ".aws", "config")}:3) is "20MB"; expected a whole number of bytes from 0 to 10485760`,
  });
});
