/**
 * AWS Signature Version 4, header form (`signRequest`) and query form (`presignRequest`).
 * The code follows the spec top-down, one short step per function:
 *
 *   signature      = hex(HMAC(signing key, string to sign))        signature()
 *   string to sign = algorithm, date, credential scope, hash(CR)   stringToSign()
 *   canonical req  = method, path, query, headers, payload hash    canonical.ts
 *   signing key    = HMAC chain over date/region/service           signing-key.ts
 *
 * Both entry points copy the request and return the copy, the exact strings that were
 * signed (what you need when AWS answers SignatureDoesNotMatch) and the signature. Inputs
 * are validated before anything is hashed, and no message ever includes the secret key or
 * the session token. The session token travels on the signed request, as it must, but the
 * result's `util.inspect` output shows it as "<redacted>".
 */
import type { InspectOptions, inspect } from "node:util";
import type { CredentialIdentity } from "../credentials/credentials.ts";
import { StratusError } from "../errors/index.ts";
import { cloneRequest, hostHeader, requestUrl } from "../http/http-request.ts";
import type { HttpRequest } from "../http/http-request.ts";
import { canonicalHeaderEntries, canonicalRequest, hashPayload, UNSIGNABLE_HEADERS } from "./canonical.ts";
import type { CanonicalOptions } from "./canonical.ts";
import { hashes } from "./hash.ts";
import { hmacHex, signingKey } from "./signing-key.ts";
import { uriEscape } from "./uri-encode.ts";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** The longest a presigned request may stay valid: seven days, in seconds. */
export const MAX_PRESIGN_EXPIRY = 604_800;

/** Headers the signer always signs, whatever `unsignedHeaders` says: SigV4 requires them. */
const ALWAYS_SIGNED: ReadonlySet<string> = new Set(["host", "x-amz-date"]);
const SESSION_TOKEN_HEADER = "x-amz-security-token";
const CONTENT_SHA256_HEADER = "x-amz-content-sha256";

export interface SigningParams {
  readonly credentials: CredentialIdentity;
  readonly region: string;
  /** The signing name, e.g. "s3", "sts", "execute-api" (not always the endpoint prefix). */
  readonly service: string;
  /** Defaults to now. */
  readonly signingDate?: Date | undefined;
  /**
   * The payload hash to sign, e.g. `UNSIGNED_PAYLOAD`. Without it, an
   * `x-amz-content-sha256` header already on the request is used, else the hex SHA-256 of
   * the body (the empty-body hash when there is none).
   */
  readonly payloadHash?: string | undefined;
  /** Encode each path segment again (default true). S3 passes false: its path is signed as sent. */
  readonly uriEscapePath?: boolean | undefined;
  /** Remove dot segments and collapse "//" (default true). S3 passes false. */
  readonly normalizePath?: boolean | undefined;
  /** Send the payload hash as `x-amz-content-sha256` (S3 requires it). Ignored by presign. */
  readonly addContentSha256Header?: boolean | undefined;
  /**
   * Sign `x-amz-security-token` (default true). When false the token is added after the
   * signature is computed, as a few services expect.
   */
  readonly sessionTokenSigned?: boolean | undefined;
  /** More header names to leave out of the signature, on top of `UNSIGNABLE_HEADERS`. */
  readonly unsignedHeaders?: Iterable<string> | undefined;
}

export interface PresignParams extends SigningParams {
  /** Seconds the URL stays valid, a whole number from 1 to 604800 (seven days). */
  readonly expiresIn: number;
}

export interface SignedRequest {
  /** A new request carrying the signature; the input is left as it was. */
  readonly request: HttpRequest;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
  /** The ";"-separated lower-case names that were signed. */
  readonly signedHeaders: string;
}

export interface PresignedRequest extends SignedRequest {
  /** The request's URL with every X-Amz-* parameter in its query. */
  readonly url: string;
  readonly expiresAt: Date;
}

/** A signing input is unusable (bad expiry, missing region, credentials without a key…). */
export class SigningError extends StratusError {
  override name = "SigningError";
}

/** Signs with an `Authorization` header. */
export function signRequest(request: HttpRequest, params: SigningParams): SignedRequest {
  const scope = signingScope(params);
  const signed = cloneRequest(request);
  const token = sessionToken(params);
  const tokenSigned = params.sessionTokenSigned ?? true;

  if (!hasHeader(signed.headers, "host")) setHeader(signed.headers, "host", hostHeader(signed));
  setHeader(signed.headers, "x-amz-date", scope.amzDate);
  if (token !== undefined && tokenSigned) setHeader(signed.headers, SESSION_TOKEN_HEADER, token);
  const payloadHash = payloadHashFor(signed, params);
  if (params.addContentSha256Header) setHeader(signed.headers, CONTENT_SHA256_HEADER, payloadHash);

  const canonical = canonicalRequest(signed, payloadHash, signableHeaders(params), canonicalOptions(params));
  const toSign = stringToSign(canonical.text, scope);
  const sig = signature(toSign, scope, params);
  setHeader(signed.headers, "authorization", authorizationHeader(params, scope, canonical.signedHeaders, sig));
  if (token !== undefined && !tokenSigned) setHeader(signed.headers, SESSION_TOKEN_HEADER, token);

  return redactedOnInspect({
    request: signed,
    canonicalRequest: canonical.text,
    stringToSign: toSign,
    signature: sig,
    signedHeaders: canonical.signedHeaders,
  }, token);
}

/**
 * Signs with query parameters, so the URL alone authorises the request until it expires.
 * Headers left on the request are signed too, and whoever uses the URL must send them.
 */
export function presignRequest(request: HttpRequest, params: PresignParams): PresignedRequest {
  checkExpiry(params.expiresIn);
  const scope = signingScope(params);
  const presigned = cloneRequest(request);
  const token = sessionToken(params);
  const tokenSigned = params.sessionTokenSigned ?? true;
  const signable = signableHeaders(params);

  if (!hasHeader(presigned.headers, "host")) setHeader(presigned.headers, "host", hostHeader(presigned));
  const signedHeaders = canonicalHeaderEntries(presigned.headers, signable).map(([name]) => name).join(";");
  // A request presigned twice must not carry the first round's parameters.
  presigned.query = presigned.query.filter(([name]) => !PRESIGN_PARAMS.has(name.toLowerCase()));
  presigned.query.push(
    ["X-Amz-Algorithm", ALGORITHM],
    ["X-Amz-Credential", `${params.credentials.accessKeyId}/${scope.credentialScope}`],
    ["X-Amz-Date", scope.amzDate],
    ["X-Amz-Expires", String(params.expiresIn)],
    ["X-Amz-SignedHeaders", signedHeaders],
  );
  if (token !== undefined && tokenSigned) presigned.query.push(["X-Amz-Security-Token", token]);

  const canonical = canonicalRequest(presigned, payloadHashFor(presigned, params), signable, canonicalOptions(params));
  const toSign = stringToSign(canonical.text, scope);
  const sig = signature(toSign, scope, params);
  presigned.query.push(["X-Amz-Signature", sig]);
  if (token !== undefined && !tokenSigned) presigned.query.push(["X-Amz-Security-Token", token]);

  return redactedOnInspect({
    request: presigned,
    url: requestUrl(presigned),
    expiresAt: new Date(scope.date.getTime() + params.expiresIn * 1000),
    canonicalRequest: canonical.text,
    stringToSign: toSign,
    signature: sig,
    signedHeaders,
  }, token);
}

const PRESIGN_PARAMS: ReadonlySet<string> = new Set([
  "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires",
  "x-amz-signedheaders", "x-amz-security-token", "x-amz-signature",
]);

// ---- the spec's steps, top-down ------------------------------------------------------

/** Where and when the signature is valid. */
interface SigningScope {
  readonly date: Date;
  /** ISO 8601 basic format, e.g. 20150830T123600Z. */
  readonly amzDate: string;
  /** YYYYMMDD/region/service/aws4_request */
  readonly credentialScope: string;
}

function signature(toSign: string, scope: SigningScope, params: SigningParams): string {
  const key = signingKey(params.credentials.secretAccessKey, scope.amzDate.slice(0, 8), params.region, params.service);
  return hmacHex(key, toSign);
}

function stringToSign(canonicalRequestText: string, scope: SigningScope): string {
  const hash = hashes.sha256Hex(canonicalRequestText);
  return [ALGORITHM, scope.amzDate, scope.credentialScope, hash].join("\n");
}

function authorizationHeader(params: SigningParams, scope: SigningScope, signedHeaders: string, sig: string): string {
  const credential = `${params.credentials.accessKeyId}/${scope.credentialScope}`;
  return `${ALGORITHM} Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${sig}`;
}

function payloadHashFor(request: HttpRequest, params: SigningParams): string {
  const given = params.payloadHash ?? getHeader(request.headers, CONTENT_SHA256_HEADER);
  if (given !== undefined) return given;
  const body = request.body;
  if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) {
    // A streaming body is read once, when it is sent: hashing it here would consume it.
    throw new SigningError(
      `cannot sign: the body is ${body.description}, which cannot be hashed before it is sent; ` +
        "pass payloadHash (UNSIGNED-PAYLOAD, or its hex SHA-256) or send it as bytes",
    );
  }
  return hashPayload(body);
}

function canonicalOptions(params: SigningParams): CanonicalOptions {
  return { uriEscapePath: params.uriEscapePath ?? true, normalizePath: params.normalizePath ?? true };
}

function signableHeaders(params: SigningParams): (name: string) => boolean {
  const excluded = new Set([...(params.unsignedHeaders ?? [])].map((name) => name.toLowerCase()));
  if (params.sessionTokenSigned === false) excluded.add(SESSION_TOKEN_HEADER);
  return (name) => ALWAYS_SIGNED.has(name) || (!UNSIGNABLE_HEADERS.has(name) && !excluded.has(name));
}

// ---- input checks: before any hashing, and never echoing a secret --------------------

function signingScope(params: SigningParams): SigningScope {
  const { credentials, region, service } = params;
  if (!credentials || typeof credentials.accessKeyId !== "string" || credentials.accessKeyId === "") {
    throw new SigningError("cannot sign: the credentials have no access key id");
  }
  if (typeof credentials.secretAccessKey !== "string" || credentials.secretAccessKey === "") {
    throw new SigningError(`cannot sign: the credentials for ${credentials.accessKeyId} have no secret access key`);
  }
  if (!region) throw new SigningError("cannot sign: no region was given");
  if (!service) throw new SigningError("cannot sign: no service signing name was given");
  const date = params.signingDate ?? new Date();
  if (Number.isNaN(date.getTime())) throw new SigningError("cannot sign: signingDate is not a valid date");
  const amzDate = amzDateOf(date);
  return { date, amzDate, credentialScope: `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request` };
}

/** The last second formatted: a busy client signs many requests within one second. */
let formattedSecond = Number.NaN;
let formattedAmzDate = "";

/** ISO 8601 basic format to the second, e.g. 20150830T123600Z. */
function amzDateOf(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== formattedSecond) {
    formattedAmzDate = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    formattedSecond = second;
  }
  return formattedAmzDate;
}

function checkExpiry(expiresIn: number): void {
  if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRY) {
    throw new SigningError(
      `cannot presign: expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRY} (7 days); got ${String(expiresIn)}`,
    );
  }
}

function sessionToken(params: SigningParams): string | undefined {
  return params.credentials.sessionToken || undefined;
}

// ---- header record helpers: names are meant to be lower-case, but tolerate others ----

function getHeader(headers: Record<string, string>, name: string): string | undefined {
  if (Object.hasOwn(headers, name)) return headers[name];
  for (const key in headers) if (Object.hasOwn(headers, key) && key.toLowerCase() === name) return headers[key];
  return undefined;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return getHeader(headers, name) !== undefined;
}

/** Sets `name`, dropping any spelling of it in another case so it cannot sign twice. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const key in headers) if (key !== name && Object.hasOwn(headers, key) && key.toLowerCase() === name) delete headers[key];
  headers[name] = value;
}

/**
 * `util.inspect.custom` without importing node:util (a Worker may have none): Node, Bun
 * and Deno look the hook up under this registered symbol.
 */
const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");

/**
 * Makes `util.inspect` (and so console.log) of a result show the session token, raw or
 * URI-encoded, as "<redacted>". The token stays in the request itself: it must be sent.
 */
function redactedOnInspect<T extends object>(result: T, token: string | undefined): T {
  Object.defineProperty(result, INSPECT_CUSTOM, {
    enumerable: false,
    value(_depth: number, options: InspectOptions, inspectFn: typeof inspect): string {
      const text = inspectFn({ ...result }, options);
      return token === undefined ? text : text.replaceAll(token, "<redacted>").replaceAll(uriEscape(token), "<redacted>");
    },
  });
  return result;
}
