/**
 * How long to wait before a retry: truncated binary exponential backoff with full jitter,
 * in the form the AWS SDKs' retry specification and botocore's `ExponentialBackoff` write it,
 *
 *   delay(n) = random() * min(base * 2^(n-1), max)        n = the attempt that just failed (1-based)
 *
 * with base 1 s and max 20 s (botocore's standard mode). So the wait after the first failure
 * is uniform in [0, 1 s), after the second in [0, 2 s), and from the sixth on in [0, 20 s).
 * Jitter is applied to the capped value, not capped after (the older v3 SDK computed
 * min(max, random * base * 2^i), which piles every late retry up at exactly 20 s).
 *
 * The base is botocore's current default for every kind of error. botocore's next retry
 * version ("2.1") and the v3 SDK's 2026 retries use 1 s for throttling but 50 ms for other
 * errors; the current v3 SDK uses 500 ms / 100 ms. A caller that wants those passes `baseMs`.
 *
 * Server hints. A response may say how long to wait: `x-amz-retry-after` (milliseconds,
 * AWS's own header) or the standard `Retry-After` (seconds or an HTTP date). botocore
 * honours `x-amz-retry-after` only from retry version 2.1; the v3 SDK honours both. We honour
 * both, bounded the way both of them bound it:
 *
 *   delay = max(t, min(hint, t + 5 s))        t = the jittered delay above
 *
 * so a hint can stretch the wait by at most 5 s and can never shorten it: a throttled
 * client still backs off, and a server (or a proxy) cannot park it for an hour.
 *
 * Randomness is injected, so tests pass a fixed `random` and get exact delays.
 */

export const BACKOFF_BASE_MS = 1_000;
export const MAX_BACKOFF_MS = 20_000;
/** The most a server hint may add to the computed delay. */
export const MAX_RETRY_AFTER_EXTRA_MS = 5_000;

export interface BackoffOptions {
  /** A number in [0, 1); `Math.random` in production. */
  readonly random: () => number;
  readonly baseMs?: number | undefined;
  readonly maxMs?: number | undefined;
}

export interface Backoff {
  /**
   * Milliseconds to wait after attempt `failedAttempt` (1-based) failed, honouring the
   * server's hint (`retryAfterMs`) within bounds when there is one.
   */
  delayMs(failedAttempt: number, retryAfterMs?: number | undefined): number;
}

export function createBackoff(options: BackoffOptions): Backoff {
  const base = options.baseMs ?? BACKOFF_BASE_MS;
  const max = options.maxMs ?? MAX_BACKOFF_MS;
  return {
    delayMs(failedAttempt, retryAfterMs) {
      // 2 ** 1100 is Infinity; min() then gives max, which is what a very late attempt should wait.
      const ceiling = Math.min(base * 2 ** Math.max(0, failedAttempt - 1), max);
      const t = options.random() * ceiling;
      if (retryAfterMs === undefined || !(retryAfterMs >= 0)) return t;
      return Math.max(t, Math.min(retryAfterMs, t + MAX_RETRY_AFTER_EXTRA_MS));
    },
  };
}

/**
 * The server's wait hint in milliseconds from response headers (lower-case names), or
 * undefined when there is none or it cannot be read. `x-amz-retry-after` (whole
 * milliseconds) wins over `retry-after` (whole seconds, or an HTTP date; a date in the past
 * means "now", 0). Anything else is ignored, as botocore and the v3 SDK ignore a value they
 * cannot parse.
 *
 * An HTTP date is on the server's clock, so it is measured from the response's own `Date`
 * when there is one, and from `nowMs` only otherwise: a server whose clock is two hours
 * behind ours still means "in one second" by `Retry-After: <its Date + 1 s>` (measured from
 * our clock that read as long past, and the throttled client came straight back).
 */
export function parseRetryAfter(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const amz = headers["x-amz-retry-after"]?.trim();
  if (amz !== undefined && /^\d+$/.test(amz)) return Number(amz);

  const standard = headers["retry-after"]?.trim();
  if (standard === undefined) return undefined;
  if (/^\d+$/.test(standard)) return Number(standard) * 1000;
  if (/GMT$/.test(standard)) {
    const at = Date.parse(standard);
    const serverNow = headers["date"] === undefined ? Number.NaN : Date.parse(headers["date"]);
    if (Number.isFinite(at)) return Math.max(0, at - (Number.isFinite(serverNow) ? serverNow : nowMs));
  }
  return undefined;
}
