/**
 * The client's view of the service's clock. SigV4 signatures carry their signing time and
 * AWS rejects one more than a few minutes from its own (RequestTimeTooSkewed,
 * SignatureDoesNotMatch, InvalidSignatureException…). When a machine's clock is wrong,
 * every call fails the same way, so the client learns the offset from the responses'
 * `Date` header and signs with `now + offset` from then on.
 *
 * The rule is the v3 SDK's: a response whose Date differs from the corrected clock by
 * five minutes or more resets the offset to the difference (the header has one-second
 * resolution and travels with network delay, so small differences are noise). `correct`
 * also says whether the request in question was signed that far from the server's time,
 * which is what makes a clock-skew error worth one resend (retry/classify.ts).
 */

/** Differences below this are noise, not skew. */
export const CLOCK_SKEW_THRESHOLD_MS = 5 * 60_000;

export class ClockOffset {
  #offsetMs = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Milliseconds added to the local clock (positive when the local clock is behind). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** The time to sign with. */
  now(): Date {
    return new Date(this.#now() + this.#offsetMs);
  }

  /**
   * Learns from a response's `Date` header. Returns true when `signedAt` (the request's
   * signing time) was skewed from the server's time; the offset is corrected then, and
   * whenever the corrected clock itself is off.
   */
  correct(dateHeader: string | undefined, signedAt: Date | undefined): boolean {
    if (!dateHeader) return false;
    const serverMs = Date.parse(dateHeader);
    if (Number.isNaN(serverMs)) return false;
    const localMs = this.#now();
    if (Math.abs(serverMs - (localMs + this.#offsetMs)) >= CLOCK_SKEW_THRESHOLD_MS) this.#offsetMs = serverMs - localMs;
    return signedAt !== undefined && Math.abs(serverMs - signedAt.getTime()) >= CLOCK_SKEW_THRESHOLD_MS;
  }
}
