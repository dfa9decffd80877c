// Adaptive retry against a server that admits at most LIMIT requests a second (a token
// bucket on the server) and answers DynamoDB's ThrottlingException (JSON protocol, 400)
// above it. The same workload runs with retryMode "standard" and then "adaptive"; the
// server counts what it saw. Printed: the rate the client really sent at, its success rate
// (over the whole run, and over its second half, once adaptive mode has found the limit)
// and the throttled share of its requests, for both modes. Asserted: only what does not
// depend on the machine's speed: adaptive is throttled less than standard, and succeeds at
// least as often.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RetryMode } from "@stratus/core";
import { DynamoDB } from "../../packages/dynamodb/src/index.ts";
import { LOCAL_CREDENTIALS } from "../../scripts/local-servers.ts";

const LIMIT = Number(process.env["STRATUS_LOAD_LIMIT"] ?? 200);
const CALLS = Number(process.env["STRATUS_LOAD_CALLS"] ?? 1_500);
const CONCURRENCY = 32;
const MAX_ATTEMPTS = 5;

interface ServerCounts {
  requests: number;
  throttled: number;
  /** When each request arrived (performance.now()). */
  readonly arrivals: number[];
}

/** Admits LIMIT requests a second with a burst of a tenth of that; throttles the rest. */
async function startRateLimitedServer(): Promise<{ url: string; counts: ServerCounts; close: () => Promise<void> }> {
  const counts: ServerCounts = { requests: 0, throttled: 0, arrivals: [] };
  const capacity = Math.max(1, LIMIT / 10);
  let tokens = capacity;
  let refilledAt = performance.now();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const now = performance.now();
      counts.requests++;
      counts.arrivals.push(now);
      tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * LIMIT);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        return res.end('{"Item":{"id":{"S":"k"}}}');
      }
      counts.throttled++;
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
      res.end('{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface RunResult {
  readonly sentPerSecond: number;
  /** Over the second half of the run's time. */
  readonly lateSentPerSecond: number;
  readonly success: number;
  readonly throttled: number;
  readonly requests: number;
}

async function runWorkload(retryMode: RetryMode): Promise<RunResult> {
  const server = await startRateLimitedServer();
  const client = new DynamoDB({ region: "us-east-1", endpoint: server.url, credentials: LOCAL_CREDENTIALS, env: {}, retryMode, maxAttempts: MAX_ATTEMPTS });
  let succeeded = 0;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < CALLS; i = next++) {
          await client.getItem({ TableName: "t", Key: { id: { S: "k" } } }).then(
            () => void succeeded++,
            (error: unknown) => {
              if ((error as { code?: string }).code !== "ThrottlingException") throw error;
            },
          );
        }
      }),
    );
  } finally {
    await client.destroy();
    await server.close();
  }
  const { requests, throttled, arrivals } = server.counts;
  const first = arrivals[0] ?? 0;
  const last = arrivals.at(-1) ?? 0;
  const middle = (first + last) / 2;
  return {
    sentPerSecond: requests / Math.max((last - first) / 1000, 0.001),
    lateSentPerSecond: arrivals.filter((at) => at >= middle).length / Math.max((last - middle) / 1000, 0.001),
    success: succeeded / CALLS,
    throttled: throttled / requests,
    requests,
  };
}

function describe(mode: RetryMode, result: RunResult): string {
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  return `${mode} retry: sent ${Math.round(result.sentPerSecond)} req/s (limit ${LIMIT}; ${Math.round(result.lateSentPerSecond)} req/s in the second half), success ${pct(result.success)}, throttled ${pct(result.throttled)} (${result.requests} requests for ${CALLS} calls)`;
}

test(`adaptive retry is throttled less than standard and succeeds at least as often (${CALLS} calls, ${CONCURRENCY} at a time, limit ${LIMIT}/s)`, async () => {
  const standard = await runWorkload("standard");
  console.log(describe("standard", standard));
  const adaptive = await runWorkload("adaptive");
  console.log(describe("adaptive", adaptive));

  assert.ok(adaptive.throttled < standard.throttled, `adaptive throttled ${adaptive.throttled}, standard ${standard.throttled}`);
  assert.ok(adaptive.success >= standard.success, `adaptive success ${adaptive.success}, standard ${standard.success}`);
});
