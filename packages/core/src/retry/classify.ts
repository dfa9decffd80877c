/**
 * What kind of failure an attempt was, from facts the pipeline already has: the parsed error
 * code, the HTTP status, whether a response came back at all, and the `retryable` trait of
 * the modelled error shape it matched. The answer decides everything downstream: whether to
 * retry, what the retry costs in the quota, and whether the adaptive rate limiter slows down.
 *
 *   kind            retried how                                    source of the rule
 *   "throttling"    backoff, quota cost 5, rate limiter backs off   botocore ThrottledRetryableChecker
 *   "transient"     backoff, quota cost 5                           botocore TransientRetryableChecker
 *   "connection"    backoff, quota cost 10                          no response at all (reset, refused,
 *                                                                   timed out before the response)
 *   "clock-skew"    once per call, at once, free                    the signer corrected its clock
 *   "expired-token" once per call, at once, free, after the         Go v1 `credsExpiredCodes`
 *                   pipeline refreshes its credentials
 *   undefined       not retried
 *
 * Precedence, first match wins:
 *   1. `isClockSkewError`: the pipeline only sets it after correcting its clock offset from
 *      the response's Date header, so a resend can succeed. A skew code without a correction
 *      would fail the same way again, so the code alone classifies as nothing (but see 2).
 *   2. An expired-token code. "RequestExpired" (EC2) is in both this list and the skew list:
 *      if the pipeline found no skew to correct, it is treated as expired credentials.
 *   3. The modelled `retryable` trait: the service's own word beats the generic lists. This is
 *      how Bedrock's `ModelNotReadyException` (HTTP 429, `retryable: {throttling: false}`)
 *      stays "transient" instead of becoming throttling through its status code.
 *   4. Throttling codes, then transient codes. "PriorRequestNotComplete" is in both of
 *      botocore's lists; botocore's throttling detector reports it as throttling, and so do we.
 *   5. No response: "connection".
 *   6. Status 429: throttling (see below), then 500/502/503/504: transient.
 *
 * Where this departs from botocore's standard mode, and why:
 *   - A bare HTTP 429 is throttling. botocore's standard mode only looks at error codes for
 *     throttling and would not retry a 429 whose code is not listed; its legacy `_retry.json`
 *     retries 429 ("too_many_requests"), and the v3 SDK classifies 429 as throttling. 429 means
 *     "Too Many Requests" by definition, so the adaptive limiter should hear about it.
 *   - botocore's two service-specific extras (STS `IDPCommunicationError`, the DynamoDB CRC32
 *     mismatch) are not here: a service package marks such errors retryable in its own error
 *     table (the `retryable` field), so the behaviour is findable from that service.
 *   - Status 509 (legacy `_retry.json` "limit_exceeded") is not retried on its own; its one
 *     known code, BandwidthLimitExceeded, is in the throttling list.
 */

export interface AttemptOutcome {
  /** The service's error code (botocore's `Error.Code`), when a response was parsed. */
  readonly errorCode?: string | undefined;
  readonly httpStatusCode?: number | undefined;
  /** No response came back: the connection was reset or refused, or timed out before the response. */
  readonly isConnectionError?: boolean | undefined;
  /**
   * The service rejected the request's timestamp (see `CLOCK_SKEW_ERROR_CODES`) AND the
   * pipeline has since corrected its clock offset, so a resend is worth trying.
   */
  readonly isClockSkewError?: boolean | undefined;
  /** The matched error shape's modelled `retryable` trait, when it has one. */
  readonly retryable?: { readonly throttling: boolean } | undefined;
  /**
   * The server's own wait hint in milliseconds (`parseRetryAfter` in backoff.ts), if it sent one.
   * Classification ignores it; the backoff honours it within bounds.
   */
  readonly retryAfterMs?: number | undefined;
}

export type FailureKind = "throttling" | "transient" | "connection" | "clock-skew" | "expired-token";

/**
 * botocore standard mode's `_THROTTLED_ERROR_CODES`: the union of every code seen to mean
 * throttling, kept in one list for every service (so `LimitExceededException`, Kinesis's
 * throttle, is throttling for every service, as in botocore and the v3 SDK).
 */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
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
]);

/** botocore standard mode's `_TRANSIENT_ERROR_CODES`. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "RequestTimeout",
  "RequestTimeoutException",
  "PriorRequestNotComplete",
]);

/** botocore standard mode's `_TRANSIENT_STATUS_CODES`. */
export const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** HTTP 429 Too Many Requests: throttling whatever the code (see the header). */
export const THROTTLING_STATUS_CODE = 429;

/**
 * Codes that mean the credentials' session token has expired: refresh the credentials and
 * resend once. The list is the Go SDK v1's `credsExpiredCodes`; botocore never retries these
 * (it refreshes ahead of expiry instead), the v2 JS SDK knew only ExpiredTokenException.
 */
export const EXPIRED_TOKEN_ERROR_CODES: ReadonlySet<string> = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
]);

/**
 * Codes with which services reject a request whose signing time is too far from theirs (the
 * v2 and v3 JS SDKs' list). On one of these the pipeline compares the response's Date header
 * with its clock, corrects its offset, and sets `isClockSkewError` if the offset changed.
 */
export const CLOCK_SKEW_ERROR_CODES: ReadonlySet<string> = new Set([
  "AuthFailure",
  "InvalidSignatureException",
  "RequestExpired",
  "RequestInTheFuture",
  "RequestTimeTooSkewed",
  "SignatureDoesNotMatch",
]);

/** Whether the pipeline should check the response's Date header for clock skew. */
export function isClockSkewErrorCode(code: string | undefined): boolean {
  return code !== undefined && CLOCK_SKEW_ERROR_CODES.has(code);
}

/** The kind of failure, or `undefined` when the attempt should not be retried. */
export function classify(outcome: AttemptOutcome): FailureKind | undefined {
  const code = outcome.errorCode;
  const status = outcome.httpStatusCode;

  if (outcome.isClockSkewError) return "clock-skew";
  if (code !== undefined && EXPIRED_TOKEN_ERROR_CODES.has(code)) return "expired-token";
  if (outcome.retryable) return outcome.retryable.throttling ? "throttling" : "transient";
  if (code !== undefined && THROTTLING_ERROR_CODES.has(code)) return "throttling";
  if (code !== undefined && TRANSIENT_ERROR_CODES.has(code)) return "transient";
  if (outcome.isConnectionError) return "connection";
  if (status === THROTTLING_STATUS_CODE) return "throttling";
  if (status !== undefined && TRANSIENT_STATUS_CODES.has(status)) return "transient";
  return undefined;
}
