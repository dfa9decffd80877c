/**
 * The headers of an event-stream message, both ways. On the wire each header is
 *
 *   name length (1 byte) │ name (UTF-8) │ type (1 byte) │ value
 *
 * and the value's form depends on the type:
 *
 *   0 bool true, 1 bool false   nothing (the type is the value)
 *   2 byte                      1 byte, signed
 *   3 short                     2 bytes, signed, big-endian
 *   4 integer                   4 bytes, signed, big-endian
 *   5 long                      8 bytes, signed, big-endian (a `bigint` here)
 *   6 byte array                2-byte unsigned length, then the bytes
 *   7 string                    2-byte unsigned length, then UTF-8
 *   8 timestamp                 8 bytes, signed milliseconds since the epoch (a `Date`)
 *   9 uuid                      16 bytes (the canonical 8-4-4-4-12 lower-case text here)
 *
 * A header value is a tagged `{ type, value }`, so a long stays a bigint and a timestamp a
 * Date on a round trip, and an encoder never has to guess a width from a number.
 * Every read is bounds-checked; anything that does not fit is an EventStreamFrameError
 * ("header"), never a RangeError.
 */
import { EventStreamFrameError } from "./errors.ts";

export type HeaderValue =
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "byte"; readonly value: number }
  | { readonly type: "short"; readonly value: number }
  | { readonly type: "integer"; readonly value: number }
  | { readonly type: "long"; readonly value: bigint }
  | { readonly type: "binary"; readonly value: Uint8Array }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "timestamp"; readonly value: Date }
  | { readonly type: "uuid"; readonly value: string };

/** Headers by name. A name repeated on the wire keeps its last value. */
export type MessageHeaders = Record<string, HeaderValue>;

const TYPE_CODE = {
  true: 0,
  false: 1,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  binary: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
} as const;

/** Longest name (1-byte length) and variable-length value (2-byte length). */
const MAX_NAME_BYTES = 0xff;
const MAX_VALUE_BYTES = 0xffff;
/** ±8.64e15 ms is the whole range a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is part of a header's text, not a mark to drop.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// ── writing ──────────────────────────────────────────────────────────────────────────────

/** The headers' wire form (the "headers" section of a frame). */
export function encodeHeaders(headers: Readonly<MessageHeaders>): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const [name, header] of Object.entries(headers)) {
    const part = encodeHeader(name, header);
    parts.push(part);
    size += part.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function encodeHeader(name: string, header: HeaderValue): Uint8Array {
  const nameBytes = encoder.encode(name);
  if (nameBytes.byteLength === 0 || nameBytes.byteLength > MAX_NAME_BYTES) {
    throw headerError(`a header name must be 1 to ${MAX_NAME_BYTES} UTF-8 bytes; "${name.slice(0, 40)}" is ${nameBytes.byteLength}`);
  }
  const value = encodeValue(name, header);
  const out = new Uint8Array(1 + nameBytes.byteLength + value.byteLength);
  out[0] = nameBytes.byteLength;
  out.set(nameBytes, 1);
  out.set(value, 1 + nameBytes.byteLength);
  return out;
}

/** The type byte and the value. */
function encodeValue(name: string, header: HeaderValue): Uint8Array {
  switch (header.type) {
    case "boolean":
      return Uint8Array.of(header.value ? TYPE_CODE.true : TYPE_CODE.false);
    case "byte":
      return fixed(TYPE_CODE.byte, 1, (view) => view.setInt8(1, integerIn(name, header.value, 8)));
    case "short":
      return fixed(TYPE_CODE.short, 2, (view) => view.setInt16(1, integerIn(name, header.value, 16)));
    case "integer":
      return fixed(TYPE_CODE.integer, 4, (view) => view.setInt32(1, integerIn(name, header.value, 32)));
    case "long": {
      const value = header.value;
      if (typeof value !== "bigint" || BigInt.asIntN(64, value) !== value) throw headerError(`header ${name}: a long must be a bigint within 64 bits`);
      return fixed(TYPE_CODE.long, 8, (view) => view.setBigInt64(1, value));
    }
    case "binary":
      return variable(name, TYPE_CODE.binary, header.value);
    case "string":
      return variable(name, TYPE_CODE.string, encoder.encode(header.value));
    case "timestamp": {
      const ms = header.value.getTime();
      if (!Number.isFinite(ms)) throw headerError(`header ${name}: the timestamp is an invalid Date`);
      return fixed(TYPE_CODE.timestamp, 8, (view) => view.setBigInt64(1, BigInt(Math.trunc(ms))));
    }
    case "uuid": {
      if (!UUID.test(header.value)) throw headerError(`header ${name}: a uuid must be 32 hex digits in 8-4-4-4-12 form`);
      const out = new Uint8Array(17);
      out[0] = TYPE_CODE.uuid;
      const hex = header.value.replaceAll("-", "");
      for (let i = 0; i < 16; i++) out[1 + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
      return out;
    }
  }
}

function fixed(code: number, width: number, write: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(1 + width);
  out[0] = code;
  write(new DataView(out.buffer));
  return out;
}

function variable(name: string, code: number, bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw headerError(`header ${name}: a binary value must be a Uint8Array`);
  if (bytes.byteLength > MAX_VALUE_BYTES) throw headerError(`header ${name}: a value may hold at most ${MAX_VALUE_BYTES} bytes; got ${bytes.byteLength}`);
  const out = new Uint8Array(3 + bytes.byteLength);
  out[0] = code;
  new DataView(out.buffer).setUint16(1, bytes.byteLength);
  out.set(bytes, 3);
  return out;
}

function integerIn(name: string, value: number, bits: 8 | 16 | 32): number {
  const limit = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -limit || value >= limit) {
    throw headerError(`header ${name}: ${String(value)} is not a ${bits}-bit signed integer`);
  }
  return value;
}

// ── reading ──────────────────────────────────────────────────────────────────────────────

/** Reads a frame's headers section (exactly `bytes`, nothing around it). */
export function decodeHeaders(bytes: Uint8Array): MessageHeaders {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: MessageHeaders = {};
  let at = 0;
  const need = (count: number, what: string): void => {
    if (at + count > bytes.byteLength) throw headerError(`the headers end inside ${what} (${count} bytes needed at offset ${at}, ${bytes.byteLength - at} left)`);
  };
  while (at < bytes.byteLength) {
    const nameLength = view.getUint8(at);
    at += 1;
    if (nameLength === 0) throw headerError(`a header at offset ${at - 1} has an empty name`);
    need(nameLength, "a header name");
    const name = utf8(bytes.subarray(at, at + nameLength), "a header name");
    at += nameLength;
    need(1, `the type of header ${name}`);
    const type = view.getUint8(at);
    at += 1;
    let value: HeaderValue;
    switch (type) {
      case TYPE_CODE.true:
        value = { type: "boolean", value: true };
        break;
      case TYPE_CODE.false:
        value = { type: "boolean", value: false };
        break;
      case TYPE_CODE.byte:
        need(1, `header ${name}`);
        value = { type: "byte", value: view.getInt8(at) };
        at += 1;
        break;
      case TYPE_CODE.short:
        need(2, `header ${name}`);
        value = { type: "short", value: view.getInt16(at) };
        at += 2;
        break;
      case TYPE_CODE.integer:
        need(4, `header ${name}`);
        value = { type: "integer", value: view.getInt32(at) };
        at += 4;
        break;
      case TYPE_CODE.long:
        need(8, `header ${name}`);
        value = { type: "long", value: view.getBigInt64(at) };
        at += 8;
        break;
      case TYPE_CODE.binary:
      case TYPE_CODE.string: {
        need(2, `the length of header ${name}`);
        const length = view.getUint16(at);
        at += 2;
        need(length, `header ${name}`);
        // A copy: the frame's buffer may be a large chunk the caller should not keep alive.
        const raw = bytes.slice(at, at + length);
        value = type === TYPE_CODE.binary ? { type: "binary", value: raw } : { type: "string", value: utf8(raw, `header ${name}`) };
        at += length;
        break;
      }
      case TYPE_CODE.timestamp: {
        need(8, `header ${name}`);
        const ms = Number(view.getBigInt64(at));
        if (Math.abs(ms) > MAX_DATE_MS) throw headerError(`header ${name}: timestamp ${ms} is outside the range of a Date`);
        value = { type: "timestamp", value: new Date(ms) };
        at += 8;
        break;
      }
      case TYPE_CODE.uuid: {
        need(16, `header ${name}`);
        value = { type: "uuid", value: uuidText(bytes.subarray(at, at + 16)) };
        at += 16;
        break;
      }
      default:
        throw headerError(`header ${name} has unknown type ${type}`);
    }
    // A name from the wire is data: "__proto__" must not become the object's prototype.
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function utf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw headerError(`${what} is not valid UTF-8`);
  }
}

function uuidText(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function headerError(detail: string): EventStreamFrameError {
  return new EventStreamFrameError("header", detail);
}
