// Retry-After as an HTTP date is on the server's clock: it is measured from the response's
// own Date header when there is one. (Found by the fault suite, test/faults: a server two
// hours behind said "retry in 1 s" and the client, reading the date against its own clock,
// came straight back after a few milliseconds.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRetryAfter } from "../../src/retry/index.ts";

const ourNow = Date.parse("2026-01-01T12:00:00Z");

test("an HTTP-date Retry-After is measured from the response's Date, whatever our clock says", () => {
  // The server is 2 h behind: its Date and its Retry-After are both 2 h in our past.
  const behind = { date: "Thu, 01 Jan 2026 10:00:00 GMT", "retry-after": "Thu, 01 Jan 2026 10:00:03 GMT" };
  assert.equal(parseRetryAfter(behind, ourNow), 3000);
  // 2 h ahead: not a two-hour wait.
  const ahead = { date: "Thu, 01 Jan 2026 14:00:00 GMT", "retry-after": "Thu, 01 Jan 2026 14:00:02 GMT" };
  assert.equal(parseRetryAfter(ahead, ourNow), 2000);
  // A date before the server's own now means "now".
  assert.equal(parseRetryAfter({ date: ahead.date, "retry-after": "Thu, 01 Jan 2026 13:59:00 GMT" }, ourNow), 0);
});

test("without a readable Date, the HTTP date is measured from our clock; seconds never need one", () => {
  assert.equal(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 12:00:04 GMT" }, ourNow), 4000);
  assert.equal(parseRetryAfter({ date: "not a date", "retry-after": "Thu, 01 Jan 2026 12:00:04 GMT" }, ourNow), 4000);
  assert.equal(parseRetryAfter({ date: "Thu, 01 Jan 2026 10:00:00 GMT", "retry-after": "5" }, ourNow), 5000);
});
