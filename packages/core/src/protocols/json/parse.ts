/**
 * Reads JSON from a response: first the text into plain data (`parseJsonText`), then that
 * data into the operation's output by its shape (`readJson`). Shared by awsJson and
 * restJson1. The reading mirrors `serialize.ts`:
 *
 *   structure → members found under `locationName` or their name; null and unknown keys
 *               are dropped (services add fields; a null means "not set")
 *   union     → the one member that is set; a key the model does not know becomes
 *               `{ $unknown: [key, value] }` so newer services never break older clients;
 *               the `__type` some services add to a union is ignored
 *   list/map  → arrays / plain objects; null entries are dropped (the models here are dense)
 *   timestamp → Date from epoch seconds or any date string
 *   blob      → Uint8Array from base64
 *   float     → number, also from "NaN" / "Infinity" / "-Infinity"
 *   document  → the parsed JSON as it is
 *
 * Failure is always a ParseError: malformed text (never a raw SyntaxError), a value of the
 * wrong JSON type, or data nested deeper than MAX_NESTING levels of shapes. V8's JSON.parse
 * does not recurse, so the depth limit only guards the shape walk, which does.
 * Numbers are JavaScript numbers: an integer beyond 2^53 is rounded, as JSON.parse does;
 * an integer member that holds a fraction or overflows to Infinity (1e400) is a ParseError.
 */
import { ParseError } from "../../errors/index.ts";
import { membersByWireName, membersOf, memberShape, type MemberView } from "../../schema/normalize.ts";
import type { Shape, StructureShape } from "../../schema/types.ts";
import { fromBase64 } from "../shared/blob.ts";
import { parseTimestamp } from "../shared/timestamp.ts";

/** How many shapes deep the reader follows data before it calls the response malformed. */
export const MAX_NESTING = 512;

const utf8 = new TextDecoder("utf-8");

/** The JSON in a body; `undefined` for an empty (or all-whitespace) body. */
export function parseJsonText(body: Uint8Array | string, protocol: string): unknown {
  const text = typeof body === "string" ? body : utf8.decode(body);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ParseError(protocol, `the body is not valid JSON (${(cause as Error).message})`, { cause });
  }
}

/** Data read as an instance of `shape`; `undefined` when the data says "not set" (null). */
export function readJson(data: unknown, shape: Shape, protocol: string, depth = 0): unknown {
  if (data === null || data === undefined) return undefined;
  if (depth > MAX_NESTING) throw new ParseError(protocol, `the response nests deeper than ${MAX_NESTING} levels`);
  switch (shape.type) {
    case "structure":
      return shape.union
        ? readUnion(objectOf(data, shape, protocol), shape, protocol, depth)
        : readStructure(data, shape, membersOf(shape), protocol, depth);
    case "list": {
      if (!Array.isArray(data)) throw mismatch(protocol, shape, "a list", data);
      const item = memberShape(shape.member);
      const out: unknown[] = [];
      for (const element of data) {
        const value = readJson(element, item, protocol, depth + 1);
        if (value !== undefined) out.push(value);
      }
      return out;
    }
    case "map": {
      const valueShape = memberShape(shape.value);
      const out: Record<string, unknown> = {};
      const object = objectOf(data, shape, protocol);
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        const value = readJson(object[key], valueShape, protocol, depth + 1);
        if (value !== undefined) setEntry(out, key, value);
      }
      return out;
    }
    case "document":
      return data;
    case "string":
      if (typeof data !== "string") throw mismatch(protocol, shape, "a string", data);
      return data;
    case "boolean":
      if (typeof data !== "boolean") throw mismatch(protocol, shape, "a boolean", data);
      return data;
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "biginteger":
      // 1.5 or 1e400 (Infinity once parsed) is no integer: refused, as the v3 SDK's expectLong does.
      if (typeof data !== "number" || !Number.isInteger(data)) throw mismatch(protocol, shape, "an integer", data);
      return data;
    case "bigdecimal":
      if (typeof data !== "number") throw mismatch(protocol, shape, "a number", data);
      return data;
    case "float":
    case "double":
      return readFloat(data, shape, protocol);
    case "timestamp":
      return parseTimestamp(data, protocol);
    case "blob":
      if (typeof data !== "string") throw mismatch(protocol, shape, "a base64 string", data);
      return fromBase64(data, protocol);
  }
}

/** The given members of a structure read from a JSON object (all members, or a REST body's). */
export function readStructure(
  data: unknown,
  shape: StructureShape,
  members: readonly MemberView[],
  protocol: string,
  depth = 0,
): Record<string, unknown> {
  const object = objectOf(data, shape, protocol);
  const out: Record<string, unknown> = {};
  const byWireName = membersByWireName(shape);
  if (members.length === byWireName.size && members === membersOf(shape)) {
    // Walk the keys the data has, not every member the model allows: an AttributeValue
    // sets one of its ten, and a Query answer holds thousands of them.
    for (const key in object) {
      const view = byWireName.get(key);
      const raw = object[key];
      if (view === undefined || raw === null || !Object.hasOwn(object, key)) continue;
      const value = readJson(raw, view.shape, protocol, depth + 1);
      if (value !== undefined) out[view.name] = value;
    }
    return out;
  }
  for (const view of members) {
    // Most members are absent (an AttributeValue sets one of its ten): skip those before
    // anything else. A key found only on the prototype ("constructor") is no data.
    const raw = object[view.wireName];
    if (raw === undefined || raw === null || !Object.hasOwn(object, view.wireName)) continue;
    const value = readJson(raw, view.shape, protocol, depth + 1);
    if (value !== undefined) out[view.name] = value;
  }
  return out;
}

function readUnion(object: Readonly<Record<string, unknown>>, shape: StructureShape, protocol: string, depth: number): Record<string, unknown> {
  const byWireName = membersByWireName(shape);
  let unknown: [string, unknown] | undefined;
  for (const key in object) {
    const data = object[key];
    if (data === null || key === "__type" || !Object.hasOwn(object, key)) continue;
    const view = byWireName.get(key);
    if (view) {
      const value = readJson(data, view.shape, protocol, depth + 1);
      if (value !== undefined) return { [view.name]: value };
    } else {
      unknown ??= [key, data];
    }
  }
  return unknown ? { $unknown: unknown } : {};
}

const NON_FINITE: ReadonlyMap<string, number> = new Map([["NaN", Number.NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]]);

function readFloat(data: unknown, shape: Shape, protocol: string): number {
  if (typeof data === "number") return data;
  const special = typeof data === "string" ? NON_FINITE.get(data) : undefined;
  if (special === undefined) throw mismatch(protocol, shape, "a number", data);
  return special;
}

/** `out[key] = value`, except that a "__proto__" key from the wire stays data, not a prototype. */
export function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function objectOf(data: unknown, shape: Shape, protocol: string): Readonly<Record<string, unknown>> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw mismatch(protocol, shape, "an object", data);
  return data as Readonly<Record<string, unknown>>;
}

function mismatch(protocol: string, shape: Shape, expected: string, data: unknown): ParseError {
  const got = Array.isArray(data) ? "a list" : data === null ? "null" : `a ${typeof data}`;
  return new ParseError(protocol, `expected ${expected} for ${shape.name ?? shape.type}, got ${got}`);
}
