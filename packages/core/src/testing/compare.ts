/**
 * The Stubber's comparison of a call's input with the parameters a stub expected: deep
 * equality guided by the operation's input shape, so that values that mean the same on the
 * wire compare equal however they were written:
 *
 *   timestamps   a Date, epoch seconds or a date string: the same instant
 *   blobs        bytes of any view, or a string: the same bytes (UTF-8)
 *   numbers      a number or a bigint: the same value
 *   documents    deep equality; a number-like object (DynamoDB's NumberValue) equals a
 *                number, bigint or numeric string of the same value
 *   absent       a member set to undefined or null is the same as one left out
 *
 * `ANY` matches any present value. Each difference is reported with its path (as in a
 * ValidationError) and both values, except under a shape the model marks sensitive.
 */
import { membersOf, memberShape } from "../schema/normalize.ts";
import type { Shape } from "../schema/types.ts";
import { isAny } from "./any.ts";
import type { ParamDifference } from "./errors.ts";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Every difference between `expected` and `actual`, both instances of `shape`; empty when equal. */
export function differences(shape: Shape | undefined, expected: unknown, actual: unknown, root = "input"): ParamDifference[] {
  const out: ParamDifference[] = [];
  compare(shape, expected, actual, root, false, out);
  return out;
}

/** A path step, written as the validator writes it: `.Name`, `["my key"]`. */
export function pathTo(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function compare(shape: Shape | undefined, expected: unknown, actual: unknown, path: string, sensitive: boolean, out: ParamDifference[]): void {
  const secret = sensitive || (shape !== undefined && "sensitive" in shape && shape.sensitive === true);
  if (isAny(expected)) {
    if (isAbsent(actual)) out.push({ path, message: "expected any value, got nothing (the member is absent)" });
    return;
  }
  if (isAbsent(expected) || isAbsent(actual)) {
    if (isAbsent(expected) !== isAbsent(actual)) {
      out.push({
        path,
        message: isAbsent(actual)
          ? `expected ${show(expected, secret)}, got nothing (the member is absent)`
          : `expected nothing (the member absent), got ${show(actual, secret)}`,
      });
    }
    return;
  }
  if (!shape) return compareUntyped(expected, actual, path, secret, out);
  switch (shape.type) {
    case "structure": {
      if (!isRecord(expected) || !isRecord(actual)) return compareUntyped(expected, actual, path, secret, out);
      const members = new Map(membersOf(shape).map((view) => [view.name, view.shape]));
      for (const key of keysOf(expected, actual)) compare(members.get(key), expected[key], actual[key], pathTo(path, key), secret, out);
      return;
    }
    case "map": {
      if (!isRecord(expected) || !isRecord(actual)) return compareUntyped(expected, actual, path, secret, out);
      const value = memberShape(shape.value);
      for (const key of keysOf(expected, actual)) compare(value, expected[key], actual[key], pathTo(path, key), secret, out);
      return;
    }
    case "list":
      return compareLists(memberShape(shape.member), expected, actual, path, secret, out);
    case "timestamp": {
      const a = instant(expected);
      const b = instant(actual);
      if (a === undefined || b === undefined || a !== b) out.push(differ(expected, actual, path, secret));
      return;
    }
    case "blob": {
      const a = bytesOf(expected);
      const b = bytesOf(actual);
      if (!a || !b || !sameBytes(a, b)) out.push(differ(expected, actual, path, secret));
      return;
    }
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigdecimal":
    case "biginteger":
      if (!sameNumber(expected, actual)) out.push(differ(expected, actual, path, secret));
      return;
    case "string":
    case "boolean":
    case "document":
      return compareUntyped(expected, actual, path, secret, out);
  }
}

function compareLists(item: Shape | undefined, expected: unknown, actual: unknown, path: string, secret: boolean, out: ParamDifference[]): void {
  if (!Array.isArray(expected) || !Array.isArray(actual)) {
    out.push(differ(expected, actual, path, secret));
    return;
  }
  const common = Math.min(expected.length, actual.length);
  for (let i = 0; i < common; i++) compare(item, expected[i], actual[i], `${path}[${i}]`, secret, out);
  if (expected.length !== actual.length) {
    const extra = expected.length > actual.length ? "missing" : "extra";
    const items = (expected.length > actual.length ? expected : actual).slice(common);
    out.push({
      path,
      message: `expected ${expected.length} items, got ${actual.length} (${extra}: ${secret ? "(sensitive)" : items.map((v) => show(v, false)).join(", ")})`,
    });
  }
}

/** Deep equality without a shape (documents, members the shape does not know). */
function compareUntyped(expected: unknown, actual: unknown, path: string, secret: boolean, out: ParamDifference[]): void {
  if (isAny(expected)) return compare(undefined, expected, actual, path, secret, out);
  if (Array.isArray(expected) && Array.isArray(actual)) return compareLists(undefined, expected, actual, path, secret, out);
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of keysOf(expected, actual)) compare(undefined, expected[key], actual[key], pathTo(path, key), secret, out);
    return;
  }
  if (!sameLeaf(expected, actual)) out.push(differ(expected, actual, path, secret));
}

function sameLeaf(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) return instant(a) !== undefined && instant(a) === instant(b);
  if (isBytes(a) || isBytes(b)) {
    const x = bytesOf(a);
    const y = bytesOf(b);
    return x !== undefined && y !== undefined && sameBytes(x, y);
  }
  if (isNumeric(a) && isNumeric(b) && (typeof a !== "string" || typeof b !== "string")) return sameNumber(a, b);
  return false;
}

function differ(expected: unknown, actual: unknown, path: string, secret: boolean): ParamDifference {
  return { path, message: secret ? "the values differ (not shown: the member is sensitive)" : `expected ${show(expected, false)}, got ${show(actual, false)}` };
}

// ── normalizing ─────────────────────────────────────────────────────────────────────────

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Keys of both objects, in the expected object's order, whose value is present on either side. */
function keysOf(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set<string>();
  for (const key of [...Object.keys(a), ...Object.keys(b)]) if (!isAbsent(a[key]) || !isAbsent(b[key])) keys.add(key);
  return [...keys];
}

function instant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value * 1000;
  if (typeof value === "string") {
    const ms = new Date(value).getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function isBytes(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A number, a bigint, a numeric string, or an object whose own `toString` gives a number (NumberValue). */
function isNumeric(value: unknown): boolean {
  return numericText(value) !== undefined;
}

function numericText(value: unknown): string | undefined {
  let text: string;
  if (typeof value === "number") text = String(value);
  else if (typeof value === "bigint") text = value.toString();
  else if (typeof value === "string") text = value;
  else if (value !== null && typeof value === "object" && !isRecord(value) && value.toString !== Object.prototype.toString) text = String(value);
  else return undefined;
  text = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? text : undefined;
}

function sameNumber(a: unknown, b: unknown): boolean {
  const x = numericText(a);
  const y = numericText(b);
  if (x === undefined || y === undefined) return false;
  if (/^[+-]?\d+$/.test(x) && /^[+-]?\d+$/.test(y)) return BigInt(x) === BigInt(y);
  return Number(x) === Number(y);
}

// ── showing values ──────────────────────────────────────────────────────────────────────

const MAX_SHOWN = 80;

/** A short, readable rendering of a value for a diff line. */
export function show(value: unknown, secret: boolean): string {
  if (secret) return "(sensitive)";
  if (isAny(value)) return "ANY";
  if (value === undefined) return "undefined";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : `Date(${value.toISOString()})`;
  if (isBytes(value)) {
    const bytes = bytesOf(value) ?? new Uint8Array();
    const text = readableText(bytes);
    return text === undefined ? `<${bytes.byteLength} bytes>` : `<${bytes.byteLength} bytes: ${clip(JSON.stringify(text))}>`;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return clip(JSON.stringify(value));
  if (typeof value === "object" && value !== null && !isRecord(value) && !Array.isArray(value)) {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? "object";
    const numeric = numericText(value);
    return numeric === undefined ? `a ${name}` : `${name}(${numeric})`;
  }
  try {
    return clip(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : isBytes(v) ? show(v, false) : isAny(v) ? "ANY" : v)) ?? String(value));
  } catch {
    return String(value);
  }
}

function readableText(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength > 64) return undefined;
  try {
    const text = strictDecoder.decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
