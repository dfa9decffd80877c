/**
 * What the conformance suite does not reach: S3's path rules, payload-hash options,
 * session-token placement, presigning, the key cache, host ports, immutability of the
 * input and keeping secrets out of messages and inspect output. Expected values are
 * written out or recomputed here by hand (with node:crypto directly), never taken from the
 * signer under test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { inspect } from "node:util";
import { Credentials } from "../../src/credentials/credentials.ts";
import { StratusError } from "../../src/errors/index.ts";
import { requestUrl } from "../../src/http/http-request.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { normalizePathSegments } from "../../src/signing/canonical.ts";
import {
  clearSigningKeyCache,
  presignRequest,
  signingKeyCacheStats,
  SigningError,
  signRequest,
  UNSIGNED_PAYLOAD,
} from "../../src/signing/index.ts";
import type { SigningParams } from "../../src/signing/index.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "FQoGZXIvYXdzEXAMPLE+token/with==";
const DATE = new Date("2015-08-30T12:36:00Z");

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: "GET",
    protocol: "https:",
    hostname: "example.amazonaws.com",
    path: "/",
    query: [],
    headers: {},
    ...overrides,
  };
}

function params(overrides: Partial<SigningParams> = {}): SigningParams {
  return {
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET },
    region: "us-east-1",
    service: "service",
    signingDate: DATE,
    ...overrides,
  };
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** The signing-key chain, recomputed here independently of signing-key.ts. */
function handSignature(secret: string, date: string, region: string, service: string, toSign: string): string {
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  return createHmac("sha256", key).update(toSign).digest("hex");
}

const lines = (text: string): string[] => text.split("\n");

// ---- S3 path rules -------------------------------------------------------------------

test("S3 mode signs the wire path as is: '..', '//' and '%2F' survive", () => {
  const path = "/bucket/a/../b//c%2Fd/./e";
  const s3 = signRequest(request({ path }), params({ service: "s3", uriEscapePath: false, normalizePath: false }));
  assert.equal(lines(s3.canonicalRequest)[1], path);
  assert.equal(s3.request.path, path);
});

test("other services normalise the path and encode the wire path again", () => {
  const result = signRequest(request({ path: "/bucket/a/../b//c%2Fd/./e" }), params());
  assert.equal(lines(result.canonicalRequest)[1], "/bucket/b/c%252Fd/e");
  assert.equal(result.request.path, "/bucket/a/../b//c%2Fd/./e", "the wire path itself is not rewritten");
});

test("path normalisation follows RFC 3986 dot-segment removal and collapses empty segments", () => {
  assert.equal(normalizePathSegments("/a/b/../c/./d//"), "/a/c/d/");
  assert.equal(normalizePathSegments("/a/b/.."), "/a/");
  assert.equal(normalizePathSegments("/../.."), "/");
  assert.equal(normalizePathSegments(""), "/");
  assert.equal(normalizePathSegments("/a/b"), "/a/b");
});

// ---- payload hash ------------------------------------------------------------------------

test("S3's x-amz-content-sha256 header carries the body hash and is signed", () => {
  const body = "Hello, S3 \u00e9";
  const result = signRequest(request({ method: "PUT", body }), params({ addContentSha256Header: true }));
  const expected = sha256(Buffer.from(body, "utf8"));
  assert.equal(result.request.headers["x-amz-content-sha256"], expected);
  assert.equal(lines(result.canonicalRequest).at(-1), expected);
  assert.ok(result.signedHeaders.split(";").includes("x-amz-content-sha256"));
  assert.ok(result.canonicalRequest.includes(`\nx-amz-content-sha256:${expected}\n`));
});

test("a Uint8Array body hashes to the same value as the equal string", () => {
  const text = signRequest(request({ body: "abc" }), params());
  const bytes = signRequest(request({ body: new TextEncoder().encode("abc") }), params());
  assert.equal(lines(bytes.canonicalRequest).at(-1), sha256("abc"));
  assert.equal(bytes.signature, text.signature);
});

test("no body signs the empty-string hash", () => {
  const result = signRequest(request(), params());
  assert.equal(lines(result.canonicalRequest).at(-1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(result.request.headers["x-amz-content-sha256"], undefined, "only sent when asked for");
});

test("UNSIGNED-PAYLOAD replaces the body hash in the canonical request and the header", () => {
  const result = signRequest(
    request({ method: "PUT", body: "ignored for signing" }),
    params({ payloadHash: UNSIGNED_PAYLOAD, addContentSha256Header: true }),
  );
  assert.equal(lines(result.canonicalRequest).at(-1), "UNSIGNED-PAYLOAD");
  assert.equal(result.request.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
});

test("an x-amz-content-sha256 header already on the request is the payload hash", () => {
  const declared = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  const result = signRequest(request({ headers: { "x-amz-content-sha256": declared }, body: "chunk" }), params());
  assert.equal(lines(result.canonicalRequest).at(-1), declared);
});

// ---- session tokens ------------------------------------------------------------------------

test("a session token is sent and signed by default", () => {
  const result = signRequest(request(), params({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN } }));
  assert.equal(result.request.headers["x-amz-security-token"], TOKEN);
  assert.equal(result.signedHeaders, "host;x-amz-date;x-amz-security-token");
  assert.ok(result.canonicalRequest.includes(`\nx-amz-security-token:${TOKEN}\n`));
});

test("sessionTokenSigned: false sends the token but signs as if it were absent", () => {
  const withToken = signRequest(
    request(),
    params({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN }, sessionTokenSigned: false }),
  );
  const without = signRequest(request(), params());
  assert.equal(withToken.request.headers["x-amz-security-token"], TOKEN);
  assert.equal(withToken.signedHeaders, "host;x-amz-date");
  assert.ok(!withToken.canonicalRequest.includes(TOKEN));
  assert.equal(withToken.signature, without.signature);
});

test("no token header without a session token", () => {
  const result = signRequest(request(), params());
  assert.ok(!("x-amz-security-token" in result.request.headers));
});

// ---- presign --------------------------------------------------------------------------

test("presign matches a hand-computed signature for S3's documented GET example", () => {
  const result = presignRequest(
    request({ hostname: "examplebucket.s3.amazonaws.com", path: "/test.txt" }),
    {
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
      region: "us-east-1",
      service: "s3",
      signingDate: new Date("2013-05-24T00:00:00Z"),
      expiresIn: 86400,
      payloadHash: UNSIGNED_PAYLOAD,
      uriEscapePath: false,
      normalizePath: false,
    },
  );
  const canonical = [
    "GET",
    "/test.txt",
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host",
    "host:examplebucket.s3.amazonaws.com",
    "",
    "host",
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const toSign = ["AWS4-HMAC-SHA256", "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", sha256(canonical)].join("\n");
  const expected = handSignature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3", toSign);

  assert.equal(result.canonicalRequest, canonical);
  assert.equal(result.stringToSign, toSign);
  assert.equal(result.signature, expected);
  // The value published in the S3 documentation for this example.
  assert.equal(result.signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  assert.equal(
    result.url,
    "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      `&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=${expected}`,
  );
  assert.equal(result.expiresAt.toISOString(), "2013-05-25T00:00:00.000Z");
});

test("presign adds exactly the SigV4 query keys, the token before the signature", () => {
  const result = presignRequest(
    request({ query: [["Action", "GetCallerIdentity"]] }),
    { ...params({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN } }), expiresIn: 900 },
  );
  assert.deepEqual(result.request.query.map(([name]) => name), [
    "Action",
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
  ]);
  const query = new URL(result.url).searchParams;
  assert.equal(query.get("X-Amz-Expires"), "900");
  assert.equal(query.get("X-Amz-Security-Token"), TOKEN);
  assert.equal(query.get("X-Amz-Credential"), "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request");
  assert.equal(query.get("X-Amz-Date"), "20150830T123600Z");
  assert.equal(query.get("X-Amz-Signature"), result.signature);
  assert.ok(result.canonicalRequest.includes(`X-Amz-Security-Token=${encodeURIComponent(TOKEN)}`), "token is signed");
  assert.ok(!("authorization" in result.request.headers));
  assert.ok(!("x-amz-date" in result.request.headers));
});

test("presign with sessionTokenSigned: false appends the token after the signature", () => {
  const result = presignRequest(request(), {
    ...params({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN } }),
    sessionTokenSigned: false,
    expiresIn: 60,
  });
  assert.deepEqual(result.request.query.slice(-2).map(([name]) => name), ["X-Amz-Signature", "X-Amz-Security-Token"]);
  assert.ok(!result.canonicalRequest.includes("X-Amz-Security-Token"));
});

test("presigning twice replaces the earlier X-Amz-* parameters", () => {
  const first = presignRequest(request(), { ...params(), expiresIn: 60 });
  const second = presignRequest(first.request, { ...params(), expiresIn: 120 });
  const names = second.request.query.map(([name]) => name);
  assert.equal(names.length, new Set(names).size);
  assert.equal(new URL(second.url).searchParams.get("X-Amz-Expires"), "120");
});

test("presign expiry must be a whole number of seconds from 1 to 604800", () => {
  for (const ok of [1, 604800]) assert.doesNotThrow(() => presignRequest(request(), { ...params(), expiresIn: ok }));
  for (const bad of [0, -1, 604801, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => presignRequest(request(), { ...params(), expiresIn: bad }),
      (error: unknown) =>
        error instanceof SigningError && error instanceof StratusError && /expiresIn .*1 to 604800/.test(error.message),
      `expiresIn ${bad}`,
    );
  }
});

test("a bad expiry is reported before the credentials are even looked at", () => {
  const broken = { ...params({ credentials: { accessKeyId: "", secretAccessKey: "" } }), expiresIn: 0 };
  assert.throws(() => presignRequest(request(), broken), /expiresIn/);
});

// ---- immutability, cache, host ------------------------------------------------------------

test("the input request is left untouched", () => {
  const input = request({
    method: "POST",
    path: "/a/./b",
    query: [["x", "1"]],
    headers: { "content-type": "text/plain", "x-amz-date": "stale" },
    body: new Uint8Array([1, 2, 3]),
  });
  const before = structuredClone(input);
  const signed = signRequest(input, params({ addContentSha256Header: true, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN } }));
  const presigned = presignRequest(input, { ...params(), expiresIn: 60 });
  assert.deepEqual(input, before);
  assert.notEqual(signed.request.headers, input.headers);
  assert.notEqual(presigned.request.query, input.query);
  assert.equal(signed.request.headers["x-amz-date"], "20150830T123600Z");
});

test("the signing key is cached per secret, date, region and service, and the cache is bounded", () => {
  clearSigningKeyCache();
  const first = signRequest(request(), params());
  assert.equal(signingKeyCacheStats().size, 1);
  const again = signRequest(request(), params());
  assert.equal(signingKeyCacheStats().size, 1, "the second signature reused the key");
  assert.equal(again.signature, first.signature);
  assert.equal(first.signature, handSignature(SECRET, "20150830", "us-east-1", "service", first.stringToSign));

  // Same scope, other secret: must not be served the first secret's key.
  const other = signRequest(request(), params({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: `${SECRET}x` } }));
  assert.notEqual(other.signature, first.signature);
  assert.equal(other.signature, handSignature(`${SECRET}x`, "20150830", "us-east-1", "service", other.stringToSign));
  assert.equal(signingKeyCacheStats().size, 2);

  const { maxSize } = signingKeyCacheStats();
  for (let i = 0; i < maxSize + 10; i++) signRequest(request(), params({ region: `test-region-${i}` }));
  assert.equal(signingKeyCacheStats().size, maxSize);
  clearSigningKeyCache();
  assert.equal(signingKeyCacheStats().size, 0);
});

test("the host header carries a non-default port, and an existing host header is kept", () => {
  const host = (overrides: Partial<HttpRequest>): string | undefined => signRequest(request(overrides), params()).request.headers.host;
  assert.equal(host({ port: 8443 }), "example.amazonaws.com:8443");
  assert.equal(host({ port: 443 }), "example.amazonaws.com");
  assert.equal(host({ protocol: "http:", port: 80 }), "example.amazonaws.com");
  assert.equal(host({ protocol: "http:", port: 443 }), "example.amazonaws.com:443");
  assert.equal(host({ hostname: "::1", protocol: "http:", port: 4566 }), "[::1]:4566");
  assert.equal(host({ headers: { host: "custom.example" } }), "custom.example");
  const signed = signRequest(request({ port: 8443 }), params());
  assert.ok(signed.canonicalRequest.includes("\nhost:example.amazonaws.com:8443\n"));
  assert.equal(requestUrl(signed.request), "https://example.amazonaws.com:8443/");
});

// ---- canonicalisation details --------------------------------------------------------

test("hop-by-hop and proxy-rewritten headers are sent but not signed", () => {
  const result = signRequest(
    request({
      headers: {
        "user-agent": "stratus/0.1",
        expect: "100-continue",
        "x-amzn-trace-id": "Root=1-abc",
        "transfer-encoding": "chunked",
        connection: "keep-alive",
        authorization: "stale",
        "x-custom": "kept",
        "x-skip": "caller says no",
      },
    }),
    params({ unsignedHeaders: ["X-Skip", "host"] }),
  );
  assert.equal(result.signedHeaders, "host;x-amz-date;x-custom");
  assert.equal(result.request.headers["user-agent"], "stratus/0.1");
  assert.equal(result.request.headers["x-skip"], "caller says no");
  assert.match(result.request.headers.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=/);
});

test("header names differing only in case are one header, values trimmed and spaces collapsed", () => {
  const result = signRequest(
    request({ headers: { "X-Multi": "  a   b ", "x-multi": "c\n   d", "X-Amz-Date": "user-supplied" } }),
    params(),
  );
  assert.ok(result.canonicalRequest.includes("\nx-multi:a b,c d\n"));
  assert.ok(!("X-Amz-Date" in result.request.headers), "the user's spelling is replaced, not signed twice");
  assert.equal(result.signedHeaders, "host;x-amz-date;x-multi");
});

test("query: RFC 3986 encoding, sort by encoded name then value, empty values kept", () => {
  const result = signRequest(
    request({ query: [["b", "2"], ["a", ""], ["a b", "x+y*"], ["b", "1"], ["~z", "!'()"], ["A", "é"]] }),
    params(),
  );
  assert.equal(lines(result.canonicalRequest)[2], "A=%C3%A9&a=&a%20b=x%2By%2A&b=1&b=2&~z=%21%27%28%29");
  assert.equal(
    requestUrl(result.request),
    "https://example.amazonaws.com/?b=2&a=&a%20b=x%2By%2A&b=1&~z=%21%27%28%29&A=%C3%A9",
  );
});

// ---- secrets ------------------------------------------------------------------------

test("no error message names the secret key or the session token", () => {
  const credentials = new Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN }, "test");
  const attempts: Array<() => unknown> = [
    () => presignRequest(request(), { credentials, region: "us-east-1", service: "s3", expiresIn: 0 }),
    () => signRequest(request(), { credentials, region: "", service: "s3" }),
    () => signRequest(request(), { credentials, region: "us-east-1", service: "" }),
    () => signRequest(request(), { credentials, region: "us-east-1", service: "s3", signingDate: new Date(Number.NaN) }),
    () => signRequest(request(), { credentials: { accessKeyId: "", secretAccessKey: SECRET, sessionToken: TOKEN }, region: "r", service: "s" }),
    () => signRequest(request(), { credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "", sessionToken: TOKEN }, region: "r", service: "s" }),
  ];
  for (const attempt of attempts) {
    assert.throws(attempt, (error: unknown) => {
      assert.ok(error instanceof SigningError);
      const shown = `${error.message}\n${error.stack ?? ""}\n${inspect(error)}`;
      assert.ok(!shown.includes(SECRET), "secret in error");
      assert.ok(!shown.includes(TOKEN), "token in error");
      return true;
    });
  }
});

test("results never show the secret, and their inspect output redacts the session token", () => {
  const credentials = new Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN }, "test");
  const signed = signRequest(request(), { credentials, region: "us-east-1", service: "s3" });
  const presigned = presignRequest(request(), { credentials, region: "us-east-1", service: "s3", expiresIn: 60 });
  for (const result of [signed, presigned]) {
    const shown = inspect(result, { depth: Infinity });
    assert.ok(!shown.includes(SECRET));
    assert.ok(!shown.includes(TOKEN));
    assert.ok(!shown.includes(encodeURIComponent(TOKEN)));
    assert.ok(shown.includes("<redacted>"));
    assert.ok(shown.includes(result.signature), "the rest of the result is still shown");
    assert.ok(!JSON.stringify(result).includes(SECRET));
  }
  // The token itself must still travel with the request.
  assert.equal(signed.request.headers["x-amz-security-token"], TOKEN);
  assert.equal(new URL(presigned.url).searchParams.get("X-Amz-Security-Token"), TOKEN);
});
