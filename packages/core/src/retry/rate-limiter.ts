/**
 * The adaptive mode's client-side rate limiter: it learns how fast the service lets this
 * client send, and spaces attempts out so that most of them are not throttled at all.
 *
 *   before each attempt     acquire(now) -> 0: go              token-bucket.ts
 *                                        -> n: sleep n ms, then acquire again
 *   after each response     update(isThrottle, now, sentAt)
 *                             measured = send-rate.ts's rate (every response counts)
 *                             throttle of an attempt sent before the last cut: nothing more
 *                             throttle: rate = 0.7 * measured (the first one), cubic.ts
 *                                       or 0.7 * min(measured, fill rate) (later ones)
 *                             otherwise: rate = the CUBIC curve at `now`
 *                             fill rate = min(rate, 2 * measured)
 *
 * The limiter stays off until the first throttle: until then `acquire` is free, but the
 * curve and the fill rate are tracked all along so that the first throttle starts from the
 * rate the client was really sending at. The cap at twice the measured rate keeps the curve
 * from running ahead of a client that is not using what it is allowed.
 *
 * This is botocore's `ClientRateLimiter` (`retries/adaptive.py`) and the v3 SDK's
 * `DefaultRateLimiter`, which agree on the algorithm, made a plain object with every
 * timestamp passed in (milliseconds), so tests drive it with a simulated clock and never sleep.
 * The limiter is shared by all calls of one client. The initial fill rate is botocore's
 * (1 token a second; the v3 SDK starts at 0.5); it only matters until the first update.
 *
 * One departure: a throttle cuts the rate once per congestion event, as TCP's CUBIC cuts
 * once per window, not once per throttled response. Both botocore and the v3 SDK cut on
 * every throttled response, so when many calls are in flight at the moment the server
 * starts throttling, each of their answers cuts again by 0.7, for requests that were sent
 * before the limiter had any chance to react: k throttles in flight cut to 0.7^k. In the
 * simulation of rate-limiter.test.ts (32 callers, 50 ms latency, a server admitting 200
 * requests a second), four throttles at one event cut the rate from ~190 to ~50, and the
 * client averaged 94 req/s over 30 s; cutting once per event it averages 153. Passing the
 * attempt's send time lets the limiter skip those stale throttles: an attempt sent before
 * the last cut was already answered by it. Callers that pass no send time get botocore's
 * behaviour. (The first throttle is still botocore's: it cuts from the measured rate,
 * which is 0 until the meter's first half-second bucket closes.)
 */
import { cubicRate, cubicStart, cubicThrottled, type CubicState } from "./cubic.ts";
import { createSendRateMeter } from "./send-rate.ts";
import { createTokenBucket } from "./token-bucket.ts";

/** The allowed rate may be at most this many times the measured rate. */
export const MAX_RATE_OVER_MEASURED = 2;

export interface RateLimiterSnapshot {
  /** On after the first throttle; until then `acquire` never waits. */
  readonly enabled: boolean;
  /** The allowed send rate (requests a second). */
  readonly fillRate: number;
  /** The measured send rate (requests a second). */
  readonly measuredRate: number;
  readonly cubic: CubicState;
}

export interface RateLimiter {
  /**
   * Takes a send token for one attempt and returns 0 (always, while off), or returns the
   * milliseconds to sleep before asking again.
   */
  acquire(nowMs: number): number;
  /**
   * Records a response (or a failure with no response, which is not a throttle).
   * `sentAtMs`, when the answered attempt took its send token, lets a throttle of an
   * attempt sent before the last cut count as already answered (see the header).
   */
  update(isThrottle: boolean, nowMs: number, sentAtMs?: number): void;
  snapshot(): RateLimiterSnapshot;
}

export function createRateLimiter(startMs: number): RateLimiter {
  const bucket = createTokenBucket({ rate: 1, nowMs: startMs });
  const meter = createSendRateMeter(startMs);
  let cubic = cubicStart(startMs / 1000);
  let enabled = false;
  /** When the rate was last cut for a throttle. */
  let lastCutMs = -Infinity;

  return {
    acquire(nowMs) {
      return enabled ? bucket.acquire(nowMs) : 0;
    },
    update(isThrottle, nowMs, sentAtMs) {
      const measured = meter.record(nowMs);
      // In flight when the rate was cut: that cut already answered this throttle.
      if (isThrottle && sentAtMs !== undefined && sentAtMs < lastCutMs) return;
      const nowSec = nowMs / 1000;
      let rate: number;
      if (isThrottle) {
        const throttledAt = enabled ? Math.min(measured, bucket.fillRate) : measured;
        const next = cubicThrottled(throttledAt, nowSec);
        cubic = next.state;
        rate = next.rate;
        enabled = true;
        lastCutMs = nowMs;
      } else {
        rate = cubicRate(cubic, nowSec);
      }
      bucket.setRate(Math.min(rate, MAX_RATE_OVER_MEASURED * measured), nowMs);
    },
    snapshot() {
      return { enabled, fillRate: bucket.fillRate, measuredRate: meter.rate, cubic };
    },
  };
}
