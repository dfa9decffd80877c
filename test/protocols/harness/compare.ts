/**
 * How the conformance harness decides that what a protocol produced is what a suite case
 * expects. Each check returns a list of differences (empty = equal) instead of throwing at
 * the first one, so a failing case reports everything that is wrong with it at once.
 *
 * Requests: method; path exactly (the wire form, already percent-encoded) and query
 * parameters decoded and order-insensitive; every expected header present with an equal
 * value (names case-insensitive), `forbidHeaders` absent, `requireHeaders` present; the
 * host when the case gives one; and the body compared by what it is: JSON parsed and
 * deep-equal, XML parsed into trees (insignificant whitespace dropped), form bodies as
 * parameter multisets, CBOR decoded (with the SDK's decoder, itself tested on its own
 * vectors in packages/core/test/protocols) and deep-equal, else bytes.
 *
 * Responses: first the output must follow the SDK's own value conventions (protocol.ts):
 * Date for every timestamp, Uint8Array for every blob, numbers for numbers, checked along
 * the output shape (`checkOutputTypes`), so a protocol cannot pass by returning what the
 * suite happens to write. Then it is brought to the suites' conventions for a deep-equal:
 * Date → epoch seconds, bytes → UTF-8 text (suites write blobs as text), NaN and ±Infinity
 * → the strings "NaN"/"Infinity"/"-Infinity", bigint → number, undefined members dropped.
 */
import { isDeepStrictEqual } from "node:util";
import { decodeCbor } from "../../../packages/core/src/protocols/cbor/decode.ts";
import { hostHeader, type HttpRequest } from "../../../packages/core/src/http/http-request.ts";
import type { Endpoint } from "../../../packages/core/src/protocols/protocol.ts";
import { membersOf, memberShape } from "../../../packages/core/src/schema/normalize.ts";
import type { Shape } from "../../../packages/core/src/schema/types.ts";
import { xmlTree } from "../../../packages/core/test/support/xml-tree.ts";
import type { SerializedExpectation } from "./suites.ts";

export interface RequestCheck {
  readonly expected: SerializedExpectation;
  readonly actual: HttpRequest;
  readonly endpoint: Endpoint;
  /** Whether `expected.body` is base64 of binary (CBOR suites) rather than text. */
  readonly binaryBody: boolean;
}

export function compareRequest(check: RequestCheck): string[] {
  const { expected, actual } = check;
  const problems: string[] = [];
  if (expected.method !== undefined && actual.method !== expected.method) {
    problems.push(`method: expected ${expected.method}, got ${actual.method}`);
  }
  if (expected.uri !== undefined) problems.push(...compareUri(expected.uri, actual));
  problems.push(...compareHeaders(expected, actual.headers));
  if (expected.host !== undefined) {
    // A suite whose client endpoint has a path writes it into `host` ("example.com/custom").
    const host = expected.host.includes("/") ? `${hostHeader(actual)}${check.endpoint.path}` : hostHeader(actual);
    if (host !== expected.host) problems.push(`host: expected ${expected.host}, got ${host}`);
  }
  if (expected.body !== undefined) problems.push(...compareBody(check));
  return problems;
}

function compareUri(uri: string, actual: HttpRequest): string[] {
  const problems: string[] = [];
  const mark = uri.indexOf("?");
  const path = mark < 0 ? uri : uri.slice(0, mark);
  if (actual.path !== path) problems.push(`path: expected ${path}, got ${actual.path}`);
  const expectedQuery = mark < 0 ? [] : parsePairs(uri.slice(mark + 1), false);
  if (!sameMultiset(expectedQuery, actual.query)) {
    problems.push(`query: expected ${JSON.stringify(expectedQuery)}, got ${JSON.stringify(actual.query)}`);
  }
  return problems;
}

/** `a=1&b&c=%20` → decoded pairs; a name without "=" has the value "". */
function parsePairs(text: string, form: boolean): Array<[string, string]> {
  if (text === "") return [];
  const decode = (part: string): string => decodeURIComponent(form ? part.replaceAll("+", " ") : part);
  return text.split("&").map((pair): [string, string] => {
    const eq = pair.indexOf("=");
    return eq < 0 ? [decode(pair), ""] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
  });
}

function sameMultiset(a: ReadonlyArray<readonly [string, string]>, b: ReadonlyArray<readonly [string, string]>): boolean {
  const key = (pairs: ReadonlyArray<readonly [string, string]>): string[] => pairs.map((p) => JSON.stringify(p)).sort();
  return isDeepStrictEqual(key(a), key(b));
}

function compareHeaders(expected: SerializedExpectation, headers: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const actual = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const got = actual.get(name.toLowerCase());
    if (got !== value) problems.push(`header ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`);
  }
  for (const name of expected.forbidHeaders ?? []) {
    if (actual.has(name.toLowerCase())) problems.push(`header ${name} must not be sent (got ${JSON.stringify(actual.get(name.toLowerCase()))})`);
  }
  for (const name of expected.requireHeaders ?? []) {
    if (!actual.has(name.toLowerCase())) problems.push(`header ${name} is required`);
  }
  return problems;
}

type BodyKind = "json" | "xml" | "form" | "cbor" | "bytes";

function bodyKind(check: RequestCheck): BodyKind {
  if (check.binaryBody) return "cbor";
  const expectedType = Object.entries(check.expected.headers ?? {}).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  const type = (expectedType ?? check.actual.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("x-www-form-urlencoded")) return "form";
  if (type.includes("json")) return "json";
  if (type.includes("xml")) return "xml";
  return "bytes";
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function bodyBytes(body: HttpRequest["body"]): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  throw new Error(`a serialized body should be in memory, got ${body.description}`);
}

function compareBody(check: RequestCheck): string[] {
  const expectedText = check.expected.body ?? "";
  const actualBytes = bodyBytes(check.actual.body);
  const actualText = utf8.decode(actualBytes);
  const kind = bodyKind(check);
  const differ = (what: string, expected: unknown, actual: unknown): string[] =>
    [`body (${what}): expected ${show(expected)}, got ${show(actual)}`];
  if (kind !== "cbor" && expectedText.trim() === "" && actualText.trim() === "") return [];
  switch (kind) {
    case "json": {
      const expected = tryParse(() => JSON.parse(expectedText) as unknown);
      const actual = tryParse(() => JSON.parse(actualText) as unknown);
      if (!actual.ok) return [`body is not JSON: ${show(actualText)}`];
      return expected.ok && isDeepStrictEqual(actual.value, expected.value) ? [] : differ("json", expectedText, actualText);
    }
    case "xml": {
      const expected = tryParse(() => xmlTree(expectedText));
      const actual = tryParse(() => xmlTree(actualText));
      if (!actual.ok) return [`body is not XML: ${show(actualText)}`];
      return expected.ok && isDeepStrictEqual(actual.value, expected.value) ? [] : differ("xml", expectedText, actualText);
    }
    case "form": {
      const expected = parsePairs(expectedText, true);
      const actual = tryParse(() => parsePairs(actualText, true));
      if (!actual.ok) return [`body is not form-encoded: ${show(actualText)}`];
      return sameMultiset(expected, actual.value) ? [] : differ("form", expectedText, actualText);
    }
    case "cbor": {
      const expectedBytes = new Uint8Array(Buffer.from(expectedText, "base64"));
      if (expectedBytes.length === 0 && actualBytes.length === 0) return [];
      const expected = tryParse(() => decodeCbor(expectedBytes));
      const actual = tryParse(() => decodeCbor(actualBytes));
      if (!actual.ok) return [`body is not CBOR: ${Buffer.from(actualBytes).toString("base64")}`];
      return expected.ok && isDeepStrictEqual(actual.value, expected.value)
        ? []
        : differ("cbor", expected.ok ? expected.value : expectedText, actual.value);
    }
    case "bytes":
      return Buffer.from(actualBytes).equals(Buffer.from(expectedText, "utf8")) ? [] : differ("bytes", expectedText, actualText);
  }
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

function tryParse<T>(parse: () => T): Attempt<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Where a parsed value breaks the SDK's output conventions for its shape (empty = none). */
export function checkOutputTypes(value: unknown, shape: Shape, path = "output"): string[] {
  if (value === undefined) return [];
  const wrong = (expected: string): string[] => [`${path}: expected ${expected}, got ${show(value)}`];
  switch (shape.type) {
    case "structure": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return wrong("an object");
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const view of membersOf(shape)) {
        if (Object.hasOwn(record, view.name)) problems.push(...checkOutputTypes(record[view.name], view.shape, `${path}.${view.name}`));
      }
      const known = new Set(membersOf(shape).map((view) => view.name));
      for (const key of Object.keys(record)) {
        if (!known.has(key) && !(shape.union && key === "$unknown")) problems.push(`${path}.${key}: not a member of ${shape.name}`);
      }
      return problems;
    }
    case "list":
      return Array.isArray(value)
        ? value.flatMap((item: unknown, i) => checkOutputTypes(item, memberShape(shape.member), `${path}[${i}]`))
        : wrong("an array");
    case "map":
      return value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, item]) => checkOutputTypes(item, memberShape(shape.value), `${path}.${key}`))
        : wrong("an object");
    case "timestamp":
      return value instanceof Date ? [] : wrong("a Date");
    case "blob":
      return value instanceof Uint8Array ? [] : wrong("a Uint8Array");
    case "string":
      return typeof value === "string" ? [] : wrong("a string");
    case "boolean":
      return typeof value === "boolean" ? [] : wrong("a boolean");
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "biginteger":
    case "bigdecimal":
      return typeof value === "number" || typeof value === "bigint" ? [] : wrong("a number");
    case "document":
      return [];
  }
}

/** A parsed output in the suites' conventions (see the header). */
export function normalizeOutput(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return value;
  }
  if (Array.isArray(value)) return value.map(normalizeOutput);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = normalizeOutput(member);
    }
    return out;
  }
  return value;
}

export function compareValue(what: string, expected: unknown, actual: unknown): string[] {
  return isDeepStrictEqual(actual, expected) ? [] : [`${what}: expected ${show(expected)}, got ${show(actual)}`];
}

export function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "bigint" ? `${v}n`
      : v instanceof Uint8Array ? `<bytes ${Buffer.from(v).toString("base64")}>`
      : v instanceof Map ? Object.fromEntries(v)
      : typeof v === "number" && !Number.isFinite(v) ? String(v)
      : v) ?? String(value);
  } catch {
    return String(value);
  }
}
