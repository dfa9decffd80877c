/**
 * The checksum phase, request side (between compression and signing, so it covers the
 * bytes sent and its headers are signed), and the response side the parse phase calls.
 * Content-MD5 for the legacy `httpChecksumRequired` trait is its neighbour content-md5.ts,
 * which runs right after this step and adds nothing when this one put a checksum on.
 *
 * Request: first the payload is made signable, then the flexible checksum is chosen and
 * placed.
 *
 *   payload     a streaming body (RequestBody) stays a stream for S3, whose signature can
 *               say UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER (sign.ts). Every
 *               other service signs the SHA-256 of the payload, which needs its bytes before
 *               sending: the body is read into memory here, unless the operation is modelled
 *               as unsigned-payload or is not signed at all. (Such payloads are small: Lambda's
 *               Invoke takes at most 6 MB; botocore reads them too, and needs them seekable.)
 *
 *   algorithm   the caller's choice, from the header the trait's `requestAlgorithmMember`
 *               is bound to (S3: x-amz-sdk-checksum-algorithm; any case; an algorithm this
 *               SDK does not know is a ValidationError); else CRC32 when the operation
 *               requires a checksum (`requestChecksumRequired`) or has an algorithm member and
 *               `requestChecksumCalculation` is "when_supported" (the default), as botocore
 *               ≥ 1.36 and the v3 SDK do; the default is written into that header too. No
 *               checksum is computed when the request already carries an
 *               `x-amz-checksum-<algorithm>` header (the caller's ChecksumCRC32 member…).
 *
 *   placement   bytes/string/no body   x-amz-checksum-<alg> header, computed now
 *               replayable RequestBody  the same header, from a pass over the body (a Blob is
 *                                       read twice: for the checksum, then to send it); over
 *                                       plain HTTP the same pass takes its SHA-256, which is
 *                                       signed as the payload hash (over HTTPS the payload
 *                                       goes UNSIGNED-PAYLOAD, the checksum covering it)
 *               one-shot stream (S3)    a trailer: aws-chunked framing computing it while the
 *                                       body streams (signing/aws-chunked.ts), Content-Length
 *                                       the framed size when the length is known
 *
 * So with the defaults an S3 upload from a stream goes as aws-chunked with a CRC32
 * trailer, over HTTP and HTTPS alike (over plain HTTP the trailer is the only integrity
 * check the bytes get, the signature covering headers only). With "when_required" a
 * PutObject body goes with no checksum: bytes signed (a Blob too, without TLS), a stream as
 * UNSIGNED-PAYLOAD with its Content-Length, or chunked when unknown (what S3-compatible
 * stores without aws-chunked, like s3rver, can take).
 *
 * Response: an operation with a `requestValidationModeMember` (S3 GetObject's ChecksumMode)
 * gets that member's header set to ENABLED when `responseChecksumValidation` is
 * "when_supported" (the default) and the caller left it unset. When the request went out
 * with ENABLED and a successful response carries a whole-object checksum in one of the
 * operation's `responseAlgorithms` (a value with a "-N" suffix is a checksum of part
 * checksums and cannot be checked), the body is checked against it: a buffered body before
 * it is parsed, a streamed one while it is read, the last chunk held back until the sum is
 * known, so a consumer never receives the complete data unless it is good. A mismatch is a
 * ChecksumMismatchError.
 *
 * Presigning should not take the defaults (x-amz-checksum-mode, a CRC32 of no body): they
 * are signed headers whoever uses the URL would have to send. A presigner can run
 * `prepareRequest` with a runtime whose `checksums` are both "when_required".
 */
import { createChecksum, checksumBase64Length, checksumHeaderName, DEFAULT_CHECKSUM_ALGORITHM, parseChecksumAlgorithm, RESPONSE_PRIORITY } from "../../checksums/algorithms.ts";
import type { ChecksumAlgorithm } from "../../checksums/algorithms.ts";
import { ChecksumMismatchError } from "../../checksums/errors.ts";
import type { ChecksumSettings } from "../../checksums/settings.ts";
import { ValidationError } from "../../errors/index.ts";
import type { HttpRequest } from "../../http/http-request.ts";
import { RequestBody } from "../../http/request-body.ts";
import { bytesToBase64, bytesToHex } from "../../platform/bytes.ts";
import { resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema } from "../../schema/types.ts";
import { applyAwsChunked, type ChunkTrailer } from "../../signing/aws-chunked.ts";
import type { SigningTarget } from "./endpoint.ts";
import { isS3SigningName } from "./sign.ts";

const ALGORITHM_HEADERS: readonly string[] = RESPONSE_PRIORITY.map(checksumHeaderName);
const DEFAULT_ALGORITHM_HEADER = "x-amz-sdk-checksum-algorithm";
const DEFAULT_MODE_HEADER = "x-amz-checksum-mode";

/** The checksum a response body must match. */
export interface ExpectedChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** base64, as the response header carried it. */
  readonly value: string;
}

/** Phase 6 (flexible checksums), on the compressed request; `request` is not changed. */
export async function applyChecksums(
  request: HttpRequest,
  operation: OperationSchema,
  target: SigningTarget,
  settings: ChecksumSettings,
): Promise<HttpRequest> {
  let out = await signablePayload(request, operation, target);
  out = withValidationMode(out, operation, settings);

  const choice = requestAlgorithm(out, operation, settings);
  const algorithm = choice?.algorithm;
  if (choice?.defaultHeader !== undefined) out = { ...out, headers: { ...out.headers, [choice.defaultHeader]: choice.algorithm } };
  const body = out.body;
  if (!(body instanceof RequestBody)) {
    return algorithm === undefined ? out : { ...out, headers: { ...out.headers, [checksumHeaderName(algorithm)]: checksumOf(algorithm, body) } };
  }
  if (!body.replayable) return algorithm === undefined ? out : applyAwsChunked(out, body, checksumTrailer(algorithm));
  // A replayable stream: one pass for its checksum and, without TLS, its SHA-256, so the
  // payload is signed (botocore signs every payload sent over plain HTTP).
  const signPayload = out.protocol === "http:" && target.scheme !== "none" && !operation.unsignedPayload;
  if (algorithm === undefined && !signPayload) return out;
  const [checksum, sha256] = await digestsOf(body, [algorithm, signPayload ? "SHA256" : undefined]);
  const headers = { ...out.headers };
  if (algorithm !== undefined && checksum !== undefined) headers[checksumHeaderName(algorithm)] = bytesToBase64(checksum);
  if (sha256 !== undefined) headers["x-amz-content-sha256"] = bytesToHex(sha256);
  return { ...out, headers };
}

/**
 * The checksum a successful response's body must match, or undefined when the request did
 * not ask for validation or the response carries no checkable checksum (see the header).
 */
export function expectedResponseChecksum(
  operation: OperationSchema,
  request: HttpRequest,
  headers: Readonly<Record<string, string>>,
): ExpectedChecksum | undefined {
  const trait = operation.httpChecksum;
  if (!trait?.requestValidationModeMember || !trait.responseAlgorithms?.length) return undefined;
  const mode = request.headers[memberHeader(operation, trait.requestValidationModeMember, DEFAULT_MODE_HEADER)];
  if (mode?.trim().toUpperCase() !== "ENABLED") return undefined;
  for (const algorithm of RESPONSE_PRIORITY) {
    if (!trait.responseAlgorithms.includes(algorithm)) continue;
    const value = headers[checksumHeaderName(algorithm)]?.trim();
    if (value === undefined || value === "") continue;
    // "<base64>-<parts>": a checksum of the parts' checksums (multipart), not of these bytes.
    if (value.includes("-")) return undefined;
    return { algorithm, value };
  }
  return undefined;
}

/** A buffered response body against its checksum: throws ChecksumMismatchError. */
export function checkResponseBytes(body: Uint8Array, expected: ExpectedChecksum): void {
  const checksum = createChecksum(expected.algorithm);
  checksum.update(body);
  const actual = bytesToBase64(checksum.digest());
  if (actual !== expected.value) throw new ChecksumMismatchError(expected.algorithm, expected.value, actual);
}

/**
 * A streamed response body's chunks, checked as they pass: each chunk is handed on when
 * the next one arrives, and the last only once the checksum matched; on a mismatch the
 * iterator throws ChecksumMismatchError in its place.
 */
export async function* checkedChunks(chunks: AsyncIterable<Uint8Array>, expected: ExpectedChecksum): AsyncGenerator<Uint8Array, void, undefined> {
  const checksum = createChecksum(expected.algorithm);
  let held: Uint8Array | undefined;
  for await (const chunk of chunks) {
    checksum.update(chunk);
    if (held !== undefined) yield held;
    held = chunk;
  }
  const actual = bytesToBase64(checksum.digest());
  if (actual !== expected.value) throw new ChecksumMismatchError(expected.algorithm, expected.value, actual);
  if (held !== undefined) yield held;
}

// ── request side ────────────────────────────────────────────────────────────────────────

/** A streaming body in memory, for a service that signs the payload hash (see the header). */
async function signablePayload(request: HttpRequest, operation: OperationSchema, target: SigningTarget): Promise<HttpRequest> {
  const body = request.body;
  if (!(body instanceof RequestBody)) return request;
  // Content-MD5 (content-md5.ts, the legacy trait) needs the bytes whoever signs what.
  const md5 = operation.httpChecksumRequired === true && operation.httpChecksum === undefined;
  if (!md5) {
    if (target.scheme === "none" || isS3SigningName(target.name)) return request;
    if (operation.unsignedPayload && operation.httpChecksum === undefined) return request;
  }
  const bytes = await body.bytes();
  return { ...request, headers: { ...request.headers, "content-length": String(bytes.byteLength) }, body: bytes };
}

/** The validation-mode member's header set to ENABLED when validation is "when_supported". */
function withValidationMode(request: HttpRequest, operation: OperationSchema, settings: ChecksumSettings): HttpRequest {
  const member = operation.httpChecksum?.requestValidationModeMember;
  if (member === undefined || settings.responseChecksumValidation !== "when_supported") return request;
  const header = memberHeader(operation, member, DEFAULT_MODE_HEADER);
  if (request.headers[header] !== undefined) return request;
  return { ...request, headers: { ...request.headers, [header]: "ENABLED" } };
}

/**
 * The algorithm to compute, or undefined for none (see the header); `defaultHeader` is the
 * algorithm member's header when the algorithm is the default and must be written there.
 */
function requestAlgorithm(
  request: HttpRequest,
  operation: OperationSchema,
  settings: ChecksumSettings,
): { readonly algorithm: ChecksumAlgorithm; readonly defaultHeader?: string | undefined } | undefined {
  const trait = operation.httpChecksum;
  if (trait === undefined) return undefined;
  if (ALGORITHM_HEADERS.some((name) => request.headers[name] !== undefined)) return undefined;
  const memberName = trait.requestAlgorithmMember;
  const header = memberName === undefined ? undefined : memberHeader(operation, memberName, DEFAULT_ALGORITHM_HEADER);
  const chosen = header === undefined ? undefined : request.headers[header];
  if (chosen !== undefined && chosen.trim() !== "") {
    const algorithm = parseChecksumAlgorithm(chosen);
    if (algorithm === undefined) {
      throw new ValidationError(operation.name, [
        {
          path: `input.${memberName ?? "ChecksumAlgorithm"}`,
          message: `unsupported checksum algorithm ${JSON.stringify(chosen)}; expected one of ${RESPONSE_PRIORITY.join(", ")}`,
        },
      ]);
    }
    return { algorithm };
  }
  const wanted = trait.requestChecksumRequired === true || (memberName !== undefined && settings.requestChecksumCalculation === "when_supported");
  if (!wanted) return undefined;
  return { algorithm: DEFAULT_CHECKSUM_ALGORITHM, defaultHeader: header };
}

/** The header an input member is bound to, lower-cased (`fallback` when it is not a header member). */
function memberHeader(operation: OperationSchema, memberName: string, fallback: string): string {
  if (!operation.input) return fallback;
  const member = resolveShape(operation.input).members[memberName];
  return member?.location === "header" && member.locationName ? member.locationName.toLowerCase() : fallback;
}

function checksumOf(algorithm: ChecksumAlgorithm, body: string | Uint8Array | undefined): string {
  const checksum = createChecksum(algorithm);
  if (body !== undefined) checksum.update(typeof body === "string" ? new TextEncoder().encode(body) : body);
  return bytesToBase64(checksum.digest());
}

/** The digests of a replayable body for each algorithm given, in one pass (undefined stays undefined). */
async function digestsOf(body: RequestBody, algorithms: ReadonlyArray<ChecksumAlgorithm | undefined>): Promise<Array<Uint8Array | undefined>> {
  const checksums = algorithms.map((algorithm) => (algorithm === undefined ? undefined : createChecksum(algorithm)));
  for await (const chunk of body.chunks()) for (const checksum of checksums) checksum?.update(chunk);
  return checksums.map((checksum) => checksum?.digest());
}

function checksumTrailer(algorithm: ChecksumAlgorithm): ChunkTrailer {
  return {
    name: checksumHeaderName(algorithm),
    valueLength: checksumBase64Length(algorithm),
    start() {
      const checksum = createChecksum(algorithm);
      return { update: (chunk) => checksum.update(chunk), value: () => bytesToBase64(checksum.digest()) };
    },
  };
}
