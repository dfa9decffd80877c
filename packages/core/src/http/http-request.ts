/**
 * The request as every layer of the SDK sees it: serializers build one, the signer returns
 * a signed copy, the transport sends it. It is plain data (no URL object, no Headers
 * class) so that copying it, comparing it in a test or printing it is trivial.
 *
 * Two fields carry a deliberate asymmetry. `path` is already in its wire form, because only
 * the serializer knows which characters of a key or label it percent-encoded on purpose
 * (an S3 key may contain "%2F" that must stay "%2F"). `query` holds decoded pairs, because
 * SigV4 must re-encode them its own way and sort them; keeping them decoded means there is
 * exactly one encoding step, shared by the signer and `requestUrl`.
 *
 * The body is a string or bytes when it is in memory (every serialized document, and blobs
 * passed as bytes), or a `RequestBody` (request-body.ts) when it streams: a Blob, a web or
 * Node stream, an async iterable. Only the transport reads a RequestBody; the steps before
 * it look at its `length` and `replayable` flags, and wrap it (aws-chunked) at most.
 */
import { uriEscape } from "../signing/uri-encode.ts";
import type { RequestBody } from "./request-body.ts";

export interface HttpRequest {
  method: string;
  protocol: "https:" | "http:";
  hostname: string;
  port?: number | undefined;
  /** The path exactly as it goes on the wire (already percent-encoded by the serializer). */
  path: string;
  /** Decoded query parameters, in order; a name may repeat. */
  query: Array<[string, string]>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** In memory (string: UTF-8), or a stream the transport reads (see request-body.ts). */
  body?: string | Uint8Array | RequestBody | undefined;
}

const DEFAULT_PORTS: Readonly<Record<HttpRequest["protocol"], number>> = { "https:": 443, "http:": 80 };

/**
 * A copy that shares nothing mutable with the original except the body, which is never
 * mutated; a RequestBody is shared on purpose, since whether a one-shot stream was already
 * read is a fact about the call, not about one copy of its request.
 */
export function cloneRequest(request: HttpRequest): HttpRequest {
  return {
    ...request,
    query: request.query.map(([name, value]): [string, string] => [name, value]),
    headers: { ...request.headers },
  };
}

/** The Host header value: the hostname, plus the port unless it is the protocol's default. */
export function hostHeader(request: HttpRequest): string {
  // A bare IPv6 literal needs its brackets back before a port can follow it.
  const host = request.hostname.includes(":") && !request.hostname.startsWith("[")
    ? `[${request.hostname}]`
    : request.hostname;
  const port = request.port;
  return port === undefined || port === DEFAULT_PORTS[request.protocol] ? host : `${host}:${port}`;
}

/** The query in wire form, in the request's own order, each name and value RFC 3986-encoded. */
export function encodeQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query.map(([name, value]) => `${uriEscape(name)}=${uriEscape(value)}`).join("&");
}

/** The full URL the request goes to. */
export function requestUrl(request: HttpRequest): string {
  const query = encodeQuery(request.query);
  const path = request.path.startsWith("/") ? request.path : `/${request.path}`;
  return `${request.protocol}//${hostHeader(request)}${path}${query ? `?${query}` : ""}`;
}

/**
 * Builds a header record from raw header lines, which may repeat a name or differ in case.
 * Repeats are joined with "," in arrival order, the combination HTTP itself allows for
 * repeated fields (RFC 9110 §5.3) and the one SigV4 signs.
 */
export function headersFromLines(lines: Iterable<readonly [string, string]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [rawName, rawValue] of lines) {
    const name = rawName.trim().toLowerCase();
    const value = rawValue.trim();
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return headers;
}
