// The adaptive mode's pieces with exact numbers (CUBIC curve, token bucket, measured send
// rate), the limiter that joins them, and a simulated server that throttles above 10
// requests a second, driven by an injected clock: no test here sleeps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cubicRate, cubicStart, cubicThrottled } from "../../src/retry/cubic.ts";
import { createTokenBucket } from "../../src/retry/token-bucket.ts";
import { createSendRateMeter } from "../../src/retry/send-rate.ts";
import { createRateLimiter, type RateLimiter } from "../../src/retry/index.ts";

function near(actual: number, expected: number, what = "", tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected}`);
}

test("CUBIC: a throttle cuts to 70 %, the curve starts there and is back at wMax after k seconds", () => {
  const { state, rate } = cubicThrottled(10, 100);
  near(rate, 7, "cut");
  assert.equal(state.wMax, 10);
  assert.equal(state.lastThrottleSec, 100);
  near(state.k, Math.cbrt(7.5), "k"); // (10 * 0.3 / 0.4) ^ (1/3) = 1.9574...
  near(state.k, 1.9574338205844317, "k digits");
  near(cubicRate(state, 100), 7, "at the throttle");
  near(cubicRate(state, 100 + state.k), 10, "at k");
  near(cubicRate(state, 100 + state.k + 1), 10.4, "k + 1");
  near(cubicRate(state, 100 + state.k + 2), 13.2, "k + 2");
  near(cubicRate(state, 100 + state.k - 1), 9.6, "k - 1");
});

test("CUBIC before any throttle grows as 0.4 t^3 from the start time", () => {
  const state = cubicStart(5);
  assert.equal(cubicRate(state, 5), 0);
  near(cubicRate(state, 6), 0.4);
  near(cubicRate(state, 7), 3.2);
  near(cubicRate(state, 10), 50);
});

test("token bucket: a token or the whole milliseconds until one is there", () => {
  const bucket = createTokenBucket({ rate: 2, nowMs: 0 });
  assert.equal(bucket.fillRate, 2);
  assert.equal(bucket.maxCapacity, 2);
  assert.equal(bucket.capacity, 0);
  assert.equal(bucket.acquire(0), 500); // empty: one token takes 0.5 s at 2/s
  assert.equal(bucket.capacity, 0); // nothing taken
  assert.equal(bucket.acquire(500), 0);
  assert.equal(bucket.acquire(600), 400); // 0.2 on hand, 0.8 to go
  assert.equal(bucket.acquire(2000), 0); // refilled to the cap of 2, one taken
  near(bucket.capacity, 1);
  assert.equal(bucket.acquire(2000), 0);
  assert.equal(bucket.acquire(2000), 500);
  assert.equal(bucket.acquire(1000), 500); // a clock that went back: no refill, same answer
  assert.equal(bucket.acquire(2001), 499); // 0.002 earned: 0.998 to go at 2/s
});

test("token bucket: a rate change credits the time so far at the old rate, and caps what is on hand", () => {
  const bucket = createTokenBucket({ rate: 1, nowMs: 0 });
  bucket.setRate(4, 1000); // 1 s at 1/s
  near(bucket.capacity, 1);
  assert.equal(bucket.maxCapacity, 4);
  bucket.setRate(4, 1250); // 0.25 s at 4/s
  near(bucket.capacity, 2);
  bucket.setRate(10, 5000); // filled to the old cap of 4 first
  near(bucket.capacity, 4);
  bucket.setRate(10, 6000); // 1 s at 10/s, up to the new cap
  near(bucket.capacity, 10);
  bucket.setRate(3, 6000);
  near(bucket.capacity, 3);
  bucket.setRate(0.1, 6000); // floors: 0.5 tokens a second, capacity 1
  assert.equal(bucket.fillRate, 0.5);
  assert.equal(bucket.maxCapacity, 1);
  near(bucket.capacity, 1);
  assert.equal(bucket.acquire(6000), 0);
  assert.equal(bucket.acquire(6000), 2000);
});

test("measured send rate: half-second buckets blended 0.8 new / 0.2 old", () => {
  const meter = createSendRateMeter(0);
  assert.equal(meter.record(100), 0);
  assert.equal(meter.record(200), 0);
  assert.equal(meter.record(499), 0);
  near(meter.record(600), 6.4, "4 in 0.5 s"); // 0.8 * 8
  near(meter.record(1700), 2.08, "1 in 1.0 s"); // 0.8 * 1 + 0.2 * 6.4
  near(meter.rate, 2.08);
  const late = createSendRateMeter(1200); // first bucket starts at 1.0 s
  assert.equal(late.record(1400), 0);
  near(late.record(1500), 3.2, "2 in 0.5 s");
});

test("limiter: free until the first throttle, then paced at 70 % of the measured rate", () => {
  const limiter = createRateLimiter(0);
  for (const t of [100, 200, 300, 400]) {
    assert.equal(limiter.acquire(t), 0);
    limiter.update(false, t);
  }
  assert.equal(limiter.snapshot().enabled, false);
  assert.equal(limiter.acquire(600), 0);
  limiter.update(true, 600); // 5 responses in the first half second: measured 0.8 * 10 = 8
  const s = limiter.snapshot();
  assert.equal(s.enabled, true);
  near(s.measuredRate, 8);
  near(s.fillRate, 5.6, "0.7 * 8");
  assert.equal(s.cubic.wMax, 8);
  assert.equal(s.cubic.lastThrottleSec, 0.6);
  // Bucket: 0.1 s at 1/s, then 0.5 s at the 0.5/s floor (the rate followed 2 * measured = 0) = 0.35 on hand.
  assert.equal(limiter.acquire(600), 117); // ceil(0.65 / 5.6 s)
  assert.equal(limiter.acquire(717), 0);
  assert.equal(limiter.acquire(717), 178); // 0.0052 left: ceil(0.9948 / 5.6 s)
});

test("limiter: a throttle while on uses the lower of measured and allowed rate; successes follow the curve, capped at 2x measured", () => {
  const limiter = createRateLimiter(0);
  for (let t = 50; t <= 500; t += 50) limiter.update(false, t); // 10 responses by 0.5 s: measured 16
  limiter.update(true, 500); // 11th in the same bucket: measured stays 16
  near(limiter.snapshot().fillRate, 11.2, "0.7 * 16");
  // The next bucket: 2 responses (at 0.5 s and 1.0 s) in 0.5 s, so 0.8 * 4 + 0.2 * 16 = 6.4 measured.
  limiter.update(true, 1000);
  const s = limiter.snapshot();
  near(s.measuredRate, 6.4);
  near(s.cubic.wMax, 6.4, "min(6.4 measured, 11.2 allowed)");
  near(s.fillRate, 4.48, "0.7 * 6.4");
  // A success 3 s later: 1 response over 3 s, measured 0.8 / 3 + 0.2 * 6.4 = 1.5467, while
  // the curve says 0.4 * (3 - k)^3 + 6.4 = 7.3: the allowed rate is capped at 2 * measured.
  limiter.update(false, 4000);
  const measured = 0.8 / 3 + 0.2 * 6.4;
  near(limiter.snapshot().measuredRate, measured);
  const k = Math.cbrt((6.4 * 0.3) / 0.4);
  near(cubicRate(limiter.snapshot().cubic, 4), 0.4 * (3 - k) ** 3 + 6.4, "curve");
  assert.ok(0.4 * (3 - k) ** 3 + 6.4 > 2 * measured);
  near(limiter.snapshot().fillRate, 2 * measured, "capped at twice the measured rate");
});

interface SimulationResult {
  /** Attempts sent per second between `from` and the end. */
  readonly sendRate: number;
  /** Attempts the server accepted per second over the same time. */
  readonly acceptedRate: number;
  readonly throttled: number;
  readonly sent: number;
  readonly finalFillRate: number | undefined;
}

/**
 * `workers` callers each send one request after another as fast as they are let through,
 * against a server that throttles a request when it already accepted `limit` in the last
 * second. Each attempt asks the limiter for a send token (sleeping and asking again while it
 * says wait), is answered after `latencyMs`, and reports whether it was throttled.
 */
function simulate(options: {
  readonly limiter: RateLimiter | undefined;
  readonly workers: number;
  readonly latencyMs: number;
  readonly limit: number;
  readonly seconds: number;
  readonly from: number;
  /** Tell the limiter when each answered attempt was sent, as the strategy does (default true). */
  readonly sendTimes?: boolean;
}): SimulationResult {
  type Step = { at: number; worker: number; what: "acquire" | "respond"; throttled: boolean; sentAt: number };
  const queue: Step[] = [];
  for (let w = 0; w < options.workers; w++) queue.push({ at: w, worker: w, what: "acquire", throttled: false, sentAt: 0 });
  const accepted: number[] = [];
  let sent = 0;
  let throttled = 0;
  let acceptedLate = 0;
  const end = options.seconds * 1000;
  const from = options.from * 1000;
  for (;;) {
    queue.sort((a, b) => a.at - b.at || a.worker - b.worker);
    const step = queue.shift();
    if (!step || step.at >= end) break;
    if (step.what === "acquire") {
      const wait = options.limiter ? options.limiter.acquire(step.at) : 0;
      if (wait > 0) {
        queue.push({ ...step, at: step.at + wait });
        continue;
      }
      while (accepted.length > 0 && accepted[0]! <= step.at - 1000) accepted.shift();
      const isThrottled = accepted.length >= options.limit;
      if (isThrottled) throttled++;
      else accepted.push(step.at);
      if (step.at >= from) {
        sent++;
        if (!isThrottled) acceptedLate++;
      }
      queue.push({ at: step.at + options.latencyMs, worker: step.worker, what: "respond", throttled: isThrottled, sentAt: step.at });
    } else {
      options.limiter?.update(step.throttled, step.at, options.sendTimes === false ? undefined : step.sentAt);
      queue.push({ at: step.at, worker: step.worker, what: "acquire", throttled: false, sentAt: 0 });
    }
  }
  const seconds = options.seconds - options.from;
  return {
    sendRate: sent / seconds,
    acceptedRate: acceptedLate / seconds,
    throttled,
    sent,
    finalFillRate: options.limiter?.snapshot().fillRate,
  };
}

test("convergence: one caller against a 10 req/s server settles near 10 req/s", () => {
  const result = simulate({ limiter: createRateLimiter(0), workers: 1, latencyMs: 5, limit: 10, seconds: 120, from: 20 });
  assert.ok(result.sendRate >= 6 && result.sendRate <= 12, `send rate ${result.sendRate}`);
  assert.ok(result.acceptedRate >= 6 && result.acceptedRate <= 10, `accepted rate ${result.acceptedRate}`);
  // Throttled attempts are a small share once the limiter has learnt the rate.
  assert.ok(result.throttled < result.sent * 0.1, `${result.throttled} throttled of ${result.sent}`);
  assert.ok(result.finalFillRate !== undefined && result.finalFillRate >= 5 && result.finalFillRate <= 13, `fill ${result.finalFillRate}`);
});

test("convergence: 16 concurrent callers sharing the limiter settle in the same band", () => {
  for (const latencyMs of [5, 100]) {
    const result = simulate({ limiter: createRateLimiter(0), workers: 16, latencyMs, limit: 10, seconds: 120, from: 20 });
    assert.ok(result.sendRate >= 6 && result.sendRate <= 12, `latency ${latencyMs}: send rate ${result.sendRate}`);
    assert.ok(result.throttled < result.sent * 0.1, `latency ${latencyMs}: ${result.throttled} throttled of ${result.sent}`);
  }
});

test("control: without the limiter the same caller sends ~200 req/s and is mostly throttled", () => {
  const result = simulate({ limiter: undefined, workers: 1, latencyMs: 5, limit: 10, seconds: 30, from: 20 });
  assert.equal(result.sendRate, 200);
  assert.equal(result.acceptedRate, 10);
});

test("a server that never throttles never turns the limiter on", () => {
  const limiter = createRateLimiter(0);
  const result = simulate({ limiter, workers: 4, latencyMs: 20, limit: 1_000_000, seconds: 30, from: 0 });
  assert.equal(result.throttled, 0);
  assert.equal(limiter.snapshot().enabled, false);
  assert.equal(result.sendRate, 200); // 4 callers, 20 ms each
});

test("a throttle of an attempt sent before the last cut does not cut again", () => {
  const limiter = createRateLimiter(0);
  for (let t = 10; t <= 500; t += 10) limiter.update(false, t, t - 5); // 50 answers by 0.5 s
  limiter.update(true, 600, 590); // measured 0.8 * 100 = 80: the cut is to 56
  near(limiter.snapshot().fillRate, 56, "0.7 * 80");
  // Attempts that were in flight at 600 come back throttled too: the cut already answered them.
  for (let t = 601; t <= 620; t++) limiter.update(true, t, 595);
  near(limiter.snapshot().fillRate, 56, "still one cut");
  assert.equal(limiter.snapshot().cubic.lastThrottleSec, 0.6);
  // An attempt sent after the cut and throttled is a new event.
  limiter.update(true, 700, 650);
  near(limiter.snapshot().fillRate, 0.7 * 56, "a second cut, from the allowed rate");
  // Without send times every throttle cuts (botocore's and the v3 SDK's rule).
  const compounding = createRateLimiter(0);
  for (let t = 10; t <= 500; t += 10) compounding.update(false, t);
  for (let t = 600; t < 605; t++) compounding.update(true, t);
  near(compounding.snapshot().fillRate, 0.7 * 0.7 * 0.7 * 0.7 * 0.7 * 80, "five cuts");
});

test("convergence: 32 callers at 50 ms latency against a 200 req/s server keep near it when stale throttles do not cut", () => {
  const run = (sendTimes: boolean): SimulationResult =>
    simulate({ limiter: createRateLimiter(0), workers: 32, latencyMs: 50, limit: 200, seconds: 30, from: 10, sendTimes });
  const once = run(true);
  const compounding = run(false);
  // Each congestion event brings several throttles of attempts already in flight; cutting
  // for each of them (0.7^k) left the client far below the limit for most of the run.
  assert.ok(once.sendRate >= 150 && once.sendRate <= 210, `send rate ${once.sendRate}`);
  assert.ok(once.throttled < once.sent * 0.05, `${once.throttled} throttled of ${once.sent}`);
  assert.ok(compounding.sendRate < once.sendRate - 30, `compounding ${compounding.sendRate}, once ${once.sendRate}`);
});
