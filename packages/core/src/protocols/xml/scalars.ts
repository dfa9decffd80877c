/**
 * Scalars as text, both ways, for the three protocols that carry values as text: the
 * awsQuery/EC2 form body and XML bodies. One place decides how a boolean, a float, a
 * timestamp or a blob is written and read, so query, ec2 and rest-xml cannot drift.
 *
 *   write: true → "true"; 10.8 → "10.8"; NaN/±Infinity → "NaN"/"Infinity"/"-Infinity";
 *          Date → the member's timestamp format (the protocol's default otherwise);
 *          bytes → base64.
 *   read:  the inverse, driven by the shape; an unknown enum string stays as it is, and
 *          text that does not fit the shape is a `ParseError`. Integer types come back as
 *          numbers (a long beyond 2^53 rounds, as JSON.parse would round it; one beyond a
 *          double's range is a `ParseError`, never Infinity); `biginteger`
 *          comes back as a bigint, exact; `bigdecimal` as a number.
 */
import { ParseError, StratusError } from "../../errors/index.ts";
import type { Member, ScalarShape, TimestampFormat } from "../../schema/types.ts";
import { fromBase64, toBase64 } from "../shared/blob.ts";
import { formatTimestamp, parseTimestamp } from "../shared/timestamp.ts";

/** The timestamp format that applies: the member's, else the target's, else the protocol's. */
export function timestampFormatOf(member: Member | undefined, shape: ScalarShape, fallback: TimestampFormat): TimestampFormat {
  return member?.timestampFormat ?? shape.timestampFormat ?? fallback;
}

/** A caller's value for a scalar shape, as wire text. */
export function scalarToText(shape: ScalarShape, member: Member | undefined, value: unknown, defaultTimestamp: TimestampFormat, where: string): string {
  switch (shape.type) {
    case "string":
      return typeof value === "string" ? value : String(value);
    case "boolean":
      if (typeof value !== "boolean") throw new StratusError(`${where}: expected a boolean`);
      return value ? "true" : "false";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "biginteger":
      if (typeof value === "bigint") return value.toString();
      if (typeof value !== "number" || !Number.isInteger(value)) throw new StratusError(`${where}: expected an integer`);
      return integerText(value);
    case "float":
    case "double":
    case "bigdecimal":
      if (typeof value === "bigint") return value.toString();
      if (typeof value !== "number") throw new StratusError(`${where}: expected a number`);
      // String() already writes NaN, Infinity and -Infinity as the protocols spell them.
      return String(value);
    case "timestamp":
      return String(formatTimestamp(value, timestampFormatOf(member, shape, defaultTimestamp), where));
    case "blob":
      return toBase64(value, where);
  }
}

/** Integers never in exponent form (String(1e21) is "1e+21"). */
function integerText(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/**
 * Wire text as the value the shape says it is. Returns undefined for empty text of a
 * non-text type (`<Size/>`): the member is treated as absent rather than failing the call.
 */
export function scalarFromText(shape: ScalarShape, text: string, protocol: string): unknown {
  switch (shape.type) {
    case "string":
      return text;
    case "blob":
      return fromBase64(text.replace(/\s+/g, ""), protocol);
    default:
      break;
  }
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  switch (shape.type) {
    case "boolean":
      if (trimmed === "true") return true;
      if (trimmed === "false") return false;
      throw new ParseError(protocol, `not a boolean: ${quote(trimmed)}`);
    case "byte":
    case "short":
    case "integer":
    case "long": {
      if (!/^[+-]?\d+$/.test(trimmed)) throw new ParseError(protocol, `not an integer: ${quote(trimmed)}`);
      // Beyond 2^53 the value rounds (as JSON.parse rounds it); past a double's range it
      // would be Infinity, which no integer is.
      const value = Number(trimmed);
      if (!Number.isFinite(value)) throw new ParseError(protocol, `an integer too large to read: ${quote(trimmed)}`);
      return value;
    }
    case "biginteger":
      if (!/^[+-]?\d+$/.test(trimmed)) throw new ParseError(protocol, `not an integer: ${quote(trimmed)}`);
      return BigInt(trimmed);
    case "float":
    case "double":
    case "bigdecimal":
      return floatFromText(trimmed, protocol);
    case "timestamp":
      return parseTimestamp(trimmed, protocol);
  }
}

function floatFromText(text: string, protocol: string): number {
  switch (text) {
    case "NaN":
      return Number.NaN;
    case "Infinity":
      return Number.POSITIVE_INFINITY;
    case "-Infinity":
      return Number.NEGATIVE_INFINITY;
    default:
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new ParseError(protocol, `not a number: ${quote(text)}`);
      return Number(text);
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
