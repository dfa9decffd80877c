/**
 * The user agent every request carries, so AWS can tell which SDK (and which version of
 * it) sent a request. The layout is the AWS SDKs' shared one (space-separated
 * `name/value` tokens, `#` before a sub-value):
 *
 *   stratus/0.1.0 ua/2.1 os/linux lang/js md/nodejs#24.1.0 api/sqs#0.1.0
 *
 * sent as both `user-agent` (which SigV4 does not sign) and `x-amz-user-agent` (the header
 * the v3 SDK uses where a runtime forbids setting `user-agent`). It is the same on every
 * attempt, so it never makes a retried request differ.
 */
import { cloneRequest, type HttpRequest } from "../../http/http-request.ts";

/** @stratus/core's version; a test keeps it equal to package.json's. */
export const STRATUS_VERSION = "0.1.0";

export function userAgentString(serviceId: string): string {
  const runtime = globalThis.process?.versions?.node;
  const platform = globalThis.process?.platform ?? "other";
  const tokens = [
    `stratus/${STRATUS_VERSION}`,
    "ua/2.1",
    `os/${platform}`,
    "lang/js",
    runtime ? `md/nodejs#${runtime}` : undefined,
    `api/${serviceId.toLowerCase().replace(/\s+/g, "-")}#${STRATUS_VERSION}`,
  ];
  return tokens.filter((token) => token !== undefined).join(" ");
}

/** A copy of `request` with both user-agent headers. */
export function withUserAgent(request: HttpRequest, userAgent: string): HttpRequest {
  const out = cloneRequest(request);
  out.headers["user-agent"] = userAgent;
  out.headers["x-amz-user-agent"] = userAgent;
  return out;
}
