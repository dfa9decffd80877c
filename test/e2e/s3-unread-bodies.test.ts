// No leaked sockets: 1,000 getObject calls whose Body nobody reads, on a pool of 10
// connections, 20 calls at a time, against s3rver. Half of the objects are bigger than the
// Node handler's 64 KiB drain limit (a cancelled one has its socket closed), half small
// (drained and reused). Each suite must finish with every call answered, no process
// warning, and never more than 10 sockets open:
//   - disposed of (`await using`) or cancelled: the rule callers follow;
//   - simply dropped: the FinalizationRegistry net (response-body.ts) releases each body
//     when it is collected. The collector is run by hand here (--expose-gc, set at run
//     time) when calls wait for a socket and every socket is held by a dropped body: with
//     20 calls in flight on 10 sockets, a batch only finishes if those bodies, once
//     collected, give their sockets back.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createNodeHttpHandler, type HttpHandler, type PoolStats } from "@stratus/core";
import { S3 } from "../../packages/s3/src/index.ts";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { s3rverClient } from "../support/s3rver-client.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const BUCKET = "stratus-unread";
const CALLS = 1_000;
const CONCURRENCY = 20;
const POOL = 10;
const BIG = new Uint8Array(256 * 1024).fill(0x61);
const SMALL = new TextEncoder().encode("a small object");

const warnings: Error[] = [];
process.on("warning", (warning) => warnings.push(warning));

/** Something happened: resolves the one waiter, if any. */
class Events {
  #wake: (() => void) | undefined;

  notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }
}

describe("S3 getObject bodies nobody reads, on a pool of 10", () => {
  let server: RunningServer;
  let pool: HttpHandler;
  let s3: S3;
  /** Wakes the collector loop of the second suite: a request was handed to the pool or answered, or a body dropped. */
  const events = new Events();
  /** Requests handed to the pool so far. */
  let handed = 0;
  let mostSockets = 0;

  function stats(): PoolStats {
    const now = pool.stats?.();
    assert.ok(now, "the Node handler reports its pool");
    return now;
  }

  /** `CALLS` calls, `CONCURRENCY` at a time; `whileWaiting` runs alongside each batch until it is over. */
  async function inBatches(call: (key: string) => Promise<void>, whileWaiting?: (over: () => boolean) => Promise<void>): Promise<number> {
    let completed = 0;
    for (let start = 0; start < CALLS; start += CONCURRENCY) {
      let left = CONCURRENCY;
      const batch = Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, i) => {
          await call((start + i) % 2 === 0 ? "big" : "small");
          completed++;
          left--;
          mostSockets = Math.max(mostSockets, stats().connected);
        }),
      );
      await Promise.all([batch, whileWaiting?.(() => left === 0)]);
    }
    return completed;
  }

  before(async () => {
    server = await startS3rver();
    const node = createNodeHttpHandler({ maxConnections: POOL });
    // The Node handler, telling the collector loop when a request joins the pool's queue.
    pool = {
      handle: async (request, options) => {
        handed++;
        events.notify();
        try {
          return await node.handle(request, options);
        } finally {
          events.notify();
        }
      },
      stats: () => node.stats?.() ?? { connected: 0, free: 0, running: 0, pending: 0 },
      destroy: () => node.destroy?.() ?? Promise.resolve(),
    };
    s3 = s3rverClient(server.endpoint, { requestChecksumCalculation: "when_required", http: { handler: pool } });
    await s3.createBucket({ Bucket: BUCKET });
    await s3.putObject({ Bucket: BUCKET, Key: "big", Body: BIG });
    await s3.putObject({ Bucket: BUCKET, Key: "small", Body: SMALL });
  });
  after(async () => {
    await s3.destroy();
    // The client leaves a handler it was given open: we made it, we close it.
    await pool.destroy?.();
    await server.close();
  });

  it("disposed of or cancelled: 1,000 calls complete without a warning on at most 10 sockets", async () => {
    mostSockets = 0;
    let n = 0;
    const completed = await inBatches(async (key) => {
      const object = await s3.getObject({ Bucket: BUCKET, Key: key });
      assert.equal(object.ContentLength, key === "big" ? BIG.byteLength : SMALL.byteLength);
      if (n++ % 2 === 0) {
        await using body = object.Body;
        assert.equal(body?.bodyUsed, false);
      } else {
        await object.Body?.cancel();
      }
    });
    assert.equal(completed, CALLS);
    assert.ok(mostSockets <= POOL, `at most ${POOL} sockets; saw ${mostSockets}`);
    assert.ok(mostSockets > 0);
    assert.deepEqual(warnings.map(String), []);
    // And the pool still serves a call that reads its body.
    assert.equal((await (await s3.getObject({ Bucket: BUCKET, Key: "small" })).Body?.bytes())?.byteLength, SMALL.byteLength);
  });

  it("simply dropped: the collector releases them; 1,000 calls complete without a warning on at most 10 sockets", async () => {
    mostSockets = 0;
    let dropped = 0;
    let collectedAt = -1;
    const handedBefore = handed;
    const completed = await inBatches(
      async (key) => {
        const object = await s3.getObject({ Bucket: BUCKET, Key: key });
        assert.equal(object.Body?.bodyUsed, false);
        // Dropped here: neither read, nor cancelled, nor disposed of.
        dropped++;
        events.notify();
      },
      async (over) => {
        // A full collection costs tens of milliseconds here (more on a loaded machine), so
        // one runs only when nothing else can happen: calls wait in the pool's queue, and
        // every request that got a socket was answered and its body dropped. The finalizers
        // then give sockets back, the waiting calls go out, and their answers wake this loop.
        while (!over()) {
          const { pending } = stats();
          const stuck = pending > 0 && handed - handedBefore - pending === dropped && dropped !== collectedAt;
          if (stuck) {
            collectedAt = dropped;
            gc();
          } else {
            await events.next();
            // Let the request reach the pool's queue, and the dropping call return.
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
      },
    );
    assert.equal(completed, CALLS);
    assert.ok(mostSockets <= POOL, `at most ${POOL} sockets; saw ${mostSockets}`);
    assert.deepEqual(warnings.map(String), []);
    assert.equal((await (await s3.getObject({ Bucket: BUCKET, Key: "big" })).Body?.bytes())?.byteLength, BIG.byteLength);
  });
});
