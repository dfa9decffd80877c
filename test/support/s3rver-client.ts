/**
 * The S3 client the end-to-end tests point at s3rver (or a proxy in front of it): us-east-1,
 * path-style addressing (s3rver has no virtual-hosted buckets), s3rver's fixed credentials
 * and no ambient environment, so nothing is read from the real ~/.aws. `overrides` win.
 *
 * A test that writes object bodies also passes `requestChecksumCalculation: "when_required"`:
 * s3rver stores an aws-chunked body with its framing undecoded.
 */
import type { ClientConfig } from "@stratus/core";
import { S3 } from "../../packages/s3/src/index.ts";
import { S3RVER_CREDENTIALS } from "../../scripts/local-servers.ts";

export function s3rverClient(endpoint: string, overrides: ClientConfig = {}): S3 {
  return new S3({
    region: "us-east-1",
    endpoint,
    credentials: S3RVER_CREDENTIALS,
    endpointParams: { ForcePathStyle: true },
    env: {},
    ...overrides,
  });
}
