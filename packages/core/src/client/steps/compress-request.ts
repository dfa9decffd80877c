/**
 * Request compression, the pipeline step between serialization and checksums:
 *
 *   serialize → compress → checksum → sign → send
 *
 * It runs after the protocol (compression is not part of any wire protocol: the same
 * awsQuery body is sent plain or gzipped) and before the checksum and the signature, which
 * must cover the bytes that are actually sent.
 *
 * A request is gzipped when all of these hold:
 *   - the caller has not disabled compression (`disableRequestCompression`);
 *   - the operation's `requestCompression` trait lists an encoding this step supports
 *     (the list is in the service's order of preference; gzip is the only one defined);
 *   - the body is a buffered string or byte array of at least `minCompressionSizeBytes`
 *     bytes (a string counts its UTF-8 bytes). Below that, gzip's ~20 bytes of framing and
 *     the CPU cost buy nothing.
 *
 * Streaming bodies are never compressed, whatever their size. botocore and the v3 SDK do
 * gzip a streaming body whose member lacks the `requiresLength` trait (skipping the size
 * check, since the size is unknown); Stratus does not yet, because compressing a stream
 * changes its length and so needs chunked transfer or `aws-chunked` signing, which the
 * pipeline does not have. An operation whose input payload is a streaming member (or an
 * event stream) is therefore left alone even when the caller passed the payload as bytes,
 * so the same call never switches behaviour with the body's type; and a body that is not
 * a string or a byte array (a future stream type) is left alone too.
 *
 * When it compresses, the encoding is appended to an existing `content-encoding` (a
 * header-bound member may have set one: "custom" becomes "custom, gzip", the order in
 * which the codings were applied, RFC 9110 §8.4), never put in its place, and
 * `content-length`, if the serializer set it, becomes the compressed length. The input
 * request is not changed; when nothing applies the same request object is returned.
 *
 * gzip itself is one function, `gzip`, over node:zlib; an edge runtime's
 * CompressionStream can replace it there without touching the rules above.
 */
import { checkMinCompressionSize, type CompressionSettings } from "../../config/compression.ts";
import { cloneRequest, type HttpRequest } from "../../http/http-request.ts";
import { utf8Length } from "../../platform/bytes.ts";
import { payloadMember, resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema } from "../../schema/types.ts";
import { nodeBuiltin } from "../../platform/index.ts";

/** The encodings this step can apply, by the name the trait and Content-Encoding use. */
const ENCODERS: Readonly<Record<string, (body: Uint8Array) => Uint8Array | undefined>> = { gzip };

export function compressRequest(request: HttpRequest, operation: OperationSchema, settings: CompressionSettings): HttpRequest {
  if (settings.disableRequestCompression || !operation.requestCompression) return request;
  // Settings normally come from resolveCompressionSettings, already checked; a hand-built
  // object with a negative or fractional threshold is a mistake worth a clear error.
  checkMinCompressionSize(settings.minCompressionSizeBytes, "minCompressionSizeBytes");
  const encoding = operation.requestCompression.find((name) => Object.hasOwn(ENCODERS, name));
  const encode = encoding === undefined ? undefined : ENCODERS[encoding];
  if (encoding === undefined || encode === undefined) return request;
  if (hasStreamingInput(operation)) return request;

  const { body } = request;
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return request;
  const size = typeof body === "string" ? utf8Length(body) : body.byteLength;
  if (size < settings.minCompressionSizeBytes) return request;

  const compressed = encode(typeof body === "string" ? new TextEncoder().encode(body) : body);
  if (compressed === undefined) return request;
  const out = cloneRequest(request);
  out.body = compressed;
  const existing = out.headers["content-encoding"]?.trim();
  out.headers["content-encoding"] = existing ? `${existing}, ${encoding}` : encoding;
  if (out.headers["content-length"] !== undefined) out.headers["content-length"] = String(compressed.byteLength);
  return out;
}

/** Whether the input's HTTP payload is a stream (a streaming blob/string, or an event stream). */
function hasStreamingInput(operation: OperationSchema): boolean {
  if (!operation.input) return false;
  const payload = payloadMember(resolveShape(operation.input));
  if (!payload) return false;
  if (payload.member.streaming) return true;
  const { shape } = payload;
  switch (shape.type) {
    case "structure":
      return shape.eventstream === true;
    case "blob":
    case "string":
      return shape.streaming === true;
    default:
      return false;
  }
}

/**
 * The one place that knows how gzip is done (see the header): node:zlib, asked for on use
 * rather than imported, so a runtime without it loads this module and sends the body as it
 * is (compression saves bytes; it is never required).
 */
function gzip(body: Uint8Array): Uint8Array | undefined {
  const zlib = nodeBuiltin("node:zlib");
  if (!zlib) return undefined;
  const out = zlib.gzipSync(body);
  // A plain Uint8Array view, so the request holds no Buffer (requests are plain data).
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
