/**
 * The send-token bucket of the adaptive mode: one token per attempt, refilled at `fillRate`
 * tokens a second, holding at most `maxCapacity` (the rate's worth of one second, at least
 * one token). The rate limiter moves the fill rate; this file only keeps the arithmetic.
 *
 * Taking never blocks. `acquire(now)` either takes a token and answers 0, or takes nothing
 * and answers how many milliseconds until a token will be there; the caller sleeps that
 * long and asks again. This is botocore's `TokenBucket` loop (wait on the condition, refill,
 * check again) with the sleeping moved out to the caller, so the pipeline can make it
 * abortable and tests never sleep. Asking again matters when calls run concurrently: the
 * rate may change during the sleep, and a caller must not keep a wait computed at the old
 * rate. (A first version here took the token at once and let the balance go negative,
 * handing each caller a reserved slot; with 16 concurrent callers against a server that
 * allows 10 requests a second, the stale reservations kept the client sending well below
 * its allowed rate and the limiter settled near 4 requests a second instead of 9.4. The
 * v3 SDK's `DefaultRateLimiter` sleeps once and then takes without checking again.)
 *
 * Waits are rounded up to whole milliseconds, so that after sleeping one the token is there
 * unless the rate dropped meanwhile. Timestamps are milliseconds, passed in; a timestamp
 * older than the last one is treated as "no time has passed".
 */

/** The floor of the fill rate, in tokens a second (botocore's `_MIN_RATE`, the v3 SDK's `minFillRate`). */
export const MIN_FILL_RATE = 0.5;
/** The floor of the capacity (the v3 SDK's `minCapacity`; botocore's `1` when the rate is below 1). */
export const MIN_CAPACITY = 1;

export interface TokenBucket {
  /** Tokens a second. */
  readonly fillRate: number;
  readonly maxCapacity: number;
  /** Tokens on hand after the last refill. */
  readonly capacity: number;
  /** Takes one token and returns 0, or takes nothing and returns the milliseconds until one is there. */
  acquire(nowMs: number): number;
  /** Changes the fill rate (at least MIN_FILL_RATE) after crediting the time so far at the old rate. */
  setRate(rate: number, nowMs: number): void;
}

export function createTokenBucket(options: { readonly rate: number; readonly nowMs: number }): TokenBucket {
  let fillRate = Math.max(options.rate, MIN_FILL_RATE);
  let maxCapacity = Math.max(options.rate, MIN_CAPACITY);
  let capacity = 0;
  let lastMs = options.nowMs;

  function refill(nowMs: number): void {
    if (nowMs <= lastMs) return;
    capacity = Math.min(maxCapacity, capacity + ((nowMs - lastMs) / 1000) * fillRate);
    lastMs = nowMs;
  }

  return {
    get fillRate() {
      return fillRate;
    },
    get maxCapacity() {
      return maxCapacity;
    },
    get capacity() {
      return capacity;
    },
    acquire(nowMs) {
      refill(nowMs);
      if (capacity >= 1) {
        capacity -= 1;
        return 0;
      }
      return Math.ceil(((1 - capacity) / fillRate) * 1000);
    },
    setRate(rate, nowMs) {
      // Credit the time since the last refill at the rate it was earned at, then switch.
      refill(nowMs);
      fillRate = Math.max(rate, MIN_FILL_RATE);
      maxCapacity = Math.max(rate, MIN_CAPACITY);
      capacity = Math.min(capacity, maxCapacity);
    },
  };
}
