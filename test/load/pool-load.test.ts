// 10,000 DynamoDB GetItem calls, 256 at a time, through ONE client whose transport has
// 64 sockets, against a loopback server that answers at once. Every call must succeed;
// the pool must never hold more than 64 sockets (handler.stats(), sampled on a timer and
// after every call); and once the run is over and the garbage collected, the heap must be
// back near where it was after a warm-up. Nothing here looks at how long anything took.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createNodeHttpHandler, type PoolStats } from "@stratus/core";
import { DynamoDB } from "../../packages/dynamodb/src/index.ts";
import { LOCAL_CREDENTIALS } from "../../scripts/local-servers.ts";

const CALLS = 10_000;
const CONCURRENCY = 256;
const MAX_SOCKETS = 64;
const HEAP_MARGIN_MIB = 20;
const MIB = 1024 * 1024;

// A gc() without asking the runner for --expose-gc: the flag set at run time is seen by a new context.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const ITEM = JSON.stringify({ Item: { id: { S: "k" }, payload: { S: "x".repeat(200) }, n: { N: "42" } } });

/** Answers every request at once; records nothing, so the server adds no garbage of its own. */
async function startInstantServer(): Promise<{ url: string; served: () => number; close: () => Promise<void> }> {
  let served = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      served++;
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": `r${served}`, "content-length": String(ITEM.length) });
      res.end(ITEM);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function runCalls(count: number, concurrency: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await call(i);
    }),
  );
}

test(`${CALLS} calls at concurrency ${CONCURRENCY} through one client with ${MAX_SOCKETS} sockets`, async () => {
  const server = await startInstantServer();
  const handler = createNodeHttpHandler({ maxConnections: MAX_SOCKETS });
  const client = new DynamoDB({ region: "us-east-1", endpoint: server.url, credentials: LOCAL_CREDENTIALS, env: {}, http: { handler } });
  let maxConnected = 0;
  let maxPending = 0;
  const sample = (stats: PoolStats | undefined): void => {
    if (stats === undefined) return;
    maxConnected = Math.max(maxConnected, stats.connected);
    maxPending = Math.max(maxPending, stats.pending);
  };
  const getItem = async (): Promise<void> => {
    const out = await client.getItem({ TableName: "load", Key: { id: { S: "k" } } });
    if (out.Item?.["n"]?.N !== "42") throw new Error(`unexpected item ${JSON.stringify(out.Item)}`);
    sample(handler.stats?.());
  };
  try {
    // Warm-up: undici loaded, the runtime resolved, the pool's sockets open.
    await runCalls(CONCURRENCY, CONCURRENCY, getItem);
    const baseline = await settledHeap();

    const timer = setInterval(() => sample(handler.stats?.()), 2);
    let failures = 0;
    try {
      await runCalls(CALLS, CONCURRENCY, () => getItem().catch(() => void failures++));
    } finally {
      clearInterval(timer);
    }
    const growth = (await settledHeap()) - baseline;
    const line = `load: ${CALLS} calls at concurrency ${CONCURRENCY}, max sockets ${maxConnected}/${MAX_SOCKETS}, heap ${growth >= 0 ? "+" : ""}${(growth / MIB).toFixed(1)} MiB after`;
    console.log(line);

    assert.equal(failures, 0);
    assert.equal(server.served(), CALLS + CONCURRENCY);
    assert.ok(handler.stats !== undefined, "the Node handler reports its pool");
    assert.ok(maxConnected > 0, "the sampler saw the pool");
    assert.ok(maxConnected <= MAX_SOCKETS, `${maxConnected} sockets open at once`);
    assert.ok(maxPending > 0, "calls beyond the pool waited in the queue (the cap was really tested)");
    assert.ok(growth < HEAP_MARGIN_MIB * MIB, line);
    const after = handler.stats?.();
    assert.equal(after?.running, 0);
    assert.equal(after?.pending, 0);
  } finally {
    await client.destroy();
    await handler.destroy?.();
    await server.close();
  }
});
