/**
 * `Expect: 100-continue` on S3 uploads: PutObject and UploadPart send their headers first
 * and their body only once S3 said `100 Continue`, so a request S3 refuses anyway (403 for
 * credentials or a policy, 301/307 for the wrong region, 400 for a bad header) costs a
 * round trip instead of the whole upload. The core's Node handler does the waiting
 * (packages/core/src/http/expect-continue.ts); this rule only decides who asks for it.
 *
 * Who asks: PutObject and UploadPart (the operations whose body is the caller's object
 * data, of any size) when the body is at least 2 MiB, or of unknown length (a stream).
 * What others do, read for this choice:
 *   botocore      `add_expect_header` on every S3 call: any PUT/POST whose body is a
 *                 file-like object, whatever its size (bytes in memory get none; an opt-in
 *                 environment variable skips empty files).
 *   SDK v3        `middleware-expect-continue` on every S3 request with a body, on Node; newer
 *                 S3 clients take a size threshold (`expectContinueHeader`, 2 MB by default)
 *                 compared with Content-Length.
 *   Go, Kotlin    S3 PUTs over 2 MB, or of unknown length.
 * The threshold is the better trade: on success the expectation costs one round trip
 * before the body moves, which doubles the latency of a small upload and is noise next to
 * the transfer time of a large one; the saving, on a refusal, grows with the body. Size,
 * not the body's type, decides (botocore gives a 10 MB `bytes` body none and a 10-byte file
 * one). A body of unknown length gets the header: it is the one whose cost cannot be
 * bounded (v3's test compares a missing Content-Length as NaN and leaves such a body out).
 *
 * The header is not signed (SigV4 leaves `expect` out), so a handler that cannot send it
 * (fetch on the edge) drops it without breaking the signature. To turn it off for one
 * client, give that client a `beforeSign` hook (client hooks run after this one) that
 * returns the request without `expect`.
 */
import type { HookContext, HttpRequest } from "@stratus/core";

/** Bodies of at least this many bytes (2 MiB) are sent after `100 Continue`. */
export const EXPECT_CONTINUE_THRESHOLD_BYTES = 2 * 1024 * 1024;

/** The operations whose requests may carry the expectation. */
const UPLOADS: ReadonlySet<string> = new Set(["PutObject", "UploadPart"]);

/** beforeSign: adds `expect: 100-continue` to a large (or unknown-length) upload. */
export function addExpectContinue(request: HttpRequest, context: HookContext): HttpRequest | void {
  if (!UPLOADS.has(context.operation.name) || request.body === undefined) return;
  const length = bodyLength(request);
  if (length !== undefined && length < EXPECT_CONTINUE_THRESHOLD_BYTES) return;
  return { ...request, headers: { ...request.headers, expect: "100-continue" } };
}

/** The body's size in bytes when known before sending: the declared length, else the body's own. */
function bodyLength(request: HttpRequest): number | undefined {
  // aws-chunked framing sends more bytes than the object has; the object's size is what counts.
  const declared = request.headers["x-amz-decoded-content-length"] ?? request.headers["content-length"];
  if (declared !== undefined && /^\d+$/.test(declared)) return Number(declared);
  const body = request.body;
  if (body === undefined) return 0;
  if (typeof body === "string") return new TextEncoder().encode(body).byteLength;
  if (body instanceof Uint8Array) return body.byteLength;
  // A streaming body: its length when the caller or the source gave one.
  return body.length;
}
