/**
 * The digests SQS returns for what it stored, computed the way SQS computes them:
 *
 *   MD5OfMessageBody / MD5OfBody     hex MD5 of the body's UTF-8 bytes
 *   MD5OfMessageAttributes           hex MD5 of the attributes in this encoding
 *   MD5OfMessageSystemAttributes     (the same encoding, over the system attributes)
 *
 *   for each attribute, sorted by name:
 *     u32 length + UTF-8 name
 *     u32 length + UTF-8 data type            ("String", "Number.int", "Binary.png", …)
 *     u8  transport type                      1 string value, 2 binary value,
 *                                             3 string list, 4 binary list
 *     u32 length + value bytes                (one per item for a list)
 *   with every length a 4-byte big-endian count of bytes.
 *
 * The transport type follows the value that is set, not the data type: a "Number" travels
 * as a string. See "Calculating the MD5 message digest for message attributes" in the SQS
 * Developer Guide; the Java SDK writes list values the same way (types 3 and 4).
 */
import { md5 } from "@stratus/core";

/** A message attribute as callers send it and as SQS returns it. */
export interface AttributeValue {
  readonly DataType?: string | undefined;
  readonly StringValue?: string | undefined;
  readonly BinaryValue?: Uint8Array | string | undefined;
  readonly StringListValues?: readonly string[] | undefined;
  readonly BinaryListValues?: readonly (Uint8Array | string)[] | undefined;
}

const STRING_VALUE = 1;
const BINARY_VALUE = 2;
const STRING_LIST = 3;
const BINARY_LIST = 4;

const encoder = new TextEncoder();

export function md5OfBody(body: string): string {
  return md5(encoder.encode(body), "hex");
}

export function md5OfAttributes(attributes: Readonly<Record<string, AttributeValue>>): string {
  const parts: Uint8Array[] = [];
  // Names are ASCII (SQS allows letters, digits, "_", "-" and "."), so code-unit order is byte order.
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    parts.push(prefixed(encoder.encode(name)), prefixed(encoder.encode(attribute.DataType ?? "")));
    if (attribute.StringValue !== undefined) {
      parts.push(Uint8Array.of(STRING_VALUE), prefixed(encoder.encode(attribute.StringValue)));
    } else if (attribute.BinaryValue !== undefined) {
      parts.push(Uint8Array.of(BINARY_VALUE), prefixed(bytesOf(attribute.BinaryValue)));
    } else if (attribute.StringListValues !== undefined) {
      parts.push(Uint8Array.of(STRING_LIST), ...attribute.StringListValues.map((value) => prefixed(encoder.encode(value))));
    } else if (attribute.BinaryListValues !== undefined) {
      parts.push(Uint8Array.of(BINARY_LIST), ...attribute.BinaryListValues.map((value) => prefixed(bytesOf(value))));
    }
  }
  return md5(concat(parts), "hex");
}

/** A blob as the client sends it: bytes as they are, a string as its UTF-8 bytes (the core's rule). */
function bytesOf(value: Uint8Array | string): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/** `bytes` after its length, a 4-byte big-endian count. */
function prefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.byteLength);
  new DataView(out.buffer).setUint32(0, bytes.byteLength);
  out.set(bytes, 4);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
