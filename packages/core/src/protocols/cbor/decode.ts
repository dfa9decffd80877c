/**
 * CBOR decoding (RFC 8949), for bodies that come off the network: one data item in, plain
 * JavaScript out, and a `ParseError` (never a RangeError, never a hang) for anything that
 * is not well-formed.
 *
 *   major type            JavaScript value
 *   0 / 1  integers       number, or bigint beyond ±(2^53 − 1)
 *   2      byte string    Uint8Array (a copy; indefinite-length chunks joined)
 *   3      text string    string (strict UTF-8: an invalid sequence is an error)
 *   4      array          unknown[]
 *   5      map            plain object; keys must be text strings, a repeated key keeps the last value
 *   6      tag            1 → Date (epoch seconds), 2 / 3 → bigint (bignums), 55799 → the item itself,
 *                         any other → CborTagged { tag, value }
 *   7      simple/float   false, true, null, undefined; half, single and double floats → number
 *
 * It reads with one cursor over the input and a DataView on the same memory, recursing once
 * per nesting level. Hostile input is bounded three ways before any work is done for it:
 * every read checks the bytes are there; a length or count larger than what is left of the
 * input is refused before anything is allocated (an array item takes at least one byte, a
 * map pair two); nesting deeper than MAX_DEPTH is refused, so recursion cannot overflow the
 * stack. Indefinite-length items consume at least one byte per step, so they end with the
 * input. Simple values other than the four above and the reserved additional-information
 * values 28–30 are rejected, since RPC v2 gives them no meaning.
 *
 * Text is the hot path (every map key is one): short ASCII strings are built directly,
 * anything else goes through a fatal TextDecoder, and short ASCII map keys go through a
 * small cache (see `key`), which halves decoding time for lists of structures because the
 * engine no longer has to intern a fresh copy of each property name.
 */
import { ParseError } from "../../errors/index.ts";
import { bytesToHex } from "../../platform/bytes.ts";
import { CborTagged } from "./tagged.ts";

/** Deeper nesting than any service model uses, and far below what the stack can take. */
export const MAX_DEPTH = 256;

const PROTOCOL = "cbor";
const BREAK = 0xff;
const TWO_32 = 4294967296;
/** Above this, the high word of a 64-bit integer makes it exceed Number.MAX_SAFE_INTEGER. */
const SAFE_HIGH_WORD = 0x200000;
/** Short ASCII strings are cheaper to build by hand than to send through TextDecoder. */
const SHORT_TEXT = 32;

/** Slots in the map-key cache (a power of two), and the longest key it holds. */
const KEY_CACHE_SIZE = 1024;
const KEY_CACHE_LONGEST = 32;
const keyCache: Array<string | undefined> = new Array<string | undefined>(KEY_CACHE_SIZE).fill(undefined);

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes exactly one CBOR data item that fills `bytes`. */
export function decodeCbor(bytes: Uint8Array): unknown {
  if (bytes.length === 0) throw new ParseError(PROTOCOL, "no data: expected one CBOR data item");
  const reader = new Reader(bytes);
  let value: unknown;
  try {
    value = reader.item(0);
  } catch (error) {
    if (error instanceof ParseError) throw error;
    // A backstop only: every read above is bounds-checked, so this means a bug, and even
    // then the caller must see a ParseError rather than a RangeError.
    throw new ParseError(PROTOCOL, `malformed data near byte ${reader.pos}`, { cause: error });
  }
  if (reader.pos !== bytes.length) {
    reader.fail(`${bytes.length - reader.pos} unexpected bytes after the data item`);
  }
  return value;
}

class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string): never {
    throw new ParseError(PROTOCOL, `${problem} (at byte ${this.pos})`);
  }

  /** Makes sure `n` more bytes are there. */
  need(n: number): void {
    if (n > this.bytes.length - this.pos) {
      this.fail(`truncated: ${n} more byte${n === 1 ? "" : "s"} needed, ${this.bytes.length - this.pos} left`);
    }
  }

  item(depth: number): unknown {
    this.need(1);
    const initial = this.bytes[this.pos++] as number;
    const info = initial & 0x1f;
    switch (initial >> 5) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === "number" ? -1 - n : -1n - n;
      }
      case 2:
        return info === 31 ? this.chunkedBytes() : this.byteString(this.length(info));
      case 3:
        return info === 31 ? this.chunkedText() : this.text(this.length(info));
      case 4:
        return this.array(info, depth + 1);
      case 5:
        return this.map(info, depth + 1);
      case 6:
        return this.tagged(this.argument(info), depth + 1);
      default:
        return this.simple(info);
    }
  }

  /** The unsigned value a head carries (integers, tag numbers). */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    const { view } = this;
    switch (info) {
      case 24:
        this.need(1);
        return this.bytes[this.pos++] as number;
      case 25: {
        this.need(2);
        const value = view.getUint16(this.pos);
        this.pos += 2;
        return value;
      }
      case 26: {
        this.need(4);
        const value = view.getUint32(this.pos);
        this.pos += 4;
        return value;
      }
      case 27: {
        this.need(8);
        const high = view.getUint32(this.pos);
        const low = view.getUint32(this.pos + 4);
        this.pos += 8;
        return high < SAFE_HIGH_WORD ? high * TWO_32 + low : (BigInt(high) << 32n) | BigInt(low);
      }
      case 31:
        return this.fail("indefinite length is not allowed for this major type");
      default:
        return this.fail(`reserved additional information ${info}`);
    }
  }

  /** A definite length or count; anything larger than the whole input is refused here. */
  length(info: number): number {
    const n = this.argument(info);
    if (typeof n !== "number" || n > this.bytes.length) this.fail(`a length of ${n} exceeds the input`);
    return n;
  }

  byteString(length: number): Uint8Array {
    this.need(length);
    const out = this.bytes.slice(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  text(length: number): string {
    this.need(length);
    const { bytes } = this;
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length <= SHORT_TEXT) {
      let out = "";
      for (let i = start; i < end; i++) {
        const c = bytes[i] as number;
        if (c >= 0x80) return this.utf8(start, end);
        out += String.fromCharCode(c);
      }
      return out;
    }
    return this.utf8(start, end);
  }

  /**
   * A map key. Keys repeat (every structure in a list has the same ones), so short ASCII
   * keys are looked up in a small cache by a hash of their bytes: a hit returns the very
   * string used before, which V8 has already internalized as a property name.
   */
  key(length: number): string {
    if (length > KEY_CACHE_LONGEST || length === 0) return this.text(length);
    this.need(length);
    const { bytes } = this;
    const start = this.pos;
    const end = start + length;
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + (bytes[i] as number)) | 0;
    const slot = hash & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.pos = end;
        return cached;
      }
    }
    const key = this.text(length);
    if (key.length === length) keyCache[slot] = key; // ASCII only: one byte per character
    return key;
  }

  utf8(start: number, end: number): string {
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      this.pos = start;
      return this.fail("a text string is not valid UTF-8");
    }
  }

  /** The definite chunks of an indefinite-length string of major type `major`, up to the break. */
  chunks(major: 2 | 3, read: (length: number) => void): void {
    for (;;) {
      this.need(1);
      const initial = this.bytes[this.pos++] as number;
      if (initial === BREAK) return;
      const info = initial & 0x1f;
      if (initial >> 5 !== major || info === 31) {
        this.pos--;
        this.fail("an indefinite-length string may hold only definite strings of its own type");
      }
      read(this.length(info));
    }
  }

  chunkedBytes(): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    this.chunks(2, (length) => {
      const part = this.byteString(length);
      parts.push(part);
      total += part.length;
    });
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  chunkedText(): string {
    // Each chunk is a complete text string on its own (a UTF-8 sequence may not span two).
    let out = "";
    this.chunks(3, (length) => {
      out += this.text(length);
    });
    return out;
  }

  array(info: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const out: unknown[] = [];
    if (info === 31) {
      while (!this.atBreak()) out.push(this.item(depth));
      return out;
    }
    const count = this.length(info);
    if (count > this.bytes.length - this.pos) this.fail(`an array of ${count} items exceeds the input`);
    for (let i = 0; i < count; i++) out.push(this.item(depth));
    return out;
  }

  map(info: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const out: Record<string, unknown> = {};
    if (info === 31) {
      while (!this.atBreak()) this.entry(out, depth);
      return out;
    }
    const count = this.length(info);
    if (count * 2 > this.bytes.length - this.pos) this.fail(`a map of ${count} pairs exceeds the input`);
    for (let i = 0; i < count; i++) this.entry(out, depth);
    return out;
  }

  entry(out: Record<string, unknown>, depth: number): void {
    this.need(1);
    const initial = this.bytes[this.pos] as number;
    if (initial >> 5 !== 3) this.fail("a map key is not a text string");
    this.pos++;
    const info = initial & 0x1f;
    const key = info === 31 ? this.chunkedText() : this.key(this.length(info));
    const value = this.item(depth);
    if (key === "__proto__") {
      // A plain assignment would replace the object's prototype; keep it an ordinary key.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = value;
    }
  }

  /** Consumes a break if one is next; inside indefinite-length items only. */
  atBreak(): boolean {
    this.need(1);
    if (this.bytes[this.pos] !== BREAK) return false;
    this.pos++;
    return true;
  }

  tagged(tag: number | bigint, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const start = this.pos;
    const value = this.item(depth);
    switch (tag) {
      case 1: {
        // Epoch-based date/time: an integer or a float of seconds.
        const seconds = typeof value === "bigint" ? Number(value) : value;
        const date = typeof seconds === "number" ? new Date(Math.round(seconds * 1000)) : undefined;
        if (!date || Number.isNaN(date.getTime())) {
          this.pos = start;
          this.fail("tag 1 (epoch time) must hold a number of seconds within the Date range");
        }
        return date;
      }
      case 2:
      case 3: {
        // Bignums: the byte string is the magnitude, big-endian; tag 3 means −1 − n.
        if (!(value instanceof Uint8Array)) {
          this.pos = start;
          this.fail(`tag ${tag} (bignum) must hold a byte string`);
        }
        const magnitude = value.length === 0 ? 0n : BigInt(`0x${bytesToHex(value)}`);
        return tag === 2 ? magnitude : -1n - magnitude;
      }
      case 55799:
        // "Self-described CBOR" marks the data and means nothing else.
        return value;
      default:
        return new CborTagged(Number(tag), value);
    }
  }

  simple(info: number): unknown {
    const { view } = this;
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 24: {
        this.need(1);
        const value = this.bytes[this.pos] as number;
        return this.fail(value < 32 ? `simple value ${value} is not well-formed in two bytes` : `unsupported simple value ${value}`);
      }
      case 25: {
        this.need(2);
        const value = halfToNumber(view.getUint16(this.pos));
        this.pos += 2;
        return value;
      }
      case 26: {
        this.need(4);
        const value = view.getFloat32(this.pos);
        this.pos += 4;
        return value;
      }
      case 27: {
        this.need(8);
        const value = view.getFloat64(this.pos);
        this.pos += 8;
        return value;
      }
      case 28:
      case 29:
      case 30:
        this.pos--;
        return this.fail(`reserved additional information ${info}`);
      case 31:
        this.pos--;
        return this.fail("a break outside an indefinite-length item");
      default:
        this.pos--;
        return this.fail(`unsupported simple value ${info}`);
    }
  }
}

/** IEEE 754 binary16 → number (RFC 8949 Appendix D, written with exponents). */
export function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  const magnitude =
    exponent === 0 ? fraction * 2 ** -24
    : exponent === 31 ? (fraction === 0 ? Infinity : NaN)
    : (fraction + 1024) * 2 ** (exponent - 25);
  return half & 0x8000 ? -magnitude : magnitude;
}
