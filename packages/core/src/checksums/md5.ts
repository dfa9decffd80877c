/**
 * MD5 (RFC 1321), for the two places AWS still asks for it: the Content-MD5 header of
 * operations that require a body checksum, and SQS's message digests. Not for security:
 * both use it to detect corruption. WebCrypto has no MD5, so `md5` takes node:crypto's
 * native one where the runtime has it (Node, Bun, Deno, Workers with nodejs_compat) and
 * the plain-JavaScript one below elsewhere (a few milliseconds for SQS's 1 MiB maximum).
 *
 * The layout follows the RFC: the message is padded with a 1 bit, zeros and its bit length
 * (little-endian) to a multiple of 64 bytes, then each 64-byte block runs four rounds of
 * sixteen steps over the state (a, b, c, d).
 */

import { bytesToBase64, hexToBytes } from "../platform/bytes.ts";
import { nodeBuiltin } from "../platform/index.ts";

/** Per-step left rotations, four for each round (RFC 1321, 3.4). */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** T[i] = floor(2^32 · |sin(i + 1)|), the RFC's table, computed once. */
const SINES = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

/** The MD5 of `bytes` as lower-case hex or base64: native where the runtime has it. */
export function md5(bytes: Uint8Array, encoding: "hex" | "base64"): string {
  const crypto = nodeBuiltin("node:crypto");
  if (crypto) return crypto.createHash("md5").update(bytes).digest(encoding);
  const hex = md5Hex(bytes);
  return encoding === "hex" ? hex : bytesToBase64(hexToBytes(hex));
}

/** The lower-case hex MD5 of `bytes`, in plain JavaScript (the fallback `md5` uses). */
export function md5Hex(bytes: Uint8Array): string {
  const words = paddedWords(bytes);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let block = 0; block < words.length; block += 16) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + (SINES[i] ?? 0) + (words[block + g] ?? 0)) | 0;
      const shift = SHIFTS[(i >> 4) * 4 + (i & 3)] ?? 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  return littleEndianHex(a0) + littleEndianHex(b0) + littleEndianHex(c0) + littleEndianHex(d0);
}

/** The message as little-endian 32-bit words, padded (RFC 1321, 3.1 and 3.2). */
function paddedWords(bytes: Uint8Array): Int32Array {
  const blocks = Math.floor((bytes.length + 8) / 64) + 1;
  const words = new Int32Array(blocks * 16);
  for (let i = 0; i < bytes.length; i++) words[i >> 2] = (words[i >> 2] ?? 0) | ((bytes[i] ?? 0) << ((i & 3) * 8));
  const end = bytes.length;
  words[end >> 2] = (words[end >> 2] ?? 0) | (0x80 << ((end & 3) * 8));
  // The length in bits, as a 64-bit little-endian number in the last two words.
  const bits = end * 8;
  words[blocks * 16 - 2] = bits | 0;
  words[blocks * 16 - 1] = Math.floor(bits / 2 ** 32);
  return words;
}

function littleEndianHex(word: number): string {
  let out = "";
  for (let i = 0; i < 4; i++) out += ((word >>> (i * 8)) & 0xff).toString(16).padStart(2, "0");
  return out;
}
