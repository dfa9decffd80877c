/**
 * The sign phase: SigV4 over the attempt's request, with the signing name and region the
 * endpoint chose, at the client's corrected time (clock.ts), or nothing for auth "none".
 *
 * The S3 exceptions live here and nowhere else. S3 (and its variants Object Lambda and
 * Outposts) signs the path exactly as sent (no second encoding, no dot-segment removal:
 * an object key may contain "//" or "/../"), and requires the payload hash in
 * `x-amz-content-sha256`. Every other service takes the signer's defaults, except that an
 * endpoint's `disableDoubleEncoding` also turns off the second encoding.
 *
 * The payload hash: the SHA-256 of a body in memory; for a streaming body (a RequestBody,
 * read once when sent) the streaming mode the checksum step chose (aws-chunked's
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER, already in `x-amz-content-sha256`), or the SHA-256
 * checksum.ts took of a replayable body sent without TLS, else UNSIGNED-PAYLOAD. Only S3, and operations modelled as unsigned-payload, get a streaming
 * body this far: for other services checksum.ts reads it into memory first.
 */
import type { Credentials } from "../../credentials/credentials.ts";
import type { HttpRequest } from "../../http/http-request.ts";
import { RequestBody } from "../../http/request-body.ts";
import type { OperationSchema } from "../../schema/types.ts";
import { signRequest, UNSIGNED_PAYLOAD, type SigningParams } from "../../signing/index.ts";
import type { SigningTarget } from "./endpoint.ts";

const S3_SIGNING_NAMES: ReadonlySet<string> = new Set(["s3", "s3-object-lambda", "s3-outposts"]);

/** Whether a signing name is S3's (or a variant's): the exceptions above, and streaming bodies, apply. */
export function isS3SigningName(name: string): boolean {
  return S3_SIGNING_NAMES.has(name);
}

export interface SignInput {
  readonly request: HttpRequest;
  readonly operation: OperationSchema;
  readonly target: SigningTarget;
  /** Absent for auth "none". */
  readonly credentials: Credentials | undefined;
  readonly signingDate: Date;
}

/** The signed request (or the same request for auth "none"). */
export function signAttempt({ request, operation, target, credentials, signingDate }: SignInput): HttpRequest {
  if (target.scheme === "none" || credentials === undefined) return request;
  const s3 = S3_SIGNING_NAMES.has(target.name);
  const params: SigningParams = {
    credentials,
    region: target.region,
    service: target.name,
    signingDate,
    payloadHash: payloadHash(request, operation),
    uriEscapePath: !(s3 || target.disableDoubleEncoding),
    normalizePath: !s3,
    addContentSha256Header: s3,
  };
  return signRequest(request, params).request;
}

/** undefined: the signer hashes the body in memory (or takes `x-amz-content-sha256`). */
function payloadHash(request: HttpRequest, operation: OperationSchema): string | undefined {
  const declared = request.headers["x-amz-content-sha256"];
  if (declared?.startsWith("STREAMING-")) return undefined;
  if (operation.unsignedPayload) return UNSIGNED_PAYLOAD;
  // A replayable body's SHA-256 when checksum.ts took it (plain HTTP), else unsigned.
  if (request.body instanceof RequestBody) return declared ?? UNSIGNED_PAYLOAD;
  return undefined;
}
