// The retry quota: costs per kind, exhaustion to the token, refunds capped at the capacity.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRetryQuota, retryCost } from "../../src/retry/index.ts";

test("starts at 500; retries cost 5, or 10 when no response came back", () => {
  const quota = createRetryQuota();
  assert.equal(quota.capacity, 500);
  assert.equal(quota.available, 500);
  assert.equal(retryCost("throttling"), 5);
  assert.equal(retryCost("transient"), 5);
  assert.equal(retryCost("connection"), 10);
  assert.equal(quota.acquire("throttling"), 5);
  assert.equal(quota.acquire("transient"), 5);
  assert.equal(quota.acquire("connection"), 10);
  assert.equal(quota.available, 480);
});

test("exhaustion: 100 retries of 5 empty it exactly, the 101st is refused and takes nothing", () => {
  const quota = createRetryQuota();
  for (let i = 0; i < 100; i++) assert.equal(quota.acquire("transient"), 5, `retry ${i + 1}`);
  assert.equal(quota.available, 0);
  assert.equal(quota.acquire("transient"), false);
  assert.equal(quota.acquire("throttling"), false);
  assert.equal(quota.available, 0);
});

test("a 10-token retry is refused with 9 left while a 5-token one still fits", () => {
  const quota = createRetryQuota();
  for (let i = 0; i < 49; i++) quota.acquire("connection"); // 490 taken
  quota.acquire("transient"); // 495
  quota.release(4); // 9 left
  assert.equal(quota.available, 9);
  assert.equal(quota.acquire("connection"), false);
  assert.equal(quota.available, 9);
  assert.equal(quota.acquire("transient"), 5);
  assert.equal(quota.available, 4);
  assert.equal(quota.acquire("transient"), false);
});

test("refill: releases add back, never above the capacity", () => {
  const quota = createRetryQuota();
  quota.acquire("connection");
  quota.acquire("transient");
  assert.equal(quota.available, 485);
  quota.release(1); // a success without retry
  assert.equal(quota.available, 486);
  quota.release(10); // a success after a connection retry
  assert.equal(quota.available, 496);
  quota.release(5);
  assert.equal(quota.available, 500);
  quota.release(1);
  assert.equal(quota.available, 500);
});

test("from empty, 5 successes without retry pay for exactly one more retry", () => {
  const quota = createRetryQuota(10);
  quota.acquire("connection");
  assert.equal(quota.available, 0);
  for (let i = 0; i < 4; i++) quota.release(1);
  assert.equal(quota.acquire("throttling"), false);
  quota.release(1);
  assert.equal(quota.acquire("throttling"), 5);
  assert.equal(quota.available, 0);
});
