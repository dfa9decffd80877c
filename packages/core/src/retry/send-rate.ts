/**
 * The client's measured send rate, the input the adaptive mode compares its allowed rate
 * with. Responses are counted into half-second buckets; when a response lands in a later
 * bucket than the last one, the count is turned into a rate over the time since that bucket
 * and blended into the running figure with an exponential moving average:
 *
 *   measured = 0.8 * (count / seconds since the last bucket) + 0.2 * measured
 *
 * The 0.5 s buckets and the 0.8 smoothing are botocore's (`RateClocker`) and the v3 SDK's
 * (`updateMeasuredRate`). Both start the first bucket at the whole second of the start
 * time; here it starts at the half-second bucket of the start time, so the first rate is
 * measured over the time that really passed.
 *
 * Timestamps are milliseconds, passed in.
 */

export const RATE_BUCKET_SECONDS = 0.5;
export const RATE_SMOOTHING = 0.8;

export interface SendRateMeter {
  /** Requests a second, as last computed (0 until a response lands in a new bucket). */
  readonly rate: number;
  /** Counts one response at `nowMs` and returns the measured rate. */
  record(nowMs: number): number;
}

function bucketOf(nowMs: number): number {
  return Math.floor(nowMs / 1000 / RATE_BUCKET_SECONDS) * RATE_BUCKET_SECONDS;
}

export function createSendRateMeter(startMs: number): SendRateMeter {
  let rate = 0;
  let count = 0;
  let lastBucket = bucketOf(startMs);
  return {
    get rate() {
      return rate;
    },
    record(nowMs) {
      count += 1;
      const bucket = bucketOf(nowMs);
      if (bucket > lastBucket) {
        rate = RATE_SMOOTHING * (count / (bucket - lastBucket)) + (1 - RATE_SMOOTHING) * rate;
        count = 0;
        lastBucket = bucket;
      }
      return rate;
    },
  };
}
