/**
 * Blobs: callers pass Uint8Array (or a string, taken as UTF-8); responses give Uint8Array.
 * Text protocols carry them base64-encoded.
 */
import { ParseError, StratusError } from "../../errors/index.ts";
import { base64ToBytes, bytesToBase64 } from "../../platform/bytes.ts";

const encoder = new TextEncoder();

export function toBytes(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new StratusError(`${where}: expected bytes (Uint8Array or string)`);
}

export function toBase64(value: unknown, where: string): string {
  return bytesToBase64(toBytes(value, where));
}

export function fromBase64(text: string, protocol: string): Uint8Array {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed)) throw new ParseError(protocol, "a blob is not valid base64");
  return base64ToBytes(trimmed);
}
