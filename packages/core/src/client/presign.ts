/**
 * Presigning: any operation of any client as a URL that authorises one request until it
 * expires, what boto3's `generate_presigned_url` gives. It is a call stopped before send
 * (the orchestrator's BeforeTransmit stop point), with a query-string signature in place of
 * the Authorization header:
 *
 *   options       expiry (1 s to 7 days), method, signing date: checked before anything else
 *   1. validate   every problem with the input at once, as for a call
 *   2. settings   the client's runtime (region, credentials…)
 *   3–6.          prepareRequest, as for a call, with two differences: no compression, and
 *                 checksums "when_required" (see below)
 *  10. beforeSign the service's hooks, then the client's
 *      URL form   a form-encoded body (query, ec2 protocols) moves into the query string, as
 *                 botocore does, so the URL works without a body; any other non-empty body
 *                 (JSON, XML, a stream) cannot travel in a URL and is refused
 *      method     `httpMethod` replaces the operation's (botocore's HttpMethod)
 *  11. presign    SigV4 in the query (signing/sigv4.ts `presignRequest`), with the signing
 *                 name and region the endpoint chose and S3's rules: its path signed as sent
 *                 and its payload UNSIGNED-PAYLOAD
 *
 * Phases 8 and 9 are left out on purpose: the retry headers (amz-sdk-invocation-id,
 * amz-sdk-request) and the user agent describe one call of this SDK, and a signed header
 * is one whoever uses the URL must send verbatim.
 *
 * Checksums: a presigned request's body is not known when it is signed, so nothing is
 * computed that the caller did not ask for (no CRC32 of an empty body, no
 * x-amz-checksum-mode). A checksum algorithm the caller names (S3's ChecksumAlgorithm) is
 * signed as its header, and its value is left for the URL's user to send; a value the
 * caller gives (ChecksumSHA256) is signed as given.
 *
 * The result's `headers` are the signed ones other than host: the URL's user must send them
 * with these exact values. `util.inspect` shows the URL and headers redacted (signature,
 * credential scope, session token, SSE-C keys); the strings themselves are whole.
 */
import { abandonable } from "../abort/index.ts";
import { StratusError } from "../errors/index.ts";
import type { HttpRequest } from "../http/http-request.ts";
import { RequestBody } from "../http/request-body.ts";
import { redactHeaders, redactUrl } from "../logging/redact.ts";
import type { OperationSchema } from "../schema/types.ts";
import { MAX_PRESIGN_EXPIRY, presignRequest, SigningError, UNSIGNED_PAYLOAD } from "../signing/index.ts";
import { CallScope } from "./call-scope.ts";
import type { OperationTable } from "./operations.ts";
import { runBeforeSign } from "./hooks.ts";
import { prepareRequest, validate, type RuntimeSource } from "./pipeline.ts";
import type { ClientRuntime } from "./runtime.ts";
import { isS3SigningName } from "./steps/sign.ts";

/** Fifteen minutes, botocore's and the v3 SDK's default. */
export const DEFAULT_PRESIGN_EXPIRY = 900;

export interface PresignOptions {
  /** Seconds the URL stays valid: a whole number from 1 to 604800 (7 days). Default 900. */
  readonly expiresIn?: number | undefined;
  /** The method the URL is signed for, in place of the operation's (e.g. "GET" for an STS query call). */
  readonly httpMethod?: string | undefined;
  /** Aborts resolving the settings and credentials. */
  readonly signal?: AbortSignal | undefined;
  /** When the validity starts. Default: now, on the client's corrected clock. */
  readonly signingDate?: Date | undefined;
}

export interface PresignedHttpRequest {
  /** The URL with every X-Amz-* parameter (signature, credential scope, session token…). */
  readonly url: string;
  readonly method: string;
  /** Headers that were signed (host excepted): send them with exactly these values. */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: Date;
}

/** Presigns one operation call: see the module header for the phases. */
export async function presignOperation(
  source: RuntimeSource,
  findOperation: () => OperationSchema,
  input: object,
  options: PresignOptions = {},
): Promise<PresignedHttpRequest> {
  const { expiresIn, method } = checkOptions(options);
  const operation = findOperation();
  const call = new CallScope({ signal: options.signal });
  try {
    // 1. Validate: every problem at once.
    const values = validate(operation, input);

    // 2. Settings.
    const runtime = await abandonable(source(), call.signal);
    const serviceId = runtime.definition.schema.serviceId;

    // 3–6. Serialize, endpoint, (no) compression, checksums the caller asked for.
    const prepared = await prepareRequest(presignRuntime(runtime), withoutComputedChecksums(operation), values);
    const target = prepared.endpoint.signing;
    if (target.scheme === "none") {
      throw new StratusError(`cannot presign ${serviceId}.${operation.name}: it is called without a signature, so there is nothing to sign`);
    }

    // 10. beforeSign hooks, then the request in the form a URL can carry.
    let request = runBeforeSign(runtime.hooks, prepared.request, { operation, input: values, attempt: 1 });
    request = inUrlForm(request, `${serviceId}.${operation.name}`);
    if (method !== undefined) request = { ...request, method };

    // 11. Presign (credentials resolved here, as for a call).
    const credentials = await abandonable(runtime.credentials.resolve({ signal: call.signal }), call.signal);
    const s3 = isS3SigningName(target.name);
    const presigned = presignRequest(request, {
      credentials,
      region: target.region,
      service: target.name,
      signingDate: options.signingDate ?? runtime.clock.now(),
      expiresIn,
      payloadHash: s3 || operation.unsignedPayload ? UNSIGNED_PAYLOAD : undefined,
      uriEscapePath: !(s3 || target.disableDoubleEncoding),
      normalizePath: !s3,
    });
    return result(presigned.url, presigned.request, presigned.signedHeaders, presigned.expiresAt);
  } catch (error) {
    throw call.failure(error);
  } finally {
    call.close();
  }
}

/** The operation whose service name is `name` ("GetObject"), from the client's probed methods. */
export function operationNamed(table: OperationTable, name: string, serviceId: string): OperationSchema {
  const found = table.byName.get(name);
  if (found === undefined || found.name !== name) throw new StratusError(`${serviceId} has no operation ${String(name)}`);
  return found.schema;
}

// ── the pieces ────────────────────────────────────────────────────────────────────────

function checkOptions(options: PresignOptions): { expiresIn: number; method: string | undefined } {
  const expiresIn = options.expiresIn ?? DEFAULT_PRESIGN_EXPIRY;
  if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRY) {
    throw new SigningError(
      `cannot presign: expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRY} (7 days); got ${String(expiresIn)}`,
    );
  }
  const method = options.httpMethod;
  if (method !== undefined && (typeof method !== "string" || !/^[A-Za-z]+$/.test(method))) {
    throw new StratusError(`cannot presign: httpMethod must be an HTTP method such as "GET"; got ${JSON.stringify(method)}`);
  }
  const date = options.signingDate;
  if (date !== undefined && !(date instanceof Date && !Number.isNaN(date.getTime()))) {
    throw new SigningError("cannot presign: signingDate is not a valid date");
  }
  return { expiresIn, method: method?.toUpperCase() };
}

/** The runtime a presigned request is prepared with: nothing computed over a body the URL's user will send. */
function presignRuntime(runtime: ClientRuntime): ClientRuntime {
  return {
    ...runtime,
    compression: { ...runtime.compression, disableRequestCompression: true },
    checksums: { requestChecksumCalculation: "when_required", responseChecksumValidation: "when_required" },
  };
}

/**
 * The operation without its request-algorithm member, so that an algorithm the caller
 * names is signed as a header but not computed over the (absent) body; a checksum the
 * operation requires is still computed, over the body the request has.
 */
function withoutComputedChecksums(operation: OperationSchema): OperationSchema {
  const trait = operation.httpChecksum;
  if (trait?.requestAlgorithmMember === undefined) return operation;
  const { requestAlgorithmMember: _dropped, ...rest } = trait;
  return { ...operation, httpChecksum: rest };
}

const FORM_TYPE = "application/x-www-form-urlencoded";

/** A form body moved into the query; any other non-empty body refused (see the header). */
function inUrlForm(request: HttpRequest, call: string): HttpRequest {
  const body = request.body;
  const headers = { ...request.headers };
  delete headers["content-length"];
  if (isEmpty(body)) {
    // The caller's ContentLength (S3 PutObject) is a limit the URL should enforce: keep it.
    if (request.headers["content-length"] !== undefined && request.headers["content-length"] !== "0") return request;
    return { ...request, headers, body: undefined };
  }
  const type = request.headers["content-type"];
  if (type?.toLowerCase().startsWith(FORM_TYPE) && !(body instanceof RequestBody)) {
    delete headers["content-type"];
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    const query: Array<[string, string]> = [...request.query, ...new URLSearchParams(text)];
    return { ...request, headers, query, body: undefined };
  }
  const what = body instanceof RequestBody ? body.description : type === undefined ? "bytes" : type;
  throw new StratusError(
    `cannot presign ${call}: its request has a body (${what}), which a URL cannot carry; ` +
      "presign it without the members that travel in the body, and send the body with the request",
  );
}

function isEmpty(body: HttpRequest["body"]): boolean {
  if (body === undefined) return true;
  if (body instanceof RequestBody) return body.length === 0;
  return body.length === 0;
}

function result(url: string, request: HttpRequest, signedHeaders: string, expiresAt: Date): PresignedHttpRequest {
  const signed = new Set(signedHeaders.split(";"));
  signed.delete("host");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (signed.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  const presigned: PresignedHttpRequest = { url, method: request.method, headers, expiresAt };
  Object.defineProperty(presigned, INSPECT_CUSTOM, {
    enumerable: false,
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string): string =>
      inspect({ url: redactUrl(url), method: request.method, headers: redactHeaders(headers), expiresAt }, options),
  });
  return presigned;
}

/** `util.inspect.custom`, without importing node:util (see signing/sigv4.ts). */
const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");
