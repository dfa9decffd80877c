/**
 * UTF-8 lengths, base64 and hex for code every runtime runs (the protocols, pagination
 * tokens, the DynamoDB document layer). Node, Bun, Deno and Workers with nodejs_compat have
 * `Buffer`, native and the fastest, and it is used where it exists; a browser or a Worker
 * without nodejs_compat has none, and there the web platform's TextEncoder, btoa and atob
 * do the same work. Both give the same answers (test/platform/bytes.test.ts in the core
 * holds one against the other), including Buffer's leniency when decoding base64: both
 * alphabets ("+/" and "-_"), padding optional, an incomplete last character ignored.
 */

interface BufferClass {
  from(data: string, encoding: "base64" | "hex" | "utf8"): Uint8Array & { toString(encoding: "utf8"): string };
  from(data: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "base64" | "hex"): string };
  byteLength(text: string, encoding: "utf8"): number;
}

export interface ByteCodecs {
  utf8Length(text: string): number;
  bytesToBase64(bytes: Uint8Array): string;
  base64ToBytes(text: string): Uint8Array;
  bytesToHex(bytes: Uint8Array): string;
  hexToBytes(hex: string): Uint8Array;
}

function bufferCodecs(NodeBuffer: BufferClass): ByteCodecs {
  const view = (bytes: Uint8Array) => NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A small Buffer is a slice of Node's shared 8 KiB pool: copied out, so the bytes handed
  // back own their ArrayBuffer (whose `.buffer` shows nothing else).
  const plain = (buffer: Uint8Array) =>
    buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength
      ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
      : new Uint8Array(buffer);
  return {
    utf8Length: (text) => NodeBuffer.byteLength(text, "utf8"),
    bytesToBase64: (bytes) => view(bytes).toString("base64"),
    base64ToBytes: (text) => plain(NodeBuffer.from(text, "base64")),
    bytesToHex: (bytes) => view(bytes).toString("hex"),
    hexToBytes: (hex) => plain(NodeBuffer.from(hex, "hex")),
  };
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
/** btoa/atob take "binary strings"; this many bytes at a time keeps String.fromCharCode's arguments in bounds. */
const SLICE = 0x8000;

/** The web platform's version of each (see the header). */
export const webCodecs: ByteCodecs = {
  utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit < 0x80) bytes += 1;
      else if (unit < 0x800) bytes += 2;
      else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4; // a surrogate pair: one code point beyond U+FFFF
        i++;
      } else bytes += 3; // includes a lone surrogate, which UTF-8 encoding replaces by U+FFFD
    }
    return bytes;
  },
  bytesToBase64(bytes) {
    let binary = "";
    for (let at = 0; at < bytes.byteLength; at += SLICE) binary += String.fromCharCode(...bytes.subarray(at, at + SLICE));
    return btoa(binary);
  },
  base64ToBytes(text) {
    // Buffer's leniency: either alphabet, anything else (whitespace) skipped, padding
    // optional, and a lone trailing character (no whole byte) dropped.
    let clean = text.replace(/[^A-Za-z0-9+/\-_]/g, "").replace(/-/g, "+").replace(/_/g, "/");
    if (clean.length % 4 === 1) clean = clean.slice(0, -1);
    const binary = atob(clean + "=".repeat((4 - (clean.length % 4)) % 4));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  },
  bytesToHex(bytes) {
    let out = "";
    for (const byte of bytes) out += HEX[byte];
    return out;
  },
  hexToBytes(hex) {
    // As Buffer: pairs of hex digits up to the first that is not one.
    const out: number[] = [];
    for (let i = 0; i + 1 < hex.length; i += 2) {
      const pair = hex.slice(i, i + 2);
      if (!HEX_PAIR.test(pair)) break;
      out.push(Number.parseInt(pair, 16));
    }
    return Uint8Array.from(out);
  },
};

const NodeBuffer = (globalThis as { Buffer?: BufferClass }).Buffer;

/** Buffer's where the runtime has it, else the web platform's. */
export const byteCodecs: ByteCodecs = NodeBuffer ? bufferCodecs(NodeBuffer) : webCodecs;

export const { utf8Length, bytesToBase64, base64ToBytes, bytesToHex, hexToBytes } = byteCodecs;

/** UTF-8 bytes of a string (TextEncoder exists everywhere). */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
