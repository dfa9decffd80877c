/**
 * The request ids a response carries in its headers, the same for every protocol (botocore
 * reads them the same way in every parser): the id in `x-amzn-requestid`, or in S3-style
 * `x-amz-request-id` (a few older services write `x-amzn-request-id`), and S3's extended id
 * in `x-amz-id-2`. Protocols whose answers also carry the id in the body (query, ec2) fall
 * back to the body when no header has it.
 *
 * The result has no key for an id the response lacks, so it can be spread into a result's
 * `$metadata` without writing `requestId: undefined` there.
 */
import type { RawResponse, RequestIds } from "../protocol.ts";

export function headerRequestIds(response: RawResponse): RequestIds {
  const { headers } = response;
  const requestId = headers["x-amzn-requestid"] ?? headers["x-amz-request-id"] ?? headers["x-amzn-request-id"];
  const extendedRequestId = headers["x-amz-id-2"];
  return {
    ...(requestId ? { requestId } : {}),
    ...(extendedRequestId ? { extendedRequestId } : {}),
  };
}
