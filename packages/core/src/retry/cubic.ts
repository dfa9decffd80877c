/**
 * The CUBIC curve (RFC 8312, TCP's congestion window) as the adaptive retry mode uses it for
 * a send rate in requests per second: on a throttle, cut the rate to 70 % of what it was;
 * after that, grow it along a cubic that is flat around the rate that was throttled
 * (probing carefully near the known limit) and steep far from it (recovering quickly after a
 * long quiet spell).
 *
 *   on throttle at rate W, time t0:   wMax = W,  k = cbrt(wMax * (1 - beta) / C),  rate = beta * W
 *   on success at time t:             rate = C * (t - t0 - k)^3 + wMax
 *
 * k is where the curve gets back to wMax, so right after the throttle the curve gives
 * exactly beta * wMax: the two formulas meet. beta = 0.7 and C = 0.4 are botocore's
 * (`retries/throttling.py`) and the v3 SDK's (`DefaultRateLimiter`) constants.
 *
 * Pure functions over an immutable state, times in seconds (the constants are calibrated
 * in seconds and requests per second).
 */

export const CUBIC_BETA = 0.7;
export const CUBIC_SCALE = 0.4;

export interface CubicState {
  /** The rate at the last throttle (0 before any). */
  readonly wMax: number;
  /** Seconds after the last throttle at which the curve is back at wMax. */
  readonly k: number;
  /** When the last throttle happened (or when the curve started), in seconds. */
  readonly lastThrottleSec: number;
}

/** The curve before any throttle: wMax 0 and k 0, so it grows as C * t^3 from the start time. */
export function cubicStart(startSec: number): CubicState {
  return { wMax: 0, k: 0, lastThrottleSec: startSec };
}

/** A throttle at `rate`: the new curve, and the rate to drop to at once. */
export function cubicThrottled(rate: number, nowSec: number): { readonly state: CubicState; readonly rate: number } {
  const k = Math.cbrt((rate * (1 - CUBIC_BETA)) / CUBIC_SCALE);
  return { state: { wMax: rate, k, lastThrottleSec: nowSec }, rate: rate * CUBIC_BETA };
}

/** The rate the curve allows at `nowSec` after a success. */
export function cubicRate(state: CubicState, nowSec: number): number {
  return CUBIC_SCALE * (nowSec - state.lastThrottleSec - state.k) ** 3 + state.wMax;
}
