/**
 * The retry strategy: the one object the call pipeline asks "may I send?" and "should I try
 * again?". It composes the pieces of this folder; it sleeps, sends and reads nothing itself.
 *
 *   createRetryStrategy(config)    once per client: owns the retry quota (quota.ts) and, in
 *                                  adaptive mode, the rate limiter (rate-limiter.ts), both
 *                                  shared by every call of the client
 *     .newCall()                   once per operation call: the invocation id and what this
 *                                  call has taken from the quota
 *
 * The pipeline drives a call like this (attempts are 1-based):
 *
 *   const call = strategy.newCall();
 *   for (let attempt = 1; ; attempt++) {
 *     for (let ms; (ms = call.beforeAttempt(attempt)) > 0; ) await sleep(ms);  // adaptive only
 *     headers = { ...headers, ...call.invocationIdHeader(), ...call.requestHeader(attempt) };
 *     ... send, parse ...
 *     if (ok) { call.onSuccess(); return result; }
 *     const d = call.decide(outcome, attempt);
 *     if (!d.retry) throw error;                   // d.reason says why, for logs and metadata
 *     if (d.kind === "expired-token") refresh the credentials;
 *     await sleep(d.delayMs);
 *   }
 *
 * `decide` is standard mode's rule, botocore's `StandardRetryConditions` plus its quota:
 * retry when the failure is retryable (classify.ts), the attempt was not the last allowed,
 * and the quota pays for it; the wait comes from backoff.ts. Two kinds of failure are
 * resent at once, without backoff or quota, at most once per call each, because they are
 * about the request, not the service's health: a clock-skew error after the pipeline has
 * corrected its clock, and an expired session token (the pipeline refreshes the credentials
 * first). They still count as attempts, so `max` in amz-sdk-request holds. (The v3 SDK
 * retries a corrected skew as an ordinary transient error, with backoff and quota; botocore
 * retries neither; the Go and Ruby SDKs refresh expired credentials and resend.)
 *
 * Adaptive mode is standard mode plus the rate limiter: `beforeAttempt` takes a send token
 * (0 means go; otherwise sleep that long and ask again, see token-bucket.ts for why), and
 * every response, success or failure, tells the limiter whether it was a throttle, and when
 * the answered attempt was sent (rate-limiter.ts cuts once for attempts already in flight).
 *
 * Legacy mode runs as standard mode with the configured attempt count (5 unless set, from
 * config/retry.ts). botocore's legacy mode is driven by `_retry.json`: no quota, a delay of
 * random() * 2^(n-1) seconds with no ceiling, and a shorter list of retryable errors (plus
 * 429 and 509 by status); the v3 SDK has no legacy mode and treats the name as standard.
 * Following the v3 SDK keeps one retry rule to test and gives legacy users the quota's
 * protection during an outage; only the attempt count, the part users set, is kept.
 */
import type { RetryConfig, RetryMode } from "../config/retry.ts";
import { ConfigError } from "../errors/index.ts";
import { randomUuid } from "../platform/uuid.ts";
import { createBackoff, type Backoff } from "./backoff.ts";
import { classify, type AttemptOutcome, type FailureKind } from "./classify.ts";
import { invocationIdHeader, requestHeader, INVOCATION_ID_HEADER, REQUEST_HEADER } from "./headers.ts";
import { createRetryQuota, NO_RETRY_REFUND, type RetryQuota } from "./quota.ts";
import { createRateLimiter, type RateLimiter } from "./rate-limiter.ts";

export interface RetryStrategyDeps {
  /** A number in [0, 1) for the backoff jitter; `Math.random` unless a test fixes it. */
  readonly random?: (() => number) | undefined;
  /** Milliseconds since the epoch, for the rate limiter; `Date.now` unless a test drives the clock. */
  readonly now?: (() => number) | undefined;
  /** The invocation id of each new call: a random UUID (platform/uuid.ts) unless a test fixes it. */
  readonly uuid?: (() => string) | undefined;
  /** Backoff base and ceiling, when a service needs other values than botocore's 1 s and 20 s. */
  readonly backoff?: { readonly baseMs?: number | undefined; readonly maxMs?: number | undefined } | undefined;
  /** The retry quota's capacity (500). */
  readonly quotaCapacity?: number | undefined;
}

export type NoRetryReason =
  /** classify() found nothing retryable about the failure. */
  | "not-retryable"
  /** The failed attempt was the last one allowed. */
  | "max-attempts"
  /** The client's retry quota cannot pay for another retry (the service looks unhealthy). */
  | "quota-exhausted"
  /** A clock-skew or expired-token failure again, after this call already resent once for it. */
  | "already-resent";

export type RetryDecision =
  | { readonly retry: true; readonly kind: FailureKind; readonly delayMs: number }
  | { readonly retry: false; readonly kind: FailureKind | undefined; readonly reason: NoRetryReason };

export interface RetryCall {
  readonly invocationId: string;
  /**
   * Before attempt `attempt` (1-based): 0 to send now, or milliseconds to sleep before asking
   * again (adaptive mode's send token; always 0 in the other modes).
   */
  beforeAttempt(attempt: number): number;
  /** After attempt `attempt` (1-based) failed: whether to try again, and after how long. */
  decide(outcome: AttemptOutcome, attempt: number): RetryDecision;
  /** After an attempt succeeded: pays the quota back and tells the rate limiter. Once per call. */
  onSuccess(): void;
  /** `amz-sdk-invocation-id`, the same on every attempt of this call. */
  invocationIdHeader(): { readonly [INVOCATION_ID_HEADER]: string };
  /** `amz-sdk-request: attempt=N; max=M`. */
  requestHeader(attempt: number): { readonly [REQUEST_HEADER]: string };
}

export interface RetryStrategy {
  /** The configured mode ("legacy" runs as "standard", see the header). */
  readonly mode: RetryMode;
  /** Total attempts per call, the first one included. */
  readonly maxAttempts: number;
  /** The client's retry quota, shared by all its calls. */
  readonly quota: RetryQuota;
  /** The client's rate limiter in adaptive mode, shared by all its calls. */
  readonly rateLimiter: RateLimiter | undefined;
  newCall(): RetryCall;
}

export function createRetryStrategy(config: RetryConfig, deps: RetryStrategyDeps = {}): RetryStrategy {
  const maxAttempts = config.maxAttempts;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new ConfigError(`maxAttempts is ${String(maxAttempts)}; expected a whole number of attempts, 1 or more`);
  }
  const now = deps.now ?? Date.now;
  const uuid = deps.uuid ?? (() => randomUuid());
  const backoff: Backoff = createBackoff({
    random: deps.random ?? Math.random,
    baseMs: deps.backoff?.baseMs,
    maxMs: deps.backoff?.maxMs,
  });
  const quota = createRetryQuota(deps.quotaCapacity);
  const rateLimiter = config.mode === "adaptive" ? createRateLimiter(now()) : undefined;

  function newCall(): RetryCall {
    const invocationId = uuid();
    /** What this call's last retry took from the quota; what a success gives back. */
    let lastRetryCost: number | undefined;
    /** When the current attempt took its send token (adaptive mode), for the rate limiter. */
    let sentAtMs: number | undefined;
    const resent = new Set<FailureKind>();
    let succeeded = false;

    function refuse(kind: FailureKind | undefined, reason: NoRetryReason): RetryDecision {
      return { retry: false, kind, reason };
    }

    return {
      invocationId,
      beforeAttempt() {
        if (!rateLimiter) return 0;
        const nowMs = now();
        const waitMs = rateLimiter.acquire(nowMs);
        if (waitMs === 0) sentAtMs = nowMs;
        return waitMs;
      },
      decide(outcome, attempt) {
        const kind = classify(outcome);
        rateLimiter?.update(kind === "throttling", now(), sentAtMs);

        if (kind === undefined) return refuse(kind, "not-retryable");
        if (attempt >= maxAttempts) return refuse(kind, "max-attempts");

        if (kind === "clock-skew" || kind === "expired-token") {
          if (resent.has(kind)) return refuse(kind, "already-resent");
          resent.add(kind);
          return { retry: true, kind, delayMs: 0 };
        }

        const cost = quota.acquire(kind);
        if (cost === false) return refuse(kind, "quota-exhausted");
        lastRetryCost = cost;
        return { retry: true, kind, delayMs: backoff.delayMs(attempt, outcome.retryAfterMs) };
      },
      onSuccess() {
        if (succeeded) return;
        succeeded = true;
        quota.release(lastRetryCost ?? NO_RETRY_REFUND);
        rateLimiter?.update(false, now(), sentAtMs);
      },
      invocationIdHeader() {
        return invocationIdHeader(invocationId);
      },
      requestHeader(attempt) {
        return requestHeader(attempt, maxAttempts);
      },
    };
  }

  return { mode: config.mode, maxAttempts, quota, rateLimiter, newCall };
}
