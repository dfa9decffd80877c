/**
 * A bucket in another region than the client's: S3 refuses the request and names the
 * bucket's region in the `x-amz-bucket-region` header. This rule has the pipeline send the
 * call once more to that region's endpoint, signed for that region, as botocore's
 * `S3RegionRedirectorv2` does (the v3 SDK does the same behind `followRegionRedirects`).
 *
 * What counts as "wrong region" (botocore's list):
 *   301, 302, 307                          a redirect (PermanentRedirect, or a HEAD's bare status)
 *   400 AuthorizationHeaderMalformed       signed for the wrong region
 *   400 IllegalLocationConstraintException an opt-in region; not for CreateBucket, where it
 *                                          is the caller's own LocationConstraint that is wrong
 *   400 on HeadObject / HeadBucket         a HEAD answer has no body to say why
 * and only with the header: without it there is no region to go to (botocore then asks
 * HeadBucket; this rule does not, and the error reaches the caller). A bucket given as an
 * ARN (access point, Outposts) is never redirected: its region is part of its name.
 *
 * The pipeline redirects a call at most once, at once (no backoff), and not to the region
 * the request was already signed for. Each call to such a bucket pays the extra round
 * trip: nothing remembers the bucket's region between calls (botocore caches it per
 * client); a client made for the bucket's region avoids it.
 */
import type { HookContext, ServiceError } from "@stratus/core";

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 307]);

/** redirect: the region S3 says the bucket is in, when the error means "wrong region". */
export function redirectToBucketRegion(error: ServiceError, context: HookContext): { readonly region: string } | void {
  const region = error.$response.headers["x-amz-bucket-region"]?.trim();
  if (!region || !/^[a-z0-9-]+$/.test(region)) return;
  const bucket = context.input["Bucket"];
  if (typeof bucket === "string" && bucket.startsWith("arn:")) return;
  if (wrongRegion(error, context.operation.name)) return { region };
}

function wrongRegion(error: ServiceError, operation: string): boolean {
  const status = error.$response.statusCode ?? error.$metadata.httpStatusCode;
  if (status !== undefined && REDIRECT_STATUSES.has(status)) return true;
  if (status !== 400) return false;
  if (error.code === "AuthorizationHeaderMalformed") return true;
  if (error.code === "IllegalLocationConstraintException") return operation !== "CreateBucket";
  return operation === "HeadObject" || operation === "HeadBucket";
}
