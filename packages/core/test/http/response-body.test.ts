// ResponseBody without sockets: read once in each of its three ways, release on an early
// stop, cancel and dispose, and `onDone` called exactly once whichever way it ended.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bodyFromBytes, createResponseBody, type BodySource } from "../../src/http/response-body.ts";

function source(chunks: string[], fail?: Error): BodySource & { released: number } {
  const out = {
    released: 0,
    chunks: (async function* () {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
      if (fail) throw fail;
    })(),
    release() {
      out.released++;
    },
  };
  return out;
}

test("bytes(), text() and iteration give the same bytes; a body is read once", async () => {
  assert.equal(await createResponseBody(source(["a", "b", "c"])).text(), "abc");
  assert.deepEqual(await createResponseBody(source(["ab", "c"])).bytes(), new TextEncoder().encode("abc"));
  const body = createResponseBody(source(["x", "y"]));
  assert.equal(body.bodyUsed, false);
  const seen: string[] = [];
  for await (const chunk of body) seen.push(new TextDecoder().decode(chunk));
  assert.deepEqual(seen, ["x", "y"]);
  assert.equal(body.bodyUsed, true);
  await assert.rejects(body.text(), /already read or cancelled/);
  assert.equal(await bodyFromBytes("").text(), "");
  assert.equal(await bodyFromBytes(new Uint8Array([104, 105])).text(), "hi");
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
  await assert.rejects(cancelled.bytes(), /already read or cancelled/);

  const failing = source(["part"], new Error("socket hang up"));
  let failedDone = 0;
  await assert.rejects(createResponseBody(failing, () => failedDone++).text(), /socket hang up/);
  assert.equal(failedDone, 1);
});
