/**
 * Writes a caller's value as JSON text, directed by its shape. Shared by awsJson 1.0/1.1
 * and restJson1 (bodies and JSON payloads); the protocol modules decide which members go in
 * the body, this module only knows how one value looks in JSON:
 *
 *   structure / union → object keyed by `locationName` (Smithy's jsonName) or member name;
 *                       members that are undefined or null are left out
 *   list              → array (a null element is kept: it was put there on purpose)
 *   map               → object
 *   timestamp         → epoch seconds unless the member or shape says otherwise
 *   blob              → base64 string
 *   float / double    → number, or the strings "NaN", "Infinity", "-Infinity"
 *   bigint            → its exact digits (JSON numbers have no precision limit)
 *   document          → the value as plain JSON
 *
 * It writes text directly instead of building an object for JSON.stringify, so 64-bit
 * integers given as bigint keep every digit and no intermediate tree is allocated.
 */
import { StratusError } from "../../errors/index.ts";
import { membersOf, memberShape, type MemberView } from "../../schema/normalize.ts";
import type { Member, Shape, StructureShape, TimestampFormat } from "../../schema/types.ts";
import { toBase64 } from "../shared/blob.ts";
import { formatTimestamp } from "../shared/timestamp.ts";

/** JSON text for `value` as an instance of `shape`. `member` carries per-member traits (timestampFormat). */
export function writeJson(value: unknown, shape: Shape, member?: Member, where = "input"): string {
  switch (shape.type) {
    case "structure":
      return writeStructure(value, shape, membersOf(shape), where);
    case "list": {
      if (!Array.isArray(value)) throw new StratusError(`${where}: expected a list`);
      const item = memberShape(shape.member);
      const parts = value.map((element: unknown, i) =>
        element === null || element === undefined ? "null" : writeJson(element, item, shape.member, `${where}[${i}]`));
      return `[${parts.join(",")}]`;
    }
    case "map": {
      const entries = objectEntries(value, where);
      const valueShape = memberShape(shape.value);
      const parts = entries.map(([key, element]) =>
        `${JSON.stringify(key)}:${element === null ? "null" : writeJson(element, valueShape, shape.value, `${where}.${key}`)}`);
      return `{${parts.join(",")}}`;
    }
    case "document":
      return writeDocument(value, where);
    case "string":
      if (typeof value !== "string") throw new StratusError(`${where}: expected a string`);
      return JSON.stringify(value);
    case "boolean":
      if (typeof value !== "boolean") throw new StratusError(`${where}: expected a boolean`);
      return value ? "true" : "false";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "biginteger":
    case "bigdecimal":
      return writeNumber(value, where, false);
    case "float":
    case "double":
      return writeNumber(value, where, true);
    case "timestamp": {
      const format: TimestampFormat = member?.timestampFormat ?? shape.timestampFormat ?? "unixTimestamp";
      return JSON.stringify(formatTimestamp(value, format, where));
    }
    case "blob":
      return JSON.stringify(toBase64(value, where));
  }
}

/**
 * An object of the given members of a structure (all of them for a nested structure; the
 * body members for a REST input). `$unknown` on a union is written back as it was read.
 */
export function writeStructure(value: unknown, shape: StructureShape, members: readonly MemberView[], where: string): string {
  const record = objectOf(value, where);
  const parts: string[] = [];
  for (const view of members) {
    const memberValue = Object.hasOwn(record, view.name) ? record[view.name] : undefined;
    if (memberValue === undefined || memberValue === null) continue;
    parts.push(`${JSON.stringify(view.wireName)}:${writeJson(memberValue, view.shape, view.member, `${where}.${view.name}`)}`);
  }
  const unknown = shape.union ? record["$unknown"] : undefined;
  if (Array.isArray(unknown) && typeof unknown[0] === "string") {
    parts.push(`${JSON.stringify(unknown[0])}:${writeDocument(unknown[1], `${where}.$unknown`)}`);
  }
  return `{${parts.join(",")}}`;
}

function writeNumber(value: unknown, where: string, float: boolean): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "number") throw new StratusError(`${where}: expected a number`);
  if (Number.isFinite(value)) return JSON.stringify(value);
  // JSON has no NaN or Infinity; the AWS JSON protocols send them as strings.
  if (!float) throw new StratusError(`${where}: ${value} is not an integer`);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}

/** A document is any JSON value; it is written as given (no shape applies inside it). */
function writeDocument(value: unknown, where: string): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? Number(v) : v)) ?? "null";
  } catch (cause) {
    throw new StratusError(`${where}: a document must be plain JSON data`, { cause });
  }
}

function objectOf(value: unknown, where: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new StratusError(`${where}: expected an object`);
  }
  return value as Readonly<Record<string, unknown>>;
}

function objectEntries(value: unknown, where: string): Array<[string, unknown]> {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>)].map(([k, v]): [string, unknown] => [String(k), v]);
  return Object.entries(objectOf(value, where)).filter(([, v]) => v !== undefined);
}
