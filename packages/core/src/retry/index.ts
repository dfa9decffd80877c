/**
 * Retries: pure policy objects that the call pipeline consults; none of them sleeps, sends
 * or reads a clock it was not given. The roles follow botocore's `retries/` package:
 *
 *   classify.ts       what kind of failure an attempt was            (standard.py's checkers)
 *   quota.ts          the client's retry budget                      (quota.py)
 *   backoff.ts        how long to wait, and the server's wait hint   (standard.py ExponentialBackoff)
 *   cubic.ts          the CUBIC send-rate curve                      (throttling.py)
 *   token-bucket.ts   send tokens at a rate                          (bucket.py)
 *   send-rate.ts      the measured send rate                         (adaptive.py RateClocker)
 *   rate-limiter.ts   adaptive mode: the three above together        (adaptive.py ClientRateLimiter)
 *   headers.ts        amz-sdk-invocation-id and amz-sdk-request      (handlers.py add_retry_headers)
 *   strategy.ts       the object the pipeline uses: per client, then per call
 *
 * Where botocore registers these as event handlers, here the pipeline calls them in order;
 * strategy.ts's header shows that order.
 */
export {
  classify,
  CLOCK_SKEW_ERROR_CODES,
  EXPIRED_TOKEN_ERROR_CODES,
  isClockSkewErrorCode,
  THROTTLING_ERROR_CODES,
  THROTTLING_STATUS_CODE,
  TRANSIENT_ERROR_CODES,
  TRANSIENT_STATUS_CODES,
  type AttemptOutcome,
  type FailureKind,
} from "./classify.ts";
export {
  createRetryQuota,
  INITIAL_RETRY_TOKENS,
  NO_RESPONSE_RETRY_COST,
  NO_RETRY_REFUND,
  RETRY_COST,
  retryCost,
  type QuotaKind,
  type RetryQuota,
} from "./quota.ts";
export {
  BACKOFF_BASE_MS,
  createBackoff,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_EXTRA_MS,
  parseRetryAfter,
  type Backoff,
  type BackoffOptions,
} from "./backoff.ts";
export { createRateLimiter, type RateLimiter, type RateLimiterSnapshot } from "./rate-limiter.ts";
export { INVOCATION_ID_HEADER, invocationIdHeader, REQUEST_HEADER, requestHeader } from "./headers.ts";
export {
  createRetryStrategy,
  type NoRetryReason,
  type RetryCall,
  type RetryDecision,
  type RetryStrategy,
  type RetryStrategyDeps,
} from "./strategy.ts";
