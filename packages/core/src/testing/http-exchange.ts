/**
 * The recorded form of one HTTP exchange, as `recordHttp` writes it and `replayHttp` reads
 * it: plain JSON, stable from one run to the next, with no secret in it.
 *
 *   { "version": 1, "exchanges": [
 *     { "request":  { "method": "PUT", "url": "http://127.0.0.1:4568/bucket/key",
 *                     "headers": { "content-type": "text/plain", … }, "body": { "utf8": "hello" } },
 *       "response": { "status": 200, "headers": { "etag": "\"5d41…\"", … }, "body": { "utf8": "" } } } ] }
 *
 * What is taken out on the way in (the same function prepares a live request for
 * matching, so a recording and a new run compare alike):
 *   - headers that change on every run or carry a secret: authorization, x-amz-date,
 *     x-amz-security-token, amz-sdk-invocation-id, amz-sdk-request, user-agent,
 *     x-amz-user-agent, x-amz-sso_bearer_token (and host, which the URL already says);
 *   - presigned-URL query values: X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token,
 *     X-Amz-Date become "[redacted]";
 *   - from responses, the hop-by-hop headers (connection, keep-alive, transfer-encoding);
 *   - in bodies: chunk and trailer signatures of signed aws-chunked uploads, and the values
 *     of credential-like JSON keys and XML elements (SecretAccessKey, SessionToken,
 *     accessToken, refreshToken, idToken, clientSecret, …Password) become "[redacted]".
 *
 * A body is kept as UTF-8 text when it is text, else as base64; `truncated` marks a
 * response body the caller stopped reading before its end (only what was read is kept).
 */
import { requestUrl, type HttpRequest } from "../http/http-request.ts";

export interface RecordedBody {
  /** The body as text, when it is valid UTF-8 text. */
  readonly utf8?: string;
  /** The body as base64, when it is not text. */
  readonly base64?: string;
  /** The caller stopped reading before the end: the bytes read so far. */
  readonly truncated?: true;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: RecordedBody;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: RecordedBody;
}

export interface HttpExchange {
  readonly request: RecordedRequest;
  readonly response: RecordedResponse;
}

export interface HttpRecording {
  readonly version: 1;
  readonly exchanges: readonly HttpExchange[];
}

export const REDACTED = "[redacted]";

/** Request headers never recorded: they differ on every run or carry a secret. */
const DROPPED_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "x-amz-date",
  "x-amz-security-token",
  "amz-sdk-invocation-id",
  "amz-sdk-request",
  "user-agent",
  "x-amz-user-agent",
  "x-amz-sso_bearer_token",
  "host",
]);

const REDACTED_QUERY: ReadonlySet<string> = new Set(["x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-amz-date"]);

/** JSON keys and XML elements whose values are credentials or tokens. */
const SECRET_NAME = String.raw`(?:[A-Za-z_]*(?:SecretAccessKey|SessionToken|AccessToken|RefreshToken|IdToken|ClientSecret|Password|secretAccessKey|sessionToken|accessToken|refreshToken|idToken|clientSecret|password))`;
const SECRET_JSON = new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, "g");
const SECRET_XML = new RegExp(String.raw`<(${SECRET_NAME})>[^<]*</\1>`, "g");
const CHUNK_SIGNATURE = /(chunk-signature=|x-amz-trailer-signature:)[0-9a-f]{64}/g;

/** The recorded form of a request whose body is already in memory. */
export function recordRequest(request: HttpRequest, body: Uint8Array | undefined): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(request.headers).sort()) {
    const value = request.headers[name];
    if (value !== undefined && !DROPPED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  const signedChunks = (request.headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-AWS4-");
  const recorded: RecordedRequest = { method: request.method, url: redactUrl(requestUrl(request)), headers };
  return body === undefined ? recorded : { ...recorded, body: recordBody(body, { signedChunks }) };
}

/** Response headers about the connection, not the answer: a replay has no connection. */
const HOP_BY_HOP: ReadonlySet<string> = new Set(["connection", "keep-alive", "transfer-encoding"]);

export function recordResponse(status: number, headers: Readonly<Record<string, string>>, body: Uint8Array, complete: boolean): RecordedResponse {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(headers).sort()) if (!HOP_BY_HOP.has(name)) sorted[name] = headers[name] ?? "";
  const recorded = recordBody(body, { signedChunks: false });
  return { status, headers: sorted, body: complete ? recorded : { ...recorded, truncated: true } };
}

/** A recorded body: text with credential values redacted, or base64. */
export function recordBody(bytes: Uint8Array, options: { readonly signedChunks: boolean }): RecordedBody {
  const text = asText(bytes);
  if (text !== undefined) return { utf8: redactText(text) };
  const binary = options.signedChunks ? binaryString(bytes).replace(CHUNK_SIGNATURE, `$1${REDACTED}`) : binaryString(bytes);
  return { base64: btoa(binary) };
}

/** The bytes of a recorded body. */
export function bodyBytes(body: RecordedBody | undefined): Uint8Array {
  if (body?.utf8 !== undefined) return new TextEncoder().encode(body.utf8);
  if (body?.base64 !== undefined) {
    const binary = atob(body.base64);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  return new Uint8Array();
}

/** A one-line description for messages: method, URL and the header that names a JSON operation. */
export function describeRequest(request: RecordedRequest): string {
  const target = request.headers["x-amz-target"];
  return `${request.method} ${request.url}${target ? ` (x-amz-target: ${target})` : ""}`;
}

/** Whether `value` looks like a recording (for a file or object handed to replayHttp). */
export function isRecording(value: unknown): value is HttpRecording {
  return value !== null && typeof value === "object" && (value as { version?: unknown }).version === 1 && Array.isArray((value as { exchanges?: unknown }).exchanges);
}

function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart < 0) return url;
  const pairs = url.slice(queryStart + 1).split("&").map((pair) => {
    const name = pair.split("=", 1)[0] ?? "";
    return REDACTED_QUERY.has(decodeURIComponent(name).toLowerCase()) ? `${name}=${encodeURIComponent(REDACTED)}` : pair;
  });
  return `${url.slice(0, queryStart)}?${pairs.join("&")}`;
}

function redactText(text: string): string {
  return text
    .replace(SECRET_JSON, `$1"${REDACTED}"`)
    .replace(SECRET_XML, `<$1>${REDACTED}</$1>`)
    .replace(CHUNK_SIGNATURE, `$1${REDACTED}`);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function asText(bytes: Uint8Array): string | undefined {
  try {
    const text = strictUtf8.decode(bytes);
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function binaryString(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}
