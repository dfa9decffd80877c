/**
 * The retry quota: one token bucket per client that every retry draws from and every success
 * pays back into. While a service is healthy the bucket stays full and retries are free;
 * during an outage each call's retries drain it, and once it is empty calls fail on their
 * first error instead of multiplying the load on a service that is already failing.
 *
 *   start                 500
 *   retry after an error  -5   (throttling or transient: an error response came back)
 *   retry with no response -10 (reset, refused, timed out: the costliest kind to repeat)
 *   success, no retry     +1
 *   success after retries +the cost of the call's last retry
 *   never above the start capacity
 *
 * These are the numbers of botocore's standard mode (`retries/quota.py` and
 * `RetryQuotaChecker`) and the v3 SDK's (`util-retry/constants.ts`). Two details follow
 * botocore where they could differ:
 *   - the 10-token cost: botocore charges it for connect/read timeouts only; the v3 SDK for
 *     every "transient" error, 5xx statuses included. Here it is every failure with no
 *     response at all (the "connection" kind), which covers botocore's timeouts and the v3
 *     SDK's Node socket errors, while a 503 that did come back costs 5 as in botocore.
 *   - a success refunds the cost of the call's last retry only, not the sum of all its
 *     retries (botocore and the v3 SDK agree on this).
 *
 * The quota only counts; which call acquired what is the caller's bookkeeping (strategy.ts
 * keeps it on the per-call object).
 */

/** Failure kinds that draw from the quota (clock-skew and expired-token resends are free). */
export type QuotaKind = "throttling" | "transient" | "connection";

export const INITIAL_RETRY_TOKENS = 500;
export const RETRY_COST = 5;
export const NO_RESPONSE_RETRY_COST = 10;
export const NO_RETRY_REFUND = 1;

export interface RetryQuota {
  readonly available: number;
  readonly capacity: number;
  /** Takes the cost of retrying a failure of this kind: the cost taken, or false when too little is left. */
  acquire(kind: QuotaKind): number | false;
  /** Gives tokens back, never above the capacity. */
  release(amount: number): void;
}

export function retryCost(kind: QuotaKind): number {
  return kind === "connection" ? NO_RESPONSE_RETRY_COST : RETRY_COST;
}

export function createRetryQuota(capacity: number = INITIAL_RETRY_TOKENS): RetryQuota {
  let available = capacity;
  return {
    get available() {
      return available;
    },
    capacity,
    acquire(kind) {
      const cost = retryCost(kind);
      if (cost > available) return false;
      available -= cost;
      return cost;
    },
    release(amount) {
      available = Math.min(capacity, available + amount);
    },
  };
}
