// The smithy waiter backoff: exponential ceiling with jitter from minDelay, the cap without
// jitter, the last-attempt clamp, and the point where no further attempt fits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waiterDelay } from "../../src/wait/index.ts";

const fixed = (value: number) => () => value;
const far = 10_000_000;

test("the upper bound doubles from minDelay per attempt; jitter picks within [minDelay, upper]", () => {
  const half = [1, 2, 3, 4, 5, 6].map((attempt) =>
    waiterDelay({ attempt, minDelay: 2000, maxDelay: 120_000, remaining: far, random: fixed(0.5) }),
  );
  assert.deepEqual(half, [2000, 3000, 5000, 9000, 17000, 33000]);
  const low = [1, 2, 3, 6].map((attempt) => waiterDelay({ attempt, minDelay: 2000, maxDelay: 120_000, remaining: far, random: fixed(0) }));
  assert.deepEqual(low, [2000, 2000, 2000, 2000]);
});

test("past the attempt ceiling (log2(max/min) + 1) the delay is maxDelay exactly, without jitter", () => {
  // log2(120/2) + 1 = 6.9: attempts 7 and later are at the cap.
  for (const random of [0, 0.5, 0.99]) {
    assert.equal(waiterDelay({ attempt: 7, minDelay: 2000, maxDelay: 120_000, remaining: far, random: fixed(random) }), 120_000);
    assert.equal(waiterDelay({ attempt: 500, minDelay: 2000, maxDelay: 120_000, remaining: far, random: fixed(random) }), 120_000);
  }
  // Equal min and max: always that delay.
  assert.deepEqual(
    [1, 2, 3].map((attempt) => waiterDelay({ attempt, minDelay: 5000, maxDelay: 5000, remaining: far, random: fixed(0.7) })),
    [5000, 5000, 5000],
  );
});

test("a delay that would leave minDelay or less is shortened so the last attempt still happens", () => {
  // 9000 would leave 1000 of 10000: wait 8000 instead, leaving exactly minDelay.
  assert.equal(waiterDelay({ attempt: 4, minDelay: 2000, maxDelay: 120_000, remaining: 10_000, random: fixed(0.5) }), 8000);
  // Leaving exactly minDelay is shortened too (the spec's <=).
  assert.equal(waiterDelay({ attempt: 1, minDelay: 2000, maxDelay: 120_000, remaining: 4000, random: fixed(0) }), 2000);
  assert.equal(waiterDelay({ attempt: 1, minDelay: 2000, maxDelay: 120_000, remaining: 4001, random: fixed(0) }), 2000);
  assert.equal(waiterDelay({ attempt: 1, minDelay: 2000, maxDelay: 120_000, remaining: 2500, random: fixed(0) }), 500);
});

test("with minDelay or less remaining there is no further attempt", () => {
  assert.equal(waiterDelay({ attempt: 3, minDelay: 2000, maxDelay: 120_000, remaining: 2000, random: fixed(0) }), undefined);
  assert.equal(waiterDelay({ attempt: 3, minDelay: 2000, maxDelay: 120_000, remaining: -5, random: fixed(0) }), undefined);
});
