// The two SHA-256/HMAC implementations the signer can run on (signing/hash.ts) give the
// same answers: node:crypto, which the SigV4 suite checks, and the portable sha256-js one,
// which Workers without nodejs_compat and browsers use. Runs under Node, Bun and Deno.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hashes, hashImplementation, jsHashes, nodeHashes } from "../../packages/core/src/signing/hash.ts";

/** Deterministic bytes: a shifted or dropped byte changes every digest. */
function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

test("node:crypto is the signer's choice wherever the runtime has it", () => {
  assert.ok(nodeHashes, "Node, Bun and Deno all have node:crypto");
  assert.equal(hashImplementation, "node:crypto");
  assert.equal(hashes, nodeHashes);
});

test("SHA-256: the well-known digests, then agreement on every block boundary", () => {
  assert.equal(jsHashes.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(jsHashes.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.ok(nodeHashes);
  for (const size of [1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 70_000]) {
    const data = bytes(size, size);
    assert.equal(jsHashes.sha256Hex(data), nodeHashes.sha256Hex(data), `${size} bytes`);
  }
  for (const text of ["héllo", "日本語のキー", "emoji 🚀 and a lone surrogate \ud800", "x".repeat(200)]) {
    assert.equal(jsHashes.sha256Hex(text), nodeHashes.sha256Hex(text), JSON.stringify(text.slice(0, 20)));
  }
});

test("HMAC-SHA256: string and byte keys, keys longer than a block, empty data", () => {
  assert.ok(nodeHashes);
  const keys: Array<string | Uint8Array> = ["", "key", "AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "k".repeat(64), "k".repeat(65), "ключ", bytes(32, 7), bytes(100, 9)];
  for (const key of keys) {
    for (const data of ["", "20150830", "aws4_request", "x".repeat(300), "ünïcødé"]) {
      assert.deepEqual(jsHashes.hmacSha256(key, data), new Uint8Array(nodeHashes.hmacSha256(key, data)));
      assert.equal(jsHashes.hmacSha256Hex(key, data), nodeHashes.hmacSha256Hex(key, data));
    }
  }
  // RFC 4231, test case 2.
  assert.equal(
    jsHashes.hmacSha256Hex("Jefe", "what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});
