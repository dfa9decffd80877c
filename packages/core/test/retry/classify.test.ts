// Failure classification: every code and status of botocore's standard-mode lists, the
// precedence between them, and a cross-check against botocore's _retry.json (read in place
// from the shared checkout, never copied).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  classify,
  CLOCK_SKEW_ERROR_CODES,
  EXPIRED_TOKEN_ERROR_CODES,
  isClockSkewErrorCode,
  THROTTLING_ERROR_CODES,
  TRANSIENT_ERROR_CODES,
  TRANSIENT_STATUS_CODES,
  type AttemptOutcome,
  type FailureKind,
} from "../../src/retry/index.ts";

const THROTTLING = [
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
];

test("the lists are botocore standard mode's, exactly", () => {
  assert.deepEqual([...THROTTLING_ERROR_CODES], THROTTLING);
  assert.deepEqual([...TRANSIENT_ERROR_CODES], ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"]);
  assert.deepEqual([...TRANSIENT_STATUS_CODES], [500, 502, 503, 504]);
  assert.deepEqual([...EXPIRED_TOKEN_ERROR_CODES], ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]);
  assert.deepEqual([...CLOCK_SKEW_ERROR_CODES].sort(), [
    "AuthFailure",
    "InvalidSignatureException",
    "RequestExpired",
    "RequestInTheFuture",
    "RequestTimeTooSkewed",
    "SignatureDoesNotMatch",
  ]);
});

test("every throttling code is throttling, whatever status it comes with", () => {
  for (const errorCode of THROTTLING) {
    for (const httpStatusCode of [400, 403, 503, 509, undefined]) {
      assert.equal(classify({ errorCode, httpStatusCode }), "throttling", `${errorCode} ${httpStatusCode}`);
    }
  }
});

test("transient codes are transient; PriorRequestNotComplete, in both lists, is throttling", () => {
  assert.equal(classify({ errorCode: "RequestTimeout", httpStatusCode: 400 }), "transient");
  assert.equal(classify({ errorCode: "RequestTimeoutException", httpStatusCode: 408 }), "transient");
  assert.equal(classify({ errorCode: "PriorRequestNotComplete", httpStatusCode: 400 }), "throttling");
});

test("statuses: 500/502/503/504 transient, 429 throttling, everything else nothing", () => {
  const expected: Record<number, FailureKind | undefined> = {
    200: undefined,
    400: undefined,
    401: undefined,
    403: undefined,
    404: undefined,
    408: undefined,
    409: undefined,
    429: "throttling",
    500: "transient",
    501: undefined,
    502: "transient",
    503: "transient",
    504: "transient",
    505: undefined,
    509: undefined,
  };
  for (const [status, kind] of Object.entries(expected)) {
    assert.equal(classify({ httpStatusCode: Number(status) }), kind, `status ${status}`);
    // An unlisted code does not change what the status says.
    assert.equal(classify({ httpStatusCode: Number(status), errorCode: "SomethingElse" }), kind, `status ${status} + code`);
  }
});

test("a codeless, statusless failure with no response is a connection failure", () => {
  assert.equal(classify({ isConnectionError: true }), "connection");
  assert.equal(classify({ isConnectionError: false }), undefined);
  assert.equal(classify({}), undefined);
});

test("the modelled retryable trait decides before the lists and the status", () => {
  assert.equal(classify({ errorCode: "Custom", httpStatusCode: 400, retryable: { throttling: true } }), "throttling");
  assert.equal(classify({ errorCode: "Custom", httpStatusCode: 400, retryable: { throttling: false } }), "transient");
  // Bedrock's ModelNotReadyException: HTTP 429 but modelled retryable, not throttling.
  assert.equal(
    classify({ errorCode: "ModelNotReadyException", httpStatusCode: 429, retryable: { throttling: false } }),
    "transient",
  );
  assert.equal(classify({ errorCode: "ModelNotReadyException", httpStatusCode: 429 }), "throttling");
  // The trait can also say that a listed code is not throttling for this service.
  assert.equal(classify({ errorCode: "LimitExceededException", retryable: { throttling: false } }), "transient");
});

test("expired tokens are flagged on their own, before anything else but a corrected skew", () => {
  for (const errorCode of ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]) {
    assert.equal(classify({ errorCode, httpStatusCode: 400 }), "expired-token", errorCode);
    assert.equal(classify({ errorCode, httpStatusCode: 503 }), "expired-token", `${errorCode} 503`);
    assert.equal(classify({ errorCode, retryable: { throttling: true } }), "expired-token", `${errorCode} modelled`);
  }
  // EC2's RequestExpired is also a skew code: skew if the pipeline corrected its clock.
  assert.equal(classify({ errorCode: "RequestExpired", httpStatusCode: 400, isClockSkewError: true }), "clock-skew");
});

test("a skew code is retried only once the pipeline has corrected its clock", () => {
  for (const errorCode of CLOCK_SKEW_ERROR_CODES) {
    assert.equal(isClockSkewErrorCode(errorCode), true);
    assert.equal(classify({ errorCode, httpStatusCode: 403, isClockSkewError: true }), "clock-skew", errorCode);
  }
  for (const errorCode of ["SignatureDoesNotMatch", "RequestTimeTooSkewed", "InvalidSignatureException", "AuthFailure"]) {
    assert.equal(classify({ errorCode, httpStatusCode: 403 }), undefined, `${errorCode} uncorrected`);
  }
  assert.equal(isClockSkewErrorCode("AccessDenied"), false);
  assert.equal(isClockSkewErrorCode(undefined), false);
});

test("ordinary client errors are not retried", () => {
  for (const errorCode of ["AccessDenied", "ValidationException", "NoSuchKey", "ResourceNotFoundException", "BadDigest"]) {
    assert.equal(classify({ errorCode, httpStatusCode: 400 }), undefined, errorCode);
  }
});

test("_retry.json cross-check: every code it retries is retried here, except the named exceptions", () => {
  const retryJson = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models", "_retry.json");
  const data = JSON.parse(readFileSync(retryJson, "utf8")) as unknown;
  const codes = new Set<string>();
  const statuses = new Set<number>();
  (function walk(node: unknown): void {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "service_error_code" && typeof value === "string") codes.add(value);
      else if (key === "http_status_code" && typeof value === "number") statuses.add(value);
      else walk(value);
    }
  })(data);
  assert.ok(codes.size >= 15, `found ${codes.size} codes`);

  // What standard mode does differently from the legacy file, on purpose:
  const exceptions: Record<string, string> = {
    BadDigest: "S3 Content-MD5 mismatch: botocore's standard mode does not retry it either",
    IDPCommunicationError: "STS-only: the STS package marks it retryable in its error table",
    ReplicatedWriteConflictException: "DynamoDB models it retryable: classified through the trait",
  };
  const missed: string[] = [];
  for (const errorCode of codes) {
    const kind = classify({ errorCode, httpStatusCode: 400 });
    if (kind === undefined && !(errorCode in exceptions)) missed.push(errorCode);
    if (kind !== undefined && errorCode in exceptions) missed.push(`${errorCode} (listed as an exception)`);
  }
  assert.deepEqual(missed, []);
  assert.equal(classify({ errorCode: "ReplicatedWriteConflictException", httpStatusCode: 409, retryable: { throttling: false } }), "transient");

  // Statuses the legacy file retries on their own: all of them here but 509 (see classify.ts).
  const statusKinds = Object.fromEntries([...statuses].sort().map((s) => [s, classify({ httpStatusCode: s } satisfies AttemptOutcome)]));
  assert.deepEqual(statusKinds, {
    400: undefined,
    403: undefined,
    408: undefined,
    409: undefined,
    429: "throttling",
    500: "transient",
    502: "transient",
    503: "transient",
    504: "transient",
    509: undefined,
  });
});
