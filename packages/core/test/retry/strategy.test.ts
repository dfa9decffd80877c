// The strategy as the pipeline drives it: retry decisions against max attempts and the
// quota, the free one-off resends, headers, legacy mode, and adaptive mode's send tokens
// on an injected clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRetryStrategy, type AttemptOutcome, type RetryStrategyDeps } from "../../src/retry/index.ts";
import type { RetryConfig } from "../../src/config/index.ts";

const SERVER_ERROR: AttemptOutcome = { errorCode: "InternalError", httpStatusCode: 503 };
const THROTTLE: AttemptOutcome = { errorCode: "ThrottlingException", httpStatusCode: 400 };
const NO_RESPONSE: AttemptOutcome = { isConnectionError: true };
const ACCESS_DENIED: AttemptOutcome = { errorCode: "AccessDenied", httpStatusCode: 403 };
const EXPIRED: AttemptOutcome = { errorCode: "ExpiredTokenException", httpStatusCode: 400 };
const SKEWED: AttemptOutcome = { errorCode: "RequestTimeTooSkewed", httpStatusCode: 403, isClockSkewError: true };

function strategy(config: Partial<RetryConfig> = {}, deps: RetryStrategyDeps = {}) {
  let ids = 0;
  return createRetryStrategy(
    { mode: "standard", maxAttempts: 3, ...config },
    { random: () => 0.5, uuid: () => `id-${++ids}`, now: () => 0, ...deps },
  );
}

test("a retryable failure is retried with backoff until the last attempt", () => {
  const s = strategy();
  const call = s.newCall();
  assert.deepEqual(call.decide(SERVER_ERROR, 1), { retry: true, kind: "transient", delayMs: 500 });
  assert.deepEqual(call.decide(THROTTLE, 2), { retry: true, kind: "throttling", delayMs: 1000 });
  assert.deepEqual(call.decide(SERVER_ERROR, 3), { retry: false, kind: "transient", reason: "max-attempts" });
  assert.equal(s.quota.available, 490); // two retries of 5; the refused third took nothing
});

test("non-retryable failures stop at once and cost nothing", () => {
  const s = strategy();
  const call = s.newCall();
  assert.deepEqual(call.decide(ACCESS_DENIED, 1), { retry: false, kind: undefined, reason: "not-retryable" });
  assert.deepEqual(call.decide({ errorCode: "SignatureDoesNotMatch", httpStatusCode: 403 }, 1), {
    retry: false,
    kind: undefined,
    reason: "not-retryable",
  });
  assert.equal(s.quota.available, 500);
});

test("maxAttempts 1 never retries; a higher count allows exactly count - 1 retries", () => {
  const one = strategy({ maxAttempts: 1 }).newCall();
  assert.deepEqual(one.decide(THROTTLE, 1), { retry: false, kind: "throttling", reason: "max-attempts" });
  assert.deepEqual(one.decide(EXPIRED, 1), { retry: false, kind: "expired-token", reason: "max-attempts" });
  const ten = strategy({ maxAttempts: 10 }, { random: () => 1 }).newCall();
  const delays: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const d = ten.decide(SERVER_ERROR, attempt);
    if (!d.retry) {
      assert.equal(d.reason, "max-attempts");
      assert.equal(attempt, 10);
      break;
    }
    delays.push(d.delayMs);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000, 20000]);
});

test("connection failures cost 10, others 5; an empty quota refuses the retry", () => {
  const s = strategy({}, { quotaCapacity: 12 });
  assert.deepEqual(s.newCall().decide(NO_RESPONSE, 1), { retry: true, kind: "connection", delayMs: 500 });
  assert.equal(s.quota.available, 2);
  assert.deepEqual(s.newCall().decide(NO_RESPONSE, 1), { retry: false, kind: "connection", reason: "quota-exhausted" });
  assert.deepEqual(s.newCall().decide(THROTTLE, 1), { retry: false, kind: "throttling", reason: "quota-exhausted" });
  assert.equal(s.quota.available, 2);
  // A successful call without retries pays back 1 token each: 3 of them make room for one 5-token retry.
  for (let i = 0; i < 3; i++) s.newCall().onSuccess();
  assert.equal(s.quota.available, 5);
  assert.deepEqual(s.newCall().decide(THROTTLE, 1), { retry: true, kind: "throttling", delayMs: 500 });
  assert.equal(s.quota.available, 0);
});

test("success pays back 1 without retries, or the cost of the call's last retry, once", () => {
  const s = strategy({ maxAttempts: 5 });
  const a = s.newCall();
  a.decide(NO_RESPONSE, 1); // -10
  a.decide(SERVER_ERROR, 2); // -5
  assert.equal(s.quota.available, 485);
  a.onSuccess(); // +5, the last retry's cost
  assert.equal(s.quota.available, 490);
  a.onSuccess(); // a second report of the same call changes nothing
  assert.equal(s.quota.available, 490);
  s.newCall().onSuccess(); // +1
  assert.equal(s.quota.available, 491);
  const b = s.newCall();
  b.decide(SERVER_ERROR, 1); // -5
  b.decide(NO_RESPONSE, 2); // -10
  b.onSuccess(); // +10
  assert.equal(s.quota.available, 486);
});

test("an expired token or a corrected clock is resent at once, free, once per call each", () => {
  const s = strategy({ maxAttempts: 5 });
  const call = s.newCall();
  assert.deepEqual(call.decide(EXPIRED, 1), { retry: true, kind: "expired-token", delayMs: 0 });
  assert.deepEqual(call.decide(SKEWED, 2), { retry: true, kind: "clock-skew", delayMs: 0 });
  assert.deepEqual(call.decide(EXPIRED, 3), { retry: false, kind: "expired-token", reason: "already-resent" });
  assert.deepEqual(call.decide(SKEWED, 3), { retry: false, kind: "clock-skew", reason: "already-resent" });
  assert.equal(s.quota.available, 500);
  // A new call may resend again.
  assert.deepEqual(s.newCall().decide(EXPIRED, 1), { retry: true, kind: "expired-token", delayMs: 0 });
  // They still count as attempts.
  assert.deepEqual(strategy({ maxAttempts: 2 }).newCall().decide(SKEWED, 2), {
    retry: false,
    kind: "clock-skew",
    reason: "max-attempts",
  });
  // A success after only free resends pays back 1, like a call without retries.
  s.quota.acquire("transient");
  call.onSuccess();
  assert.equal(s.quota.available, 496);
});

test("the server's wait hint is honoured within t .. t + 5 s", () => {
  const call = strategy().newCall();
  assert.deepEqual(call.decide({ ...THROTTLE, retryAfterMs: 3000 }, 1), { retry: true, kind: "throttling", delayMs: 3000 });
  assert.deepEqual(call.decide({ ...THROTTLE, retryAfterMs: 60_000 }, 2), { retry: true, kind: "throttling", delayMs: 6000 });
});

test("headers: one invocation id per call, attempt and max per attempt", () => {
  const s = strategy();
  const first = s.newCall();
  const second = s.newCall();
  assert.equal(first.invocationId, "id-1");
  assert.deepEqual(first.invocationIdHeader(), { "amz-sdk-invocation-id": "id-1" });
  assert.deepEqual(first.invocationIdHeader(), { "amz-sdk-invocation-id": "id-1" });
  assert.deepEqual(second.invocationIdHeader(), { "amz-sdk-invocation-id": "id-2" });
  assert.deepEqual(first.requestHeader(1), { "amz-sdk-request": "attempt=1; max=3" });
  assert.deepEqual(first.requestHeader(3), { "amz-sdk-request": "attempt=3; max=3" });
});

test("the default invocation id is a random version-4 UUID", () => {
  const s = createRetryStrategy({ mode: "standard", maxAttempts: 3 });
  const a = s.newCall().invocationId;
  const b = s.newCall().invocationId;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
});

test("legacy mode runs as standard mode with its own attempt count", () => {
  const s = strategy({ mode: "legacy", maxAttempts: 5 });
  assert.equal(s.mode, "legacy");
  assert.equal(s.maxAttempts, 5);
  assert.equal(s.rateLimiter, undefined);
  const call = s.newCall();
  const decisions = [1, 2, 3, 4, 5].map((n) => call.decide(SERVER_ERROR, n));
  assert.deepEqual(
    decisions.map((d) => (d.retry ? d.delayMs : d.reason)),
    [500, 1000, 2000, 4000, "max-attempts"],
  );
  assert.equal(s.quota.available, 480);
  assert.deepEqual(call.requestHeader(4), { "amz-sdk-request": "attempt=4; max=5" });
});

test("standard mode never asks the caller to wait before sending", () => {
  const s = strategy();
  const call = s.newCall();
  for (let i = 0; i < 5; i++) call.decide(THROTTLE, 1);
  assert.equal(call.beforeAttempt(2), 0);
  assert.equal(s.rateLimiter, undefined);
});

test("adaptive mode: free sends until a throttle, then paced by the rate limiter on the injected clock", () => {
  let clock = 0;
  const s = strategy({ mode: "adaptive" }, { now: () => clock });
  assert.ok(s.rateLimiter);
  for (const t of [100, 200, 300, 400]) {
    clock = t;
    const call = s.newCall();
    assert.equal(call.beforeAttempt(1), 0);
    call.onSuccess();
  }
  clock = 600;
  const call = s.newCall();
  assert.equal(call.beforeAttempt(1), 0);
  assert.deepEqual(call.decide(THROTTLE, 1), { retry: true, kind: "throttling", delayMs: 500 });
  const snapshot = s.rateLimiter.snapshot();
  assert.equal(snapshot.enabled, true);
  assert.ok(Math.abs(snapshot.fillRate - 5.6) < 1e-9, `fill rate ${snapshot.fillRate}`);
  // 0.35 tokens on hand, 5.6 a second: 117 ms until the next send token.
  assert.equal(call.beforeAttempt(2), 117);
  clock = 717;
  assert.equal(call.beforeAttempt(2), 0);
  // Another caller at the same instant must wait for the next token.
  assert.equal(s.newCall().beforeAttempt(1), 178);
});

test("adaptive mode hears about a throttle even when it is not retried", () => {
  const s = strategy({ mode: "adaptive", maxAttempts: 1 });
  assert.deepEqual(s.newCall().decide(THROTTLE, 1), { retry: false, kind: "throttling", reason: "max-attempts" });
  assert.equal(s.rateLimiter?.snapshot().enabled, true);
  const other = strategy({ mode: "adaptive" });
  other.newCall().decide(SERVER_ERROR, 1);
  other.newCall().decide(ACCESS_DENIED, 1);
  assert.equal(other.rateLimiter?.snapshot().enabled, false);
});

test("an impossible attempt count is a ConfigError", () => {
  for (const maxAttempts of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => createRetryStrategy({ mode: "standard", maxAttempts }), {
      name: "ConfigError",
      message: `maxAttempts is ${maxAttempts}; expected a whole number of attempts, 1 or more`,
    });
  }
});
