/**
 * CBOR encoding (RFC 8949) for request bodies. Two ways in:
 *
 * - `encodeCbor(value)` writes any plain JavaScript value:
 *     number → integer or float (below)      bigint → integer, or bignum (tag 2/3) beyond 64 bits
 *     string → text (UTF-8)                  Uint8Array / ArrayBuffer(View) → byte string
 *     boolean, null, undefined → simple      Date → tag 1 over epoch seconds
 *     array → array                          plain object / Map → map (undefined values left out)
 *     CborTagged → that tag over its value
 * - `CborWriter` is the same machinery one item at a time, for serializers that walk a
 *   schema and write as they go (the RPC v2 protocol does, so a request never exists twice
 *   in memory as an object tree and as bytes).
 *
 * Output uses definite lengths and the shortest heads (RFC 8949 §4.2.1 preferred
 * serialization) everywhere. Numbers: an integral number is written as an integer (the
 * Smithy RPC v2 spec allows that even for float and double members, when nothing is lost);
 * any other number as a single-precision float when that is exact (`Math.fround(x) === x`),
 * else as a double. NaN and ±Infinity are exact in single precision, so they take five
 * bytes. Half precision is never written: Smithy's spec says not to, because decoders
 * support it unevenly; -0 is a float, so its sign survives.
 *
 * Speed: bytes go into one growable buffer through a DataView; strings of up to 255 ASCII
 * characters (map keys, enum values) are copied byte by byte and the rest go through
 * `TextEncoder.encodeInto`, straight into the buffer. A module-level scratch buffer is
 * reused across calls, so a typical request allocates only its final copy.
 */
import { StratusError } from "../../errors/index.ts";
import { hexToBytes } from "../../platform/bytes.ts";
import { CborTagged } from "./tagged.ts";

/** Deep enough for any model; what it really stops is a cycle in the caller's objects. */
export const MAX_ENCODE_DEPTH = 256;

const TWO_32 = 4294967296;
const TWO_64 = 18446744073709551616n;
const INITIAL_SIZE = 1024;
/** Larger scratch buffers are dropped after use rather than kept for the next call. */
const KEEP_AT_MOST = 1 << 20;

export type MajorType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MAJOR = {
  unsigned: 0,
  negative: 1,
  bytes: 2,
  text: 3,
  array: 4,
  map: 5,
  tag: 6,
  simple: 7,
} as const satisfies Record<string, MajorType>;

const FALSE = 0xf4;
const TRUE = 0xf5;
const NULL = 0xf6;
const UNDEFINED = 0xf7;
const FLOAT32 = 0xfa;
const FLOAT64 = 0xfb;

const textEncoder = new TextEncoder();
let scratch: Uint8Array | undefined;

/** Encodes one value as a CBOR data item. Throws a StratusError for what CBOR cannot hold. */
export function encodeCbor(value: unknown): Uint8Array {
  const writer = new CborWriter();
  writer.value(value);
  return writer.finish();
}

export class CborWriter {
  #buffer: Uint8Array;
  #view: DataView;
  #pos = 0;

  constructor() {
    // Take the shared scratch buffer if no other writer holds it (a getter that encodes
    // while we encode is the only way two could be alive at once).
    this.#buffer = scratch ?? new Uint8Array(INITIAL_SIZE);
    scratch = undefined;
    this.#view = new DataView(this.#buffer.buffer);
  }

  /** The bytes written so far, as their own copy; the writer must not be used afterwards. */
  finish(): Uint8Array {
    const out = this.#buffer.slice(0, this.#pos);
    if (this.#buffer.length <= KEEP_AT_MOST) scratch = this.#buffer;
    return out;
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#pos + n));
    grown.set(this.#buffer.subarray(0, this.#pos));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }

  /** A head: major type plus an argument (a length, count, tag or integer) up to 2^53 − 1. */
  head(major: MajorType, argument: number): void {
    this.#ensure(9);
    const top = major << 5;
    const buffer = this.#buffer;
    if (argument < 24) {
      buffer[this.#pos++] = top | argument;
    } else if (argument < 0x100) {
      buffer[this.#pos++] = top | 24;
      buffer[this.#pos++] = argument;
    } else if (argument < 0x10000) {
      buffer[this.#pos++] = top | 25;
      this.#view.setUint16(this.#pos, argument);
      this.#pos += 2;
    } else if (argument < TWO_32) {
      buffer[this.#pos++] = top | 26;
      this.#view.setUint32(this.#pos, argument);
      this.#pos += 4;
    } else {
      buffer[this.#pos++] = top | 27;
      this.#view.setUint32(this.#pos, Math.floor(argument / TWO_32));
      this.#view.setUint32(this.#pos + 4, argument >>> 0);
      this.#pos += 8;
    }
  }

  /** A head whose argument needs all 64 bits. */
  #head64(major: MajorType, argument: bigint): void {
    this.#ensure(9);
    this.#buffer[this.#pos++] = (major << 5) | 27;
    this.#view.setBigUint64(this.#pos, argument);
    this.#pos += 8;
  }

  number(n: number): void {
    if (Number.isInteger(n) && !Object.is(n, -0)) {
      if (Number.isSafeInteger(n)) {
        if (n >= 0) this.head(MAJOR.unsigned, n);
        else this.head(MAJOR.negative, -1 - n);
        return;
      }
      // Integral but beyond 2^53: still exact as a 64-bit integer if it fits.
      if (n < 18446744073709551616 && n >= -18446744073709551616) {
        this.bigint(BigInt(n));
        return;
      }
    }
    this.float(n);
  }

  /** A float: single precision when exact (NaN and ±Infinity included), else double. */
  float(n: number): void {
    this.#ensure(9);
    if (Math.fround(n) === n || Number.isNaN(n)) {
      this.#buffer[this.#pos++] = FLOAT32;
      this.#view.setFloat32(this.#pos, n);
      this.#pos += 4;
    } else {
      this.#buffer[this.#pos++] = FLOAT64;
      this.#view.setFloat64(this.#pos, n);
      this.#pos += 8;
    }
  }

  bigint(n: bigint): void {
    const negative = n < 0n;
    const magnitude = negative ? -1n - n : n;
    const major = negative ? MAJOR.negative : MAJOR.unsigned;
    if (magnitude <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.head(major, Number(magnitude));
    } else if (magnitude < TWO_64) {
      this.#head64(major, magnitude);
    } else {
      // A bignum: tag 2 (or 3 for −1 − n) over the magnitude's big-endian bytes.
      let hex = magnitude.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      this.head(MAJOR.tag, negative ? 3 : 2);
      this.bytes(hexToBytes(hex));
    }
  }

  string(s: string): void {
    const length = s.length;
    if (length < 0x100) {
      // ASCII fast path: byte length = character count, so the head is known up front.
      const headSize = length < 24 ? 1 : 2;
      // Room for the longest head too, so writing the head below never reallocates.
      this.#ensure(9 + length);
      const buffer = this.#buffer;
      let at = this.#pos + headSize;
      let ascii = true;
      for (let i = 0; i < length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        buffer[at++] = c;
      }
      if (ascii) {
        this.head(MAJOR.text, length);
        this.#pos += length;
        return;
      }
    }
    // UTF-8 is at most three bytes per UTF-16 unit: reserve the head for that, encode in
    // place, then slide the text back if the real length needs a shorter head.
    const most = length * 3;
    const reserved = headSize(most);
    this.#ensure(9 + most);
    const start = this.#pos + reserved;
    const { written } = textEncoder.encodeInto(s, this.#buffer.subarray(start));
    const needed = headSize(written);
    if (needed < reserved) this.#buffer.copyWithin(this.#pos + needed, start, start + written);
    this.head(MAJOR.text, written);
    this.#pos += written;
  }

  bytes(b: Uint8Array): void {
    this.head(MAJOR.bytes, b.length);
    this.#ensure(b.length);
    this.#buffer.set(b, this.#pos);
    this.#pos += b.length;
  }

  boolean(b: boolean): void {
    this.#byte(b ? TRUE : FALSE);
  }

  null(): void {
    this.#byte(NULL);
  }

  undefined(): void {
    this.#byte(UNDEFINED);
  }

  /** Tag 1 over the date's epoch seconds (an integer when whole, else a float). */
  date(d: Date): void {
    const ms = d.getTime();
    if (Number.isNaN(ms)) throw new StratusError("cbor: cannot encode an invalid Date");
    this.head(MAJOR.tag, 1);
    this.number(ms / 1000);
  }

  /** Starts an array of `count` items; write them next. */
  array(count: number): void {
    this.head(MAJOR.array, count);
  }

  /** Starts a map of `count` pairs; write key, value, key, value… next. */
  map(count: number): void {
    this.head(MAJOR.map, count);
  }

  tag(tag: number): void {
    this.head(MAJOR.tag, tag);
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buffer[this.#pos++] = b;
  }

  /** Any plain value, as the module header lists. */
  value(v: unknown, depth = 0): void {
    switch (typeof v) {
      case "number":
        return this.number(v);
      case "string":
        return this.string(v);
      case "boolean":
        return this.boolean(v);
      case "bigint":
        return this.bigint(v);
      case "undefined":
        return this.undefined();
      case "object":
        return this.#object(v, depth);
      case "function":
      case "symbol":
        throw new StratusError(`cbor: cannot encode a ${typeof v}`);
    }
  }

  #object(v: object | null, depth: number): void {
    if (v === null) return this.null();
    if (depth >= MAX_ENCODE_DEPTH) throw new StratusError(`cbor: value nested more than ${MAX_ENCODE_DEPTH} levels deep (a cycle?)`);
    const inner = depth + 1;
    if (v instanceof Uint8Array) return this.bytes(v);
    if (ArrayBuffer.isView(v)) return this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (v instanceof ArrayBuffer) return this.bytes(new Uint8Array(v));
    if (v instanceof Date) return this.date(v);
    if (v instanceof CborTagged) {
      this.tag(v.tag);
      return this.value(v.value, inner);
    }
    if (Array.isArray(v)) {
      this.array(v.length);
      for (const item of v) this.value(item, inner);
      return;
    }
    if (v instanceof Map) {
      this.map(v.size);
      for (const [key, item] of v) {
        this.value(key, inner);
        this.value(item, inner);
      }
      return;
    }
    const record = v as Record<string, unknown>;
    const keys = Object.keys(record);
    let count = 0;
    for (const key of keys) if (record[key] !== undefined) count++;
    this.map(count);
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      this.string(key);
      this.value(item, inner);
    }
  }
}

function headSize(argument: number): number {
  return argument < 24 ? 1 : argument < 0x100 ? 2 : argument < 0x10000 ? 3 : argument < TWO_32 ? 5 : 9;
}
