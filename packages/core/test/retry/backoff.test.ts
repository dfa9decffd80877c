// Backoff with a fixed random: exact delays, the 20 s ceiling, the bounds on server hints,
// and how the hint headers are read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBackoff, parseRetryAfter } from "../../src/retry/index.ts";

const fixed = (value: number) => () => value;

test("the ceiling doubles from 1 s per failed attempt up to 20 s", () => {
  const top = createBackoff({ random: fixed(1) });
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 10, 100, 2000].map((n) => top.delayMs(n)),
    [1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000, 20000, 20000],
  );
});

test("full jitter: the random factor scales the capped ceiling", () => {
  const half = createBackoff({ random: fixed(0.5) });
  assert.deepEqual([1, 2, 3, 4, 5, 6, 9].map((n) => half.delayMs(n)), [500, 1000, 2000, 4000, 8000, 10000, 10000]);
  const zero = createBackoff({ random: fixed(0) });
  assert.deepEqual([1, 5, 9].map((n) => zero.delayMs(n)), [0, 0, 0]);
  const quarter = createBackoff({ random: fixed(0.25) });
  assert.equal(quarter.delayMs(8), 5000);
});

test("random values across [0, 1) stay within [0, ceiling)", () => {
  let seed = 7;
  const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const backoff = createBackoff({ random: lcg });
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = Math.min(1000 * 2 ** (attempt - 1), 20_000);
    for (let i = 0; i < 200; i++) {
      const d = backoff.delayMs(attempt);
      assert.ok(d >= 0 && d < ceiling, `attempt ${attempt}: ${d}`);
    }
  }
});

test("base and ceiling can be set (e.g. the 50 ms base of the newer retry versions)", () => {
  const backoff = createBackoff({ random: fixed(0.5), baseMs: 50, maxMs: 1000 });
  assert.deepEqual([1, 2, 3, 5, 6, 7].map((n) => backoff.delayMs(n)), [25, 50, 100, 400, 500, 500]);
});

test("a server hint stretches the delay by at most 5 s and never shortens it", () => {
  const backoff = createBackoff({ random: fixed(0.5) }); // attempt 3: t = 2000
  assert.equal(backoff.delayMs(3), 2000);
  assert.equal(backoff.delayMs(3, 3500), 3500); // within t..t+5s: the hint
  assert.equal(backoff.delayMs(3, 7000), 7000); // exactly t + 5 s
  assert.equal(backoff.delayMs(3, 60_000), 7000); // capped at t + 5 s
  assert.equal(backoff.delayMs(3, 100), 2000); // shorter than t: t
  assert.equal(backoff.delayMs(3, 0), 2000);
  assert.equal(backoff.delayMs(3, Number.NaN), 2000);
  assert.equal(backoff.delayMs(3, -5), 2000);
  const zero = createBackoff({ random: fixed(0) });
  assert.equal(zero.delayMs(1, 4000), 4000);
  assert.equal(zero.delayMs(1, 9000), 5000);
});

test("hint headers: x-amz-retry-after in ms wins; Retry-After in seconds or as an HTTP date", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter({}, now), undefined);
  assert.equal(parseRetryAfter({ "x-amz-retry-after": "1500" }, now), 1500);
  assert.equal(parseRetryAfter({ "x-amz-retry-after": " 250 " }, now), 250);
  assert.equal(parseRetryAfter({ "x-amz-retry-after": "1500", "retry-after": "9" }, now), 1500);
  assert.equal(parseRetryAfter({ "retry-after": "3" }, now), 3000);
  assert.equal(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:04 GMT" }, now), 4000);
  assert.equal(parseRetryAfter({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, now), 0);
  // Unreadable values are ignored; a bad x-amz-retry-after falls back to Retry-After.
  assert.equal(parseRetryAfter({ "x-amz-retry-after": "1.5" }, now), undefined);
  assert.equal(parseRetryAfter({ "x-amz-retry-after": "-100" }, now), undefined);
  assert.equal(parseRetryAfter({ "x-amz-retry-after": "soon", "retry-after": "2" }, now), 2000);
  assert.equal(parseRetryAfter({ "retry-after": "2.5" }, now), undefined);
  assert.equal(parseRetryAfter({ "retry-after": "tomorrow" }, now), undefined);
  assert.equal(parseRetryAfter({ "retry-after": "Not a date GMT" }, now), undefined);
});
