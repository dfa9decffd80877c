/**
 * The sign phase: SigV4 over the attempt's request, with the signing name and region the
 * endpoint chose, at the client's corrected time (clock.ts), or nothing for auth "none".
 *
 * The S3 exceptions live here and nowhere else. S3 (and its variants Object Lambda and
 * Outposts) signs the path exactly as sent (no second encoding, no dot-segment removal:
 * an object key may contain "//" or "/../"), and requires the payload hash in
 * `x-amz-content-sha256`. Every other service takes the signer's defaults, except that an
 * endpoint's `disableDoubleEncoding` also turns off the second encoding.
 */
import type { Credentials } from "../../credentials/credentials.ts";
import type { HttpRequest } from "../../http/http-request.ts";
import type { OperationSchema } from "../../schema/types.ts";
import { signRequest, UNSIGNED_PAYLOAD, type SigningParams } from "../../signing/index.ts";
import type { SigningTarget } from "./endpoint.ts";

const S3_SIGNING_NAMES: ReadonlySet<string> = new Set(["s3", "s3-object-lambda", "s3-outposts"]);

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
    payloadHash: operation.unsignedPayload ? UNSIGNED_PAYLOAD : undefined,
    uriEscapePath: !(s3 || target.disableDoubleEncoding),
    normalizePath: !s3,
    addContentSha256Header: s3,
  };
  return signRequest(request, params).request;
}
