/**
 * SHA-256 and HMAC-SHA256 for SigV4, from whichever implementation the runtime has. The
 * signer's API is synchronous (`signRequest` returns the signed request), so both
 * implementations here are synchronous too; WebCrypto's `crypto.subtle` is not (it only
 * returns promises), which is why it is not one of them.
 *
 *   node:crypto    Node, Bun, Deno, and Cloudflare Workers with `nodejs_compat`: native
 *                  code, the fast path. Taken with `process.getBuiltinModule` (see
 *                  platform/), never with a static import, so a bundle for a runtime
 *                  without it still loads.
 *   sha256-js      everywhere else (a Worker without `nodejs_compat`, a browser): the
 *                  compression function of `@aws-crypto/sha256-js` (its `RawSha256`, a
 *                  dependency-free class of ~4 KB minified; the package's front door pulls
 *                  in tslib, @aws-sdk/types and @smithy/util-utf8, ~33 KB and ~30 ms to
 *                  load on Node), with UTF-8 from `TextEncoder` and the HMAC construction
 *                  of RFC 2104 written out below. `RawSha256` is reached by its path in
 *                  the package's CommonJS build (the package has no `exports` map), which
 *                  the exact version pinned in package.json keeps stable.
 *
 * The choice is made once, when this module loads: `hashImplementation` says which one.
 * Both are exported so that tests can hold one against the other.
 */
import { RawSha256 } from "@aws-crypto/sha256-js/build/main/RawSha256.js";
import { bytesToHex } from "../platform/bytes.ts";
import { nodeBuiltin } from "../platform/index.ts";

export interface Hashes {
  readonly name: "node:crypto" | "sha256-js";
  /** Hex SHA-256 of the bytes, or of a string's UTF-8 bytes. */
  sha256Hex(data: string | Uint8Array): string;
  /** HMAC-SHA256 of a string's UTF-8 bytes under `key` (a string key is UTF-8 too). */
  hmacSha256(key: string | Uint8Array, data: string): Uint8Array;
  /** The same, as lower-case hex. */
  hmacSha256Hex(key: string | Uint8Array, data: string): string;
}

type NodeCrypto = typeof import("node:crypto");

function nodeHashesFrom(crypto: NodeCrypto): Hashes {
  // createHmac builds a key object from raw bytes on every call; the cached signing key is
  // the same Uint8Array for a day, so its key object is made once and kept beside it.
  const keyObjects = new WeakMap<Uint8Array, ReturnType<NodeCrypto["createSecretKey"]>>();
  const keyFor = (key: string | Uint8Array) => {
    if (typeof key === "string") return key;
    let object = keyObjects.get(key);
    if (!object) {
      object = crypto.createSecretKey(key);
      keyObjects.set(key, object);
    }
    return object;
  };
  // The one-shot `crypto.hash` (Node 21.7+) skips the Hash object: a third of the cost for
  // the short strings SigV4 hashes (the canonical request, a JSON body). Bun and Deno may
  // lack it, and then createHash does the same.
  const oneShot = typeof crypto.hash === "function" ? crypto.hash : undefined;
  return {
    name: "node:crypto",
    sha256Hex: oneShot ? (data) => oneShot("sha256", data, "hex") : (data) => crypto.createHash("sha256").update(data).digest("hex"),
    hmacSha256: (key, data) => crypto.createHmac("sha256", keyFor(key)).update(data, "utf8").digest(),
    hmacSha256Hex: (key, data) => crypto.createHmac("sha256", keyFor(key)).update(data, "utf8").digest("hex"),
  };
}

const utf8 = new TextEncoder();
const BLOCK_BYTES = 64;

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? utf8.encode(data) : data;
}

function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const hash = new RawSha256();
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** HMAC (RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)), K hashed first when longer than a block. */
function hmac(key: string | Uint8Array, data: string): Uint8Array {
  let keyBytes = bytesOf(key);
  if (keyBytes.byteLength > BLOCK_BYTES) keyBytes = sha256(keyBytes);
  const inner = new Uint8Array(BLOCK_BYTES);
  const outer = new Uint8Array(BLOCK_BYTES);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const byte = keyBytes[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  return sha256(outer, sha256(inner, utf8.encode(data)));
}

/** The portable implementation (see the header). */
export const jsHashes: Hashes = {
  name: "sha256-js",
  sha256Hex: (data) => bytesToHex(sha256(bytesOf(data))),
  hmacSha256: hmac,
  hmacSha256Hex: (key, data) => bytesToHex(hmac(key, data)),
};

const nodeCrypto = nodeBuiltin("node:crypto");
const found = typeof nodeCrypto?.createHash === "function" && typeof nodeCrypto.createHmac === "function" ? nodeCrypto : undefined;

/** node:crypto's implementation, where the runtime has node:crypto. */
export const nodeHashes: Hashes | undefined = found ? nodeHashesFrom(found) : undefined;

/** The implementation the signer uses. */
export const hashes: Hashes = nodeHashes ?? jsHashes;

/** Which one that is: "node:crypto" or "sha256-js". */
export const hashImplementation: Hashes["name"] = hashes.name;
