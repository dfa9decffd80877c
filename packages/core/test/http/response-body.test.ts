// ResponseBody: read once in each of its five ways (with a message saying how it was used),
// release on an early stop, cancel and dispose, a web stream that pulls and cancels,
// `onDone` called exactly once whichever way it ended, the FinalizationRegistry net for a
// dropped body; then json()/stream()/dispose on real sockets through the Node handler.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createNodeHttpHandler } from "../../src/http/node-handler.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import { bodyFromBytes, createResponseBody, type BodySource } from "../../src/http/response-body.ts";
import { startLoopbackServer } from "../support/loopback-server.ts";

/**
 * A way to force a full collection, on Node.js (exposed here). Deno offers none to a running
 * test, and Bun's collector does not promise to run finalizers when forced.
 */
function forcedCollector(): (() => void) | undefined {
  if ("Bun" in globalThis || "Deno" in globalThis) return undefined;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}
const gc = forcedCollector();
const NO_GC = gc === undefined ? "this runtime cannot force a collection that runs finalizers from a test" : false;

interface CountingSource extends BodySource {
  released: number;
  /** Chunks the source produced so far (to see that nothing is read ahead). */
  produced: number;
}

function source(chunks: string[], fail?: Error): CountingSource {
  const counts = { released: 0, produced: 0 };
  return Object.assign(counts, {
    chunks: (async function* () {
      for (const chunk of chunks) {
        counts.produced++;
        yield new TextEncoder().encode(chunk);
      }
      if (fail) throw fail;
    })(),
    release() {
      counts.released++;
    },
  });
}

test("bytes(), text(), json() and iteration give the same bytes; a body is read once", async () => {
  assert.equal(await createResponseBody(source(["a", "b", "c"])).text(), "abc");
  assert.deepEqual(await createResponseBody(source(["ab", "c"])).bytes(), new TextEncoder().encode("abc"));
  assert.deepEqual(await createResponseBody(source(['{"a":', '[1,"ü"]}'])).json(), { a: [1, "ü"] });
  await assert.rejects(createResponseBody(source(["<Error/>"])).json(), SyntaxError);
  const body = createResponseBody(source(["x", "y"]));
  assert.equal(body.bodyUsed, false);
  const seen: string[] = [];
  for await (const chunk of body) seen.push(new TextDecoder().decode(chunk));
  assert.deepEqual(seen, ["x", "y"]);
  assert.equal(body.bodyUsed, true);
  await assert.rejects(body.text(), { name: "TypeError", message: /already read; a body is read once/ });
  assert.throws(() => body.stream(), /already read/);
  assert.equal(await bodyFromBytes("").text(), "");
  assert.equal(await bodyFromBytes(new Uint8Array([104, 105])).text(), "hi");
});

test("a second reader while the first is reading is refused, and the message says so", async () => {
  const body = createResponseBody(source(["1", "2"]));
  const first = body.text();
  await assert.rejects(body.bytes(), /already being read/);
  assert.equal(await first, "12");
});

test("stopping early releases the source once; reading to the end does not", async () => {
  let done = 0;
  const early = source(["1", "2", "3"]);
  const body = createResponseBody(early, () => done++);
  for await (const chunk of body) {
    assert.equal(new TextDecoder().decode(chunk), "1");
    break;
  }
  assert.equal(early.released, 1);
  assert.equal(done, 1);
  await body.cancel();
  assert.equal(early.released, 1, "cancel after the end is harmless");
  assert.equal(done, 1);

  const full = source(["1"]);
  let fullDone = 0;
  await createResponseBody(full, () => fullDone++).bytes();
  assert.equal(full.released, 0);
  assert.equal(fullDone, 1);
});

test("cancel() and `await using` release an unread body; a read error reaches the reader", async () => {
  const unread = source(["never read"]);
  let done = 0;
  {
    await using body = createResponseBody(unread, () => done++);
    assert.equal(body.bodyUsed, false);
  }
  assert.equal(unread.released, 1);
  assert.equal(done, 1);

  const cancelled = createResponseBody(source(["x"]));
  await cancelled.cancel("stop");
  assert.equal(cancelled.bodyUsed, true);
  await assert.rejects(cancelled.bytes(), /cancelled \(or disposed of\) and cannot be read/);
  await assert.rejects(cancelled.json(), /cancelled/);

  const failing = source(["part"], new Error("socket hang up"));
  let failedDone = 0;
  await assert.rejects(createResponseBody(failing, () => failedDone++).text(), /socket hang up/);
  assert.equal(failedDone, 1);
});

test("stream(): pulled one chunk per read (nothing read ahead), then closed", async () => {
  const counting = source(["a", "b", "c"]);
  let done = 0;
  const body = createResponseBody(counting, () => done++);
  const stream = body.stream();
  assert.equal(body.bodyUsed, true);
  assert.throws(() => body.stream(), /already being read/);
  const reader = stream.getReader();
  assert.equal(counting.produced, 0, "creating the stream reads nothing");
  const first = await reader.read();
  assert.equal(new TextDecoder().decode(first.value), "a");
  assert.equal(counting.produced, 1, "back-pressure: one read, one chunk");
  assert.equal(new TextDecoder().decode((await reader.read()).value), "b");
  assert.equal(new TextDecoder().decode((await reader.read()).value), "c");
  assert.equal((await reader.read()).done, true);
  assert.equal(counting.released, 0);
  assert.equal(done, 1);
});

test("stream(): cancelling it releases the source, before or after the first read", async () => {
  const before = source(["a", "b"]);
  let beforeDone = 0;
  const unreadStream = createResponseBody(before, () => beforeDone++).stream();
  await unreadStream.cancel("not needed");
  assert.equal(before.released, 1);
  assert.equal(beforeDone, 1);
  assert.equal(before.produced, 0);

  const partway = source(["a", "b", "c"]);
  let partwayDone = 0;
  const reader = createResponseBody(partway, () => partwayDone++).stream().getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(partway.released, 1);
  assert.equal(partwayDone, 1);

  const failing = source(["a"], new Error("reset"));
  const failingReader = createResponseBody(failing).stream().getReader();
  await failingReader.read();
  await assert.rejects(failingReader.read(), /reset/);
});

/** Collects garbage until `condition` holds; a bounded number of rounds, no clock. */
async function collectUntil(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 50 && !condition(); round++) {
    gc?.();
    // Finalization callbacks run in a task of their own after the collection.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test("a dropped body (unread or partly read) is released when it is collected; a read or cancelled one is not", { skip: NO_GC }, async () => {
  const unread = source(["a"]);
  const partly = source(["a", "b"]);
  const read = source(["a"]);
  const cancelled = source(["a"]);
  const done = { unread: 0, partly: 0, read: 0, cancelled: 0 };
  // Bodies made and dropped in a function of their own, so no local of this test keeps them.
  await (async () => {
    createResponseBody(unread, () => done.unread++);
    const iterator = createResponseBody(partly, () => done.partly++)[Symbol.asyncIterator]();
    await iterator.next();
    await createResponseBody(read, () => done.read++).bytes();
    await createResponseBody(cancelled, () => done.cancelled++).cancel();
  })();
  assert.equal(unread.released + partly.released, 0, "nothing released before the collector runs");
  await collectUntil(() => unread.released === 1 && partly.released === 1);
  assert.equal(unread.released, 1);
  assert.equal(partly.released, 1);
  assert.deepEqual(done, { unread: 1, partly: 1, read: 1, cancelled: 1 });
  assert.equal(read.released, 0);
  assert.equal(cancelled.released, 1, "released once, by cancel(), not again when collected");
});

test("on real sockets: json(), stream() and `await using` leave the one keep-alive socket reusable", async () => {
  const big = "x".repeat(256 * 1024);
  const server = await startLoopbackServer((req, res) => {
    if (req.url === "/json") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, list: [1, 2, 3] }));
    } else if (req.url === "/big") {
      res.end(big);
    } else {
      res.end("small body");
    }
  });
  const handler = createNodeHttpHandler({ maxConnections: 1 });
  const get = (path: string): HttpRequest => ({ method: "GET", protocol: "http:", hostname: "127.0.0.1", port: server.port, path, query: [], headers: {} });
  try {
    assert.deepEqual(await (await handler.handle(get("/json"), {})).body.json(), { ok: true, list: [1, 2, 3] });

    // A web stream read to the end through a TextDecoderStream.
    const streamed = (await handler.handle(get("/big"), {})).body.stream().pipeThrough(new TextDecoderStream());
    let text = "";
    for await (const piece of streamed) text += piece;
    assert.equal(text.length, big.length);

    // Disposed of unread: a short body is drained, so the one socket serves the next call.
    {
      await using body = (await handler.handle(get("/small"), {})).body;
      assert.equal(body.bodyUsed, false);
    }
    // A big body cancelled through its stream: the socket is closed, a new one opens.
    const reader = (await handler.handle(get("/big"), {})).body.stream().getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(await (await handler.handle(get("/small"), {})).body.text(), "small body");
    const stats = handler.stats?.();
    assert.ok(stats);
    assert.ok(stats.connected <= 1, `one socket at most, got ${stats.connected}`);
    assert.equal(stats.pending, 0);
    assert.equal(server.requests.length, 5);
  } finally {
    await handler.destroy?.();
    await server.close();
  }
});
