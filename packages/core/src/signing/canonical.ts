/**
 * The canonical request: the one string both sides of a SigV4 exchange build from the
 * request, so that a signature over it proves the request was not changed. Each part of it
 * has one function here, in the order the spec lists them:
 *
 *   method \n canonical path \n canonical query \n canonical headers \n
 *   signed headers \n payload hash
 *
 * Everything here is pure string work on an `HttpRequest`; hashing and keys live elsewhere.
 */
import type { HttpRequest } from "../http/http-request.ts";
import { hashes } from "./hash.ts";
import { uriEscape, uriEscapePath } from "./uri-encode.ts";

/** The payload hash SigV4 expects for a request without a body. */
export const EMPTY_PAYLOAD_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Headers that are never signed, because something between us and AWS may add, change or
 * drop them, and a signed header that changes in transit breaks the signature:
 * - authorization: it carries the signature, so it cannot be part of it;
 * - user-agent: proxies and HTTP libraries rewrite it;
 * - expect: HTTP clients add or remove `Expect: 100-continue` on their own;
 * - x-amzn-trace-id: X-Ray and Lambda add or rewrite it on the way;
 * - the hop-by-hop headers of RFC 9110 §7.6.1 (connection, keep-alive, proxy-connection,
 *   te, trailer, transfer-encoding, upgrade) and proxy-authorization/proxy-authenticate:
 *   they describe one connection, and every proxy is entitled to replace them.
 */
export const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "user-agent",
  "expect",
  "x-amzn-trace-id",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-authorization",
  "proxy-authenticate",
]);

export interface CanonicalOptions {
  /** Percent-encode each path segment again (every service but S3). */
  readonly uriEscapePath: boolean;
  /** Remove "." and ".." segments and empty segments (every service but S3). */
  readonly normalizePath: boolean;
}

/** The signature's input and the header list it covers. */
export interface CanonicalRequest {
  readonly text: string;
  readonly signedHeaders: string;
}

/**
 * Builds the canonical request. `signable` says which lower-cased header names take part;
 * the caller decides (it knows about session tokens and caller-supplied exclusions).
 */
export function canonicalRequest(
  request: HttpRequest,
  payloadHash: string,
  signable: (name: string) => boolean,
  options: CanonicalOptions,
): CanonicalRequest {
  const headers = canonicalHeaderEntries(request.headers, signable);
  const signedHeaders = headers.map(([name]) => name).join(";");
  const text = [
    request.method,
    canonicalPath(request.path, options),
    canonicalQuery(request.query),
    headers.map(([name, value]) => `${name}:${value}\n`).join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  return { text, signedHeaders };
}

/**
 * The path as AWS recomputes it. Outside S3 the wire path is normalised and each segment
 * encoded once more: AWS canonicalises the path it received, still encoded, so "%2F" on the
 * wire is signed as "%252F". S3 signs the wire path untouched, because an object key may
 * legitimately hold "//", "." or ".." segments.
 */
export function canonicalPath(path: string, options: CanonicalOptions): string {
  let result = path === "" ? "/" : path;
  if (options.normalizePath) result = normalizePathSegments(result);
  if (options.uriEscapePath) result = uriEscapePath(result);
  return result;
}

/**
 * Removes dot segments (RFC 3986 §5.2.4) and collapses empty segments, keeping one leading
 * slash and the trailing slash when the path ends in a directory ("/", "/." or "/..").
 */
export function normalizePathSegments(path: string): string {
  const segments: string[] = [];
  const parts = path.split("/");
  for (const segment of parts) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const last = parts[parts.length - 1];
  const endsInDirectory = last === "" || last === "." || last === "..";
  const joined = `/${segments.join("/")}`;
  return endsInDirectory && segments.length > 0 ? `${joined}/` : joined;
}

/**
 * Query pairs encoded, then sorted by encoded name and, for a repeated name, by encoded
 * value. Sorting after encoding is what the spec asks: the order is that of the bytes AWS
 * sees. A parameter without a value still signs as "name=".
 */
export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query
    .map(([name, value]): [string, string] => [uriEscape(name), uriEscape(value)])
    .sort(([aName, aValue], [bName, bValue]) => compare(aName, bName) || compare(aValue, bValue))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

/**
 * Signable headers as sorted [name, value] pairs. Names are lower-cased, so two entries
 * that differ only in case are one header, joined with "," in the order given. Values are
 * trimmed and every run of whitespace (a folded continuation line included) becomes one
 * space.
 */
export function canonicalHeaderEntries(
  headers: Readonly<Record<string, string>>,
  signable: (name: string) => boolean,
): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const rawName in headers) {
    if (!Object.hasOwn(headers, rawName)) continue;
    const name = rawName.toLowerCase();
    if (signable(name)) entries.push([name, canonicalHeaderValue(headers[rawName] ?? "")]);
  }
  // The sort is stable, so spellings of one name end up side by side in the order given;
  // merged from the end, each run becomes one entry with its values joined in that order.
  entries.sort(([a], [b]) => compare(a, b));
  for (let i = entries.length - 1; i > 0; i--) {
    const previous = entries[i - 1] as [string, string];
    const current = entries[i] as [string, string];
    if (previous[0] !== current[0]) continue;
    previous[1] = `${previous[1]},${current[1]}`;
    entries.splice(i, 1);
  }
  return entries;
}

export function canonicalHeaderValue(value: string): string {
  const trimmed = value.trim();
  // Most values have nothing to collapse: no whitespace but single plain spaces.
  return COLLAPSIBLE.test(trimmed) ? trimmed.replace(/\s+/g, " ") : trimmed;
}

/** Two whitespace characters in a row, or any whitespace other than a plain space. */
const COLLAPSIBLE = /\s\s|[^\S ]/;

/** Hex SHA-256 of the body as sent: a string is hashed as its UTF-8 bytes. */
export function hashPayload(body: string | Uint8Array | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_PAYLOAD_HASH;
  return hashes.sha256Hex(body);
}

/** Code-unit order; every string compared here is ASCII, so that is byte order. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
