/**
 * The HTTP bindings of the REST protocols (restJson1 and restXml share every rule here; only
 * their bodies differ). A member with a `location` travels outside the body:
 *
 *   location      request                                   response
 *   ───────────   ───────────────────────────────────────   ──────────────────────────────
 *   uri           {Label} percent-encoded, {Label+} keeps "/"   (ignored)
 *   querystring   name=value; lists repeat the name;            (ignored)
 *                 a map adds its own keys (named members win)
 *   header        one header; lists joined with ", "          split on commas outside quotes
 *   headers       a map: one header per key, name = prefix+key   every header with the prefix
 *   statusCode    (ignored)                                    the HTTP status
 *   (none)        the body: the protocol's business            the body: the protocol's business
 *
 * Scalars become text the same way everywhere: booleans "true"/"false", numbers in decimal
 * with "NaN"/"Infinity"/"-Infinity", blobs base64, a `jsonvalue` string base64-encoded in
 * headers, and timestamps in the member's or shape's format, else the location's default
 * (ISO-8601 in the URI and query, IMF-fixdate in headers, as the Smithy spec says).
 *
 * The request side also fills idempotency tokens the caller left out and puts the
 * operation's host prefix (`{Label}`s from hostLabel members) in front of the endpoint's
 * host; json, query and ec2 use those two pieces too (`fillIdempotencyTokens`,
 * `prefixedHostname`).
 *
 * A protocol calls `serializeRestBindings` and writes its body into the returned request
 * from `bodyMembers` (or `payload`), and on the way back merges `parseRestBindings` with
 * what it reads from the body.
 *
 * A blob payload (S3's PutObject Body, Lambda's Invoke Payload) is the one member that may
 * stream: `blobPayload` keeps bytes and strings in memory and turns a Blob, a
 * ReadableStream, a Node Readable or an async iterable into a `RequestBody`
 * (http/request-body.ts). A stream of unknown length takes its length from a Content-Length
 * the caller set through a bound member (S3's ContentLength), as the v3 SDK does.
 */
import { ParseError, StratusError } from "../../errors/index.ts";
import type { HttpRequest } from "../../http/http-request.ts";
import { RequestBody, toRequestBody } from "../../http/request-body.ts";
import { utf8Length } from "../../platform/bytes.ts";
import { randomUuid } from "../../platform/uuid.ts";
import { membersByHeader, membersByLocation, membersOf, memberShape, payloadMember, resolveShape, type MemberView } from "../../schema/normalize.ts";
import type { Member, OperationSchema, Shape, StructureShape, TimestampFormat } from "../../schema/types.ts";
import { uriEscape, uriEscapePath } from "../../signing/uri-encode.ts";
import { fromBase64, toBase64, toBytes } from "../shared/blob.ts";
import { formatTimestamp, parseTimestamp } from "../shared/timestamp.ts";
import type { Endpoint, RawResponse, SerializeCall } from "../protocol.ts";

export interface RestRequestParts {
  /** Method, host (with any prefix), path, query and headers; `body` is left for the protocol. */
  readonly request: HttpRequest;
  /** The caller's input with idempotency tokens filled in: serialize the body from this. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The operation's input structure (undefined when the operation takes no input). */
  readonly structure: StructureShape | undefined;
  /** Members with no location, in model order: the body, unless `payload` is set. */
  readonly bodyMembers: readonly MemberView[];
  /** The member that is the whole body (httpPayload), if the input names one. */
  readonly payload: MemberView | undefined;
}

/** Everything about a REST request except its body. */
export function serializeRestBindings(call: SerializeCall): RestRequestParts {
  const { operation, endpoint } = call;
  const structure = operation.input ? resolveShape(operation.input) : undefined;
  const input = structure ? fillIdempotencyTokens(structure, call.input, call.idempotencyToken) : call.input;
  const byLocation = structure ? membersByLocation(structure) : new Map<string, readonly MemberView[]>();
  const mark = operation.http.requestUri.indexOf("?");
  const template = mark < 0 ? operation.http.requestUri : operation.http.requestUri.slice(0, mark);
  const literalQuery = mark < 0 ? "" : operation.http.requestUri.slice(mark + 1);

  const request: HttpRequest = {
    method: operation.http.method,
    protocol: endpoint.protocol,
    hostname: prefixedHostname(operation, structure, input, endpoint),
    ...(endpoint.port !== undefined ? { port: endpoint.port } : {}),
    path: joinPath(endpoint.path, expandLabels(template, byLocation.get("uri") ?? [], input, operation)),
    query: [...literalPairs(literalQuery), ...queryPairs(byLocation.get("querystring") ?? [], input)],
    headers: {
      ...prefixHeaders(byLocation.get("headers") ?? [], input),
      ...headerFields(byLocation.get("header") ?? [], input),
    },
  };
  return {
    request,
    input,
    structure,
    bodyMembers: byLocation.get("body") ?? [],
    payload: structure ? payloadMember(structure) : undefined,
  };
}

/**
 * The members a REST response carries outside its body (headers, prefix headers, status
 * code). This runs on every response, so it walks the response's headers and looks each up
 * among the members bound to headers (the schema's cached map by lower-case name), rather
 * than trying every member that could be there.
 */
export function parseRestBindings(structure: StructureShape, response: RawResponse, protocol: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byLocation = membersByLocation(structure);
  const byHeader = membersByHeader(structure);
  for (const name in response.headers) {
    const view = byHeader.get(name);
    if (view !== undefined) out[view.name] = parseHeader(response.headers[name] as string, view.shape, view.member, protocol);
  }
  for (const view of byLocation.get("headers") ?? []) {
    const prefix = headerKey(view);
    const valueShape = view.shape.type === "map" ? memberShape(view.shape.value) : undefined;
    if (!valueShape) throw new ParseError(protocol, `prefix-header member ${view.name} is not a map`);
    const map: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(response.headers)) {
      if (!name.startsWith(prefix)) continue;
      // defineProperty: a header named "<prefix>__proto__" stays an entry, not a prototype.
      Object.defineProperty(map, name.slice(prefix.length), {
        value: parseHeader(raw, valueShape, undefined, protocol),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    // Present even when empty, as botocore answers: "no such headers" is an empty map.
    out[view.name] = map;
  }
  for (const view of byLocation.get("statusCode") ?? []) out[view.name] = response.statusCode;
  return out;
}

const headerKeys = new WeakMap<MemberView, string>();

/** A header-bound member's wire name in the lower case response headers use, computed once. */
function headerKey(view: MemberView): string {
  let key = headerKeys.get(view);
  if (key === undefined) {
    key = view.wireName.toLowerCase();
    headerKeys.set(view, key);
  }
  return key;
}

/** The input with a fresh token in every idempotency-token member the caller left out (top level, as every AWS SDK does). */
export function fillIdempotencyTokens(
  structure: StructureShape,
  input: Readonly<Record<string, unknown>>,
  token: (() => string) | undefined,
): Readonly<Record<string, unknown>> {
  let out = input;
  for (const view of membersOf(structure)) {
    if (view.member.idempotencyToken && (input[view.name] === undefined || input[view.name] === null)) {
      // The global WebCrypto (Node, Bun, Deno, Workers), not node:crypto, which a Worker may lack.
      out = { ...out, [view.name]: token ? token() : randomUuid() };
    }
  }
  return out;
}

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** The endpoint's hostname behind the operation's host prefix, `{Name}`s filled from hostLabel members. */
export function prefixedHostname(
  operation: OperationSchema,
  structure: StructureShape | undefined,
  input: Readonly<Record<string, unknown>>,
  endpoint: Endpoint,
): string {
  if (!operation.hostPrefix) return endpoint.hostname;
  const prefix = operation.hostPrefix.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const view = structure ? membersOf(structure).find((m) => m.name === name) : undefined;
    const value = view ? input[view.name] : undefined;
    if (typeof value !== "string" || !HOST_LABEL.test(value)) {
      throw new StratusError(`${operation.name}: ${name} must be a valid host label (letters, digits, hyphens), got ${JSON.stringify(value)}`);
    }
    return value;
  });
  return `${prefix}${endpoint.hostname}`;
}

/** A blob payload's value as the request body (see the header); `request` holds the bound headers. */
export function blobPayload(value: unknown, where: string, request: HttpRequest): Uint8Array | RequestBody {
  if (typeof value === "string" || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return toBytes(value, where);
  const declared = request.headers["content-length"];
  const body = toRequestBody(value, where, declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined);
  return body instanceof RequestBody ? body : toBytes(body, where);
}

/** The Content-Length of a body, when it is known before sending. */
export function bodyLength(body: string | Uint8Array | RequestBody): number | undefined {
  if (typeof body === "string") return utf8Length(body);
  return body instanceof Uint8Array ? body.byteLength : body.length;
}

// ── request: URI ────────────────────────────────────────────────────────────────────────

function expandLabels(
  template: string,
  labels: readonly MemberView[],
  input: Readonly<Record<string, unknown>>,
  operation: OperationSchema,
): string {
  return template.replace(/\{([^}+]+)(\+?)\}/g, (_match, name: string, greedy: string) => {
    const view = labels.find((m) => m.wireName === name);
    const value = view ? input[view.name] : undefined;
    if (!view || value === undefined || value === null) {
      throw new StratusError(`${operation.name}: the URI label ${name} needs a value`);
    }
    const text = scalarText(value, view.shape, view.member, "iso8601", `input.${view.name}`);
    return greedy ? uriEscapePath(text) : uriEscape(text);
  });
}

/** The endpoint's base path (no trailing slash) in front of the operation's path. */
function joinPath(base: string, path: string): string {
  const trimmed = base.endsWith("/") ? base.slice(0, -1) : base;
  return `${trimmed}${path.startsWith("/") ? path : `/${path}`}`;
}

// ── request: query ──────────────────────────────────────────────────────────────────────

/** The literal query of a requestUri ("x-id=GetObject&uploads"), decoded. */
function literalPairs(literal: string): Array<[string, string]> {
  if (literal === "") return [];
  return literal.split("&").filter(Boolean).map((pair): [string, string] => {
    const eq = pair.indexOf("=");
    return eq < 0 ? [decodeURIComponent(pair), ""] : [decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))];
  });
}

function queryPairs(members: readonly MemberView[], input: Readonly<Record<string, unknown>>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const maps: MemberView[] = [];
  for (const view of members) {
    const value = input[view.name];
    if (value === undefined || value === null) continue;
    if (view.shape.type === "map") {
      maps.push(view);
    } else if (view.shape.type === "list") {
      const list = view.shape;
      for (const element of listOf(value, `input.${view.name}`)) {
        pairs.push([view.wireName, scalarText(element, memberShape(list.member), list.member, "iso8601", `input.${view.name}`)]);
      }
    } else {
      pairs.push([view.wireName, scalarText(value, view.shape, view.member, "iso8601", `input.${view.name}`)]);
    }
  }
  // A map's keys come after, and never override a parameter a member names (Smithy's httpQueryParams precedence).
  const named = new Set(pairs.map(([name]) => name).concat(members.filter((m) => m.shape.type !== "map").map((m) => m.wireName)));
  for (const view of maps) {
    if (view.shape.type !== "map") continue;
    const valueMember = view.shape.value;
    const valueShape = memberShape(valueMember);
    for (const [key, element] of entriesOf(input[view.name], `input.${view.name}`)) {
      if (named.has(key) || element === undefined || element === null) continue;
      if (valueShape.type === "list") {
        const itemMember = valueShape.member;
        for (const item of listOf(element, `input.${view.name}.${key}`)) {
          pairs.push([key, scalarText(item, memberShape(itemMember), itemMember, "iso8601", `input.${view.name}.${key}`)]);
        }
      } else {
        pairs.push([key, scalarText(element, valueShape, valueMember, "iso8601", `input.${view.name}.${key}`)]);
      }
    }
  }
  return pairs;
}

// ── request: headers ────────────────────────────────────────────────────────────────────

function headerFields(members: readonly MemberView[], input: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const view of members) {
    const value = input[view.name];
    if (value === undefined || value === null) continue;
    headers[view.wireName.toLowerCase()] = headerText(value, view.shape, view.member, `input.${view.name}`);
  }
  return headers;
}

function prefixHeaders(members: readonly MemberView[], input: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const view of members) {
    if (view.shape.type !== "map") throw new StratusError(`input.${view.name}: prefix headers must be a map`);
    const valueMember = view.shape.value;
    const valueShape = memberShape(valueMember);
    for (const [key, value] of entriesOf(input[view.name] ?? {}, `input.${view.name}`)) {
      if (value === undefined || value === null) continue;
      headers[`${view.wireName}${key}`.toLowerCase()] = headerText(value, valueShape, valueMember, `input.${view.name}.${key}`);
    }
  }
  return headers;
}

/** A header value: a scalar, or a list joined with ", " (strings quoted when they hold a comma or quote). */
function headerText(value: unknown, shape: Shape, member: Member | undefined, where: string): string {
  if (shape.type === "list") {
    const item = memberShape(shape.member);
    return listOf(value, where)
      .map((element) => {
        const text = headerScalar(element, item, shape.member, where);
        // Timestamps are never quoted: an IMF-fixdate's own comma is part of the format.
        return item.type === "string" && /[",]/.test(text) ? `"${text.replace(/["\\]/g, "\\$&")}"` : text;
      })
      .join(", ");
  }
  return headerScalar(value, shape, member, where);
}

function headerScalar(value: unknown, shape: Shape, member: Member | undefined, where: string): string {
  if (shape.type === "string" && (member?.jsonvalue || shape.jsonvalue)) {
    return toBase64(typeof value === "string" ? value : JSON.stringify(value), where);
  }
  return scalarText(value, shape, member, "rfc822", where);
}

/** A scalar as the text a URI, query or header carries. */
export function scalarText(value: unknown, shape: Shape, member: Member | undefined, defaultFormat: TimestampFormat, where: string): string {
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") throw new StratusError(`${where}: expected a string`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw new StratusError(`${where}: expected a boolean`);
      return value ? "true" : "false";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "biginteger":
    case "bigdecimal":
      if (typeof value === "bigint") return value.toString();
      if (typeof value !== "number") throw new StratusError(`${where}: expected a number`);
      return Number.isNaN(value) ? "NaN" : value === Infinity ? "Infinity" : value === -Infinity ? "-Infinity" : String(value);
    case "timestamp":
      return String(formatTimestamp(value, member?.timestampFormat ?? shape.timestampFormat ?? defaultFormat, where));
    case "blob":
      return toBase64(value, where);
    case "structure":
    case "list":
    case "map":
    case "document":
      throw new StratusError(`${where}: a ${shape.type} cannot be sent in a URI, query string or header`);
  }
}

// ── response: headers ───────────────────────────────────────────────────────────────────

function parseHeader(raw: string, shape: Shape, member: Member | undefined, protocol: string): unknown {
  if (shape.type !== "list") return parseHeaderScalar(raw.trim(), shape, member, protocol);
  const item = memberShape(shape.member);
  const format = shape.member.timestampFormat ?? (item.type === "timestamp" ? item.timestampFormat : undefined) ?? "rfc822";
  const parts = splitHeaderList(raw, item.type === "timestamp" && format === "rfc822");
  return parts.map((part) => parseHeaderScalar(part, item, shape.member, protocol));
}

/**
 * A list header's items: split on commas outside double quotes, quotes removed and their
 * backslash escapes undone, whitespace around items trimmed. With `httpDates`, the comma
 * inside each IMF-fixdate ("Mon, 16 Dec 2019 …") does not split.
 */
export function splitHeaderList(raw: string, httpDates = false): string[] {
  if (raw.trim() === "") return [];
  const items: string[] = [];
  let current = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] as string;
    if (quoted) {
      if (char === "\\" && i + 1 < raw.length) current += raw[++i];
      else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"' && current.trim() === "") {
      quoted = true;
      wasQuoted = true;
      current = "";
    } else if (char === ",") {
      items.push(wasQuoted ? current : current.trim());
      current = "";
      wasQuoted = false;
    } else if (!wasQuoted) {
      current += char;
    }
  }
  items.push(wasQuoted ? current : current.trim());
  if (!httpDates) return items;
  const dates: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    // "Mon" alone is the first half of an IMF-fixdate; glue the rest back on.
    if (/^[A-Za-z]{3}$/.test(item) && i + 1 < items.length) dates.push(`${item}, ${items[++i] as string}`);
    else dates.push(item);
  }
  return dates;
}

const NON_FINITE: ReadonlyMap<string, number> = new Map([["NaN", Number.NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]]);
const DECIMAL_INTEGER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const utf8 = new TextDecoder("utf-8");

function parseHeaderScalar(text: string, shape: Shape, member: Member | undefined, protocol: string): unknown {
  switch (shape.type) {
    case "string":
      return member?.jsonvalue || shape.jsonvalue ? utf8.decode(fromBase64(text, protocol)) : text;
    case "boolean":
      if (text === "true" || text === "false") return text === "true";
      throw new ParseError(protocol, `a boolean header holds ${JSON.stringify(text.slice(0, 64))}`);
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "biginteger": {
      // Decimal digits only, as botocore's int(): Number() would also read "0x10" as 16.
      const n = DECIMAL_INTEGER.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(n)) throw new ParseError(protocol, `an integer header holds ${JSON.stringify(text.slice(0, 64))}`);
      return n;
    }
    case "float":
    case "double":
    case "bigdecimal": {
      const n = NON_FINITE.get(text) ?? (DECIMAL_NUMBER.test(text) ? Number(text) : undefined);
      if (n === undefined) throw new ParseError(protocol, `a number header holds ${JSON.stringify(text.slice(0, 64))}`);
      return n;
    }
    case "timestamp":
      return parseTimestamp(text, protocol);
    case "blob":
      return fromBase64(text, protocol);
    case "structure":
    case "list":
    case "map":
    case "document":
      throw new ParseError(protocol, `a ${shape.type} cannot be read from a header`);
  }
}

// ── small helpers ───────────────────────────────────────────────────────────────────────

function listOf(value: unknown, where: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...(value as Set<unknown>)];
  throw new StratusError(`${where}: expected a list`);
}

function entriesOf(value: unknown, where: string): Array<[string, unknown]> {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>)].map(([k, v]): [string, unknown] => [String(k), v]);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new StratusError(`${where}: expected a map`);
  return Object.entries(value);
}
