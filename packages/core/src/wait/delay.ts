/**
 * How long to wait before the next attempt: the smithy waiter backoff (the v3 SDK's and
 * the Go and Rust SDKs' waiters), not botocore's fixed `delay` every time.
 *
 *   ceiling  = log2(maxDelay / minDelay) + 1      attempts before the cap is reached
 *   upper    = attempt > ceiling ? maxDelay : minDelay × 2^(attempt − 1)
 *   delay    = random in [minDelay, upper]         (at the cap: maxDelay, no jitter)
 *   if remaining − delay ≤ minDelay: delay = remaining − minDelay
 *
 * The last line makes the final attempt land about `minDelay` before the deadline instead
 * of being skipped. With no time left beyond `minDelay` there is no further attempt (the
 * Go SDK's check is `<`; `≤` here, so a clock that does not move during an attempt, as in
 * tests, cannot produce an endless run of zero delays). All values are milliseconds.
 * Computing the ceiling first also keeps `2^(attempt − 1)` from overflowing on long waits.
 */
export interface BackoffInput {
  /** Attempts made so far (1 after the first). */
  readonly attempt: number;
  readonly minDelay: number;
  readonly maxDelay: number;
  /** Milliseconds left until the maximum wait is reached. */
  readonly remaining: number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** The delay before the next attempt, or undefined when no further attempt fits. */
export function waiterDelay({ attempt, minDelay, maxDelay, remaining, random }: BackoffInput): number | undefined {
  if (remaining <= minDelay) return undefined;
  const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
  let delay: number;
  if (attempt > ceiling) {
    delay = maxDelay;
  } else {
    const upper = minDelay * 2 ** (attempt - 1);
    delay = Math.round(minDelay + random() * (upper - minDelay));
  }
  if (remaining - delay <= minDelay) delay = remaining - minDelay;
  return delay;
}
