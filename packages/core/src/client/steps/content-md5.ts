/**
 * Content-MD5 for operations that require a body checksum, the legacy half of the pipeline's
 * checksum phase (serialize → compress → checksum → sign). It runs after compression, so
 * the digest covers the bytes actually sent (RFC 1864: the MD5 of the body as transmitted,
 * after any content coding), and before signing, so the header is signed.
 *
 * An operation requires a checksum when the model says `httpChecksumRequired` (the older
 * trait), or `httpChecksum.requestChecksumRequired` (S3's DeleteObjects, PutBucketCors, …).
 * The header is then set to the base64 MD5 of the body (of no bytes when there is no body)
 * unless the request already carries a checksum:
 *
 *   - a `content-md5` header (the caller's ContentMD5 member): kept as it is;
 *   - an `x-amz-checksum-<algorithm>` header (the caller's ChecksumCRC32 member, …): the
 *     service accepts it instead of Content-MD5 (S3 ignores the algorithm choice then);
 *   - the caller chose an algorithm through the trait's `requestAlgorithmMember` (bound to
 *     `x-amz-sdk-checksum-algorithm` in every model that has one): that checksum is the
 *     flexible-checksums step's to compute, and S3 rejects a chosen algorithm without its
 *     `x-amz-checksum-*` header whether or not Content-MD5 is there, so MD5 would not help.
 *     Until that step exists, such a request goes out without a checksum.
 *
 * So an operation with `requestChecksumRequired` and no algorithm chosen gets Content-MD5,
 * as the older SDKs send. (botocore since 1.36 sends a CRC32 `x-amz-checksum-crc32`
 * instead by default; when flexible checksums land, the choice between the two belongs in
 * that step, which will sit beside this file.) The input request is not changed; when
 * nothing applies the same request object is returned.
 */
import { StratusError } from "../../errors/index.ts";
import { cloneRequest, type HttpRequest } from "../../http/http-request.ts";
import { resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema } from "../../schema/types.ts";
import { md5 } from "../../checksums/md5.ts";

const DEFAULT_ALGORITHM_HEADER = "x-amz-sdk-checksum-algorithm";

export function applyContentMd5(request: HttpRequest, operation: OperationSchema): HttpRequest {
  if (!requiresChecksum(operation)) return request;
  const { headers } = request;
  if (headers["content-md5"] !== undefined) return request;
  if (Object.keys(headers).some((name) => name.startsWith("x-amz-checksum-"))) return request;
  if (headers[algorithmHeader(operation)] !== undefined) return request;
  const out = cloneRequest(request);
  out.headers["content-md5"] = md5Base64(request.body);
  return out;
}

function requiresChecksum(operation: OperationSchema): boolean {
  return operation.httpChecksumRequired === true || operation.httpChecksum?.requestChecksumRequired === true;
}

/** The header the caller's algorithm choice travels in: the algorithm member's binding. */
function algorithmHeader(operation: OperationSchema): string {
  const memberName = operation.httpChecksum?.requestAlgorithmMember;
  if (memberName === undefined || !operation.input) return DEFAULT_ALGORITHM_HEADER;
  const member = resolveShape(operation.input).members[memberName];
  return member?.location === "header" && member.locationName ? member.locationName.toLowerCase() : DEFAULT_ALGORITHM_HEADER;
}

function md5Base64(body: HttpRequest["body"]): string {
  // The checksum step (checksum.ts) reads a streaming body into bytes before this step
  // when the operation needs MD5, so a stream here is a hook's doing.
  if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new StratusError(`Content-MD5 needs the body's bytes before sending; the body is ${body.description}`);
  }
  const bytes = body === undefined ? new Uint8Array(0) : typeof body === "string" ? new TextEncoder().encode(body) : body;
  return md5(bytes, "base64");
}
