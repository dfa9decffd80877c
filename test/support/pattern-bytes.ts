/**
 * Test bodies for the transfer tests: bytes that differ per seed and do not repeat at a part
 * boundary (so a part sent twice, dropped or out of order changes the object), and their
 * SHA-256 to compare objects without holding two copies in an assertion message.
 */
import { createHash } from "node:crypto";

/** `n` bytes of a pattern that differs per seed and does not repeat at a part boundary. */
export function patternBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
