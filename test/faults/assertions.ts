/**
 * What the scenarios assert again and again: that a retried request is the same request,
 * and what a call's failure or `$metadata` says.
 */
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import type { RecordedRequest } from "./fault-server.ts";

/** What each attempt may change: its signature, its date and its attempt number. */
const PER_ATTEMPT = new Set(["authorization", "x-amz-date", "amz-sdk-request"]);

/** The request minus what each attempt may change: method, target, headers in order and case, body bytes. */
export function attemptInvariant(request: RecordedRequest, alsoAllowed: readonly string[] = []): unknown {
  const allowed = new Set([...PER_ATTEMPT, ...alsoAllowed]);
  return {
    method: request.method,
    url: request.url,
    headers: request.rawHeaders.filter(([name]) => !allowed.has(name.toLowerCase())).map(([name, value]) => `${name}: ${value}`),
    body: request.body.toString("hex"),
  };
}

/**
 * Every request the server received is byte for byte the first one, except for the
 * signature, the date and `amz-sdk-request`, which says which attempt it is.
 */
export function assertSameRequestEachAttempt(requests: readonly RecordedRequest[], alsoAllowed: readonly string[] = []): void {
  const [first, ...rest] = requests;
  assert.ok(first, "at least one request");
  const max = /max=(\d+)/.exec(String(first.headers["amz-sdk-request"]))?.[1];
  requests.forEach((request, i) => {
    assert.equal(request.headers["amz-sdk-request"], `attempt=${i + 1}; max=${max}`, `attempt ${i + 1} says which attempt it is`);
    assert.match(String(request.headers["authorization"]), /^AWS4-HMAC-SHA256 Credential=/, `attempt ${i + 1} is signed`);
  });
  rest.forEach((request, i) => {
    assert.deepEqual(attemptInvariant(request, alsoAllowed), attemptInvariant(first, alsoAllowed), `attempt ${i + 2} is not the first request resent`);
  });
}

/** `$metadata` of a result or an error. */
export function metadataOf(value: unknown): { attempts: number; totalRetryDelay: number; httpStatusCode?: number | undefined } {
  const metadata = (value as { $metadata?: { attempts: number; totalRetryDelay: number; httpStatusCode?: number } } | null)?.$metadata;
  assert.ok(metadata, "has $metadata");
  return metadata;
}

/** Milliseconds since `start` (performance.now()), for the lower bounds of the scenarios about time. */
export function elapsedSince(start: number): number {
  return performance.now() - start;
}

export { performance };

/** x-amz-date (20240102T030405Z) as milliseconds since the epoch. */
export function amzDateMs(amzDate: unknown): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(amzDate));
  if (!m) throw new Error(`not an x-amz-date: ${String(amzDate)}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
