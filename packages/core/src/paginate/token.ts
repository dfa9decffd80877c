/**
 * Resume tokens: the opaque string a paginator hands out when `maxItems` stopped it, and
 * takes back as `startingToken`. The format is botocore's, so the idea carries over from
 * the AWS CLI's `--starting-token`:
 *
 *   base64( JSON{ <input token name>: <service token or null>, ...,
 *                 "boto_truncate_amount"?: <items of that page already returned>,
 *                 "boto_encoded_keys"?: [[path...], ...] } )
 *
 * One entry per input token (S3's ListObjectVersions has two), holding the tokens that were
 * SENT for the page to resume at (null: not sent). When `maxItems` fell inside a page, the
 * token re-requests that same page and `boto_truncate_amount` says how many of its items the
 * caller already has. Service tokens need not be strings (DynamoDB's ExclusiveStartKey is a
 * map of attribute values); byte arrays inside them (a binary key attribute) do not survive
 * JSON, so, as botocore's TokenEncoder does, they are written as base64 and their paths are
 * listed in `boto_encoded_keys` to be turned back into bytes on decoding.
 */
import { base64ToBytes, bytesToBase64, utf8Bytes } from "../platform/bytes.ts";
import { PaginationError } from "./errors.ts";

const utf8 = new TextDecoder("utf-8");

const TRUNCATE_KEY = "boto_truncate_amount";
const ENCODED_KEYS = "boto_encoded_keys";

export type TokenMap = Readonly<Record<string, unknown>>;

export interface ResumePoint {
  /** Input token name -> value to send (null: leave it out of the request). */
  readonly tokens: TokenMap;
  /** How many primary-result items of the first page were already returned. */
  readonly offset: number;
}

type PathStep = string | number;

/** Replaces byte arrays by base64 strings, noting where each one was. */
function encodeBytes(value: unknown, path: PathStep[], found: PathStep[][]): unknown {
  if (value instanceof Uint8Array) {
    found.push(path);
    return bytesToBase64(value);
  }
  if (Array.isArray(value)) return value.map((item, i) => encodeBytes(item, [...path, i], found));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = encodeBytes(item, [...path, key], found);
    }
    return out;
  }
  return value;
}

export function encodeResumeToken(point: ResumePoint): string {
  const found: PathStep[][] = [];
  const body = encodeBytes(point.tokens, [], found) as Record<string, unknown>;
  for (const key of Object.keys(point.tokens)) body[key] ??= null;
  if (point.offset > 0) body[TRUNCATE_KEY] = point.offset;
  if (found.length > 0) body[ENCODED_KEYS] = found;
  return bytesToBase64(utf8Bytes(JSON.stringify(body)));
}

function bad(token: string, why: string): PaginationError {
  const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  return new PaginationError(`bad starting token "${shown}": ${why}`);
}

function decodeBytesAt(body: Record<string, unknown>, path: unknown, token: string): void {
  if (!Array.isArray(path) || path.length === 0) throw bad(token, `${ENCODED_KEYS} holds a malformed path`);
  let container: unknown = body;
  for (const step of path.slice(0, -1)) {
    container = (container as Record<string | number, unknown> | null)?.[step as string | number];
  }
  const last = path[path.length - 1] as string | number;
  const holder = container as Record<string | number, unknown> | null;
  const encoded = holder?.[last];
  if (typeof encoded !== "string") throw bad(token, `${ENCODED_KEYS} points at no encoded value`);
  (holder as Record<string | number, unknown>)[last] = base64ToBytes(encoded);
}

/** Undoes base64 + JSON; undefined when `token` is not in this format at all. */
function parseEnvelope(token: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(base64ToBytes(token)));
  } catch {
    return undefined;
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/**
 * Reads a starting token for a paginator whose input tokens are `inputTokens`.
 *
 * A string that is not in the format above is taken, like botocore's fallback for old-style
 * tokens, as a raw service token when the operation has exactly one input token (so a
 * `NextToken` copied from a page also works); with several input tokens it is an error. A
 * well-formed token naming other input tokens is refused: it was made for another operation.
 */
export function decodeResumeToken(token: string, inputTokens: readonly string[]): ResumePoint {
  const body = parseEnvelope(token);
  if (body === undefined) {
    const [only] = inputTokens;
    if (inputTokens.length === 1 && only !== undefined && token.length > 0) return { tokens: { [only]: token }, offset: 0 };
    throw bad(token, "it is not a token this paginator produced");
  }
  const encodedPaths = body[ENCODED_KEYS];
  delete body[ENCODED_KEYS];
  if (encodedPaths !== undefined) {
    if (!Array.isArray(encodedPaths)) throw bad(token, `${ENCODED_KEYS} is not a list`);
    for (const path of encodedPaths) decodeBytesAt(body, path, token);
  }
  const offset = body[TRUNCATE_KEY] ?? 0;
  delete body[TRUNCATE_KEY];
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw bad(token, `${TRUNCATE_KEY} is not a non-negative integer`);
  }
  const unknown = Object.keys(body).filter((key) => !inputTokens.includes(key));
  if (unknown.length > 0) {
    throw bad(token, `it names ${unknown.join(", ")}, but this operation's input tokens are ${inputTokens.join(", ")}`);
  }
  const tokens: Record<string, unknown> = {};
  for (const name of inputTokens) tokens[name] = body[name] ?? null;
  return { tokens, offset };
}
