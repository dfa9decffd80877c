// The upload's body read in parts (part-source.ts): parts cut at the right bytes whatever
// the chunking, copied out of the caller's chunks, buffers reused once a part was sent, a
// declared length held to, and the first bytes given back without a second copy.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { partSourceFor } from "../src/customizations/transfer/part-source.ts";
import { TransferError } from "../src/index.ts";

function bytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.slice(offset, offset + size);
}

describe("part source", () => {
  it("cuts a stream into parts at exact offsets, whatever the chunk sizes", async () => {
    const data = bytes(1000);
    for (const chunk of [1, 7, 64, 250, 333, 1000, 4096]) {
      const source = partSourceFor(chunked(data, chunk), undefined);
      assert.equal(source.length, undefined);
      const parts: Uint8Array[] = [];
      for (let part = await source.read(300); part.length > 0; part = await source.read(300)) parts.push(part);
      assert.deepEqual(parts.map((p) => p.length), [300, 300, 300, 100], `chunks of ${chunk}`);
      assert.deepEqual(Buffer.concat(parts), Buffer.from(data), `chunks of ${chunk}`);
      assert.equal(await source.ended(), true);
    }
  });

  it("copies the caller's chunks: a source that reuses its buffer does not change a part", async () => {
    const shared = new Uint8Array(100);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 5; i++) {
        shared.fill(i);
        yield shared;
      }
    }
    const source = partSourceFor(reusing(), undefined);
    const first = await source.read(250);
    const second = await source.read(250);
    assert.deepEqual([...new Set(first.subarray(0, 100))], [0]);
    assert.deepEqual([...new Set(first.subarray(200, 250))], [2]);
    assert.deepEqual([...new Set(second.subarray(0, 50))], [2]);
    assert.deepEqual([...new Set(second.subarray(50, 150))], [3]);
  });

  it("reuses the buffer of a part that was sent for a later part", async () => {
    const source = partSourceFor(chunked(bytes(1000), 64), undefined);
    const one = await source.read(300);
    const two = await source.read(300);
    assert.notEqual(one.buffer, two.buffer);
    source.release(one);
    const three = await source.read(300);
    assert.equal(three.buffer, one.buffer, "part 3 went into part 1's buffer");
    assert.deepEqual(Buffer.from(three), Buffer.from(bytes(1000).subarray(600, 900)));
    // A view into a buffer, or one not of this source, is never taken back.
    source.release(two.subarray(1));
    source.release(new Uint8Array(300));
    const four = await source.read(300);
    assert.equal(four.length, 100);
  });

  it("gives back the first bytes read without copying them again", async () => {
    const data = bytes(700);
    const source = partSourceFor(Readable.from(chunked(data, 128)), undefined);
    const head = await source.read(300);
    assert.equal(await source.ended(), false);
    source.unread(head);
    const again = await source.read(300);
    assert.equal(again, head, "the same buffer, not a copy");
    const rest = await source.read(1000);
    assert.deepEqual(Buffer.concat([again, rest]), Buffer.from(data));
  });

  it("keeps only the bytes of a short body, not a whole part's buffer", async () => {
    const source = partSourceFor(chunked(bytes(10), 3), undefined);
    const part = await source.read(8 * 1024 * 1024);
    assert.equal(part.length, 10);
    assert.equal(part.buffer.byteLength, 10);
  });

  it("holds a stream to its declared length, both ways", async () => {
    const short = partSourceFor(chunked(bytes(100), 10), 101);
    assert.equal(short.length, 101);
    await assert.rejects(short.read(200), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.equal(error.message, "the body ended after 100 bytes, but its length was given as 101");
      return true;
    });
    const long = partSourceFor(chunked(bytes(100), 10), 99);
    await assert.rejects(long.read(200), /the body yielded more than the 99 bytes its length was given as/);
  });

  it("slices bytes and Blobs without reading ahead, and hands them whole to a single PutObject", async () => {
    const data = bytes(1000);
    const fromBytes = partSourceFor(data, undefined);
    assert.equal(fromBytes.whole, data);
    const part = await fromBytes.read(400);
    assert.equal(part.buffer, data.buffer, "a view of the caller's bytes");
    assert.equal(part.byteOffset, 0);

    const blob = new Blob([data]);
    const fromBlob = partSourceFor(blob, undefined);
    assert.equal(fromBlob.whole, blob);
    assert.equal(fromBlob.length, 1000);
    await fromBlob.read(400);
    assert.deepEqual(Buffer.from(await fromBlob.read(400)), Buffer.from(data.subarray(400, 800)));
    assert.equal((await fromBlob.read(400)).length, 200);
    assert.equal(await fromBlob.ended(), true);

    const text = partSourceFor("héllo", undefined);
    assert.equal(text.length, 6, "a string counts as its UTF-8 bytes");
  });
});
