/**
 * platform/bytes.ts: the web platform's codecs (what a browser or a Worker without
 * nodejs_compat runs) give what Buffer gives, on seeded random data and on the lenient
 * base64 Buffer accepts; and what either hands back owns its bytes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { byteCodecs, webCodecs } from "../../src/platform/bytes.ts";

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(20261125);
const bytesOf = (length: number): Uint8Array => Uint8Array.from({ length }, () => Math.floor(next() * 256));
const CASES = Array.from({ length: 200 }, (_, i) => bytesOf(i < 70 ? i : Math.floor(next() * 40_000)));

test("Buffer is what Node uses, so the comparisons below are web against Buffer", () => {
  assert.notEqual(byteCodecs, webCodecs);
});

test("base64 and hex: the web codecs write what Buffer writes and read it back", () => {
  for (const bytes of CASES) {
    const base64 = Buffer.from(bytes).toString("base64");
    assert.equal(webCodecs.bytesToBase64(bytes), base64);
    assert.equal(byteCodecs.bytesToBase64(bytes), base64);
    assert.deepEqual(webCodecs.base64ToBytes(base64), bytes);
    assert.deepEqual(byteCodecs.base64ToBytes(base64), bytes);
    const hex = Buffer.from(bytes).toString("hex");
    assert.equal(webCodecs.bytesToHex(bytes), hex);
    assert.deepEqual(webCodecs.hexToBytes(hex), bytes);
  }
});

test("base64 is read as leniently as Buffer reads it", () => {
  const inputs = ["aGVsbG8", "aGVsbG8=", "aGV sbG8=\n", "-_-_", "+/+/", "YQ", "YQ=", "YWJj", "YWJjZ", "", "===", "a", "Zm9v!YmFy"];
  for (const text of inputs) {
    assert.deepEqual(webCodecs.base64ToBytes(text), new Uint8Array(Buffer.from(text, "base64")), JSON.stringify(text));
  }
  for (const text of ["0a1", "zz", "0a0bzz0c", "ABcd", ""]) {
    assert.deepEqual(webCodecs.hexToBytes(text), new Uint8Array(Buffer.from(text, "hex")), JSON.stringify(text));
  }
});

test("UTF-8 length: the web count is Buffer's, lone surrogates included", () => {
  const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xe9, 0x20ac, 0xfffd, 0xd83d, 0xde00, 0xdc00, 0xd800];
  for (let i = 0; i < 500; i++) {
    const text = String.fromCharCode(...Array.from({ length: Math.floor(next() * 12) }, () => units[Math.floor(next() * units.length)] ?? 0x41));
    assert.equal(webCodecs.utf8Length(text), Buffer.byteLength(text, "utf8"), JSON.stringify(text));
    assert.equal(byteCodecs.utf8Length(text), Buffer.byteLength(text, "utf8"));
  }
});

test("decoded bytes are plain Uint8Arrays that own their memory (no Buffer pool behind them)", () => {
  for (const codecs of [byteCodecs, webCodecs]) {
    const small = codecs.base64ToBytes("aGVsbG8=");
    assert.equal(small.constructor, Uint8Array);
    assert.equal(small.buffer.byteLength, 5);
    const fromHex = codecs.hexToBytes("00ff");
    assert.equal(fromHex.constructor, Uint8Array);
    assert.equal(fromHex.buffer.byteLength, 2);
  }
});
