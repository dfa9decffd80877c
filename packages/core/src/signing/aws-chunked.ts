/**
 * The `aws-chunked` content encoding with an unsigned payload and a trailing checksum:
 * SigV4's streaming mode `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, what botocore and the v3 SDK
 * send for S3 uploads whose bytes are read once (a stream) and so cannot be hashed before
 * the headers go out. The signature covers the headers only; the bytes are protected by a
 * checksum the service verifies against the trailer, computed while they stream.
 *
 * On the wire (after the request's headers) the decoded bytes go in frames of
 * `chunkSize` bytes, the last one shorter, then a zero-length frame and the trailer:
 *
 *   <size in hex>\r\n<size bytes>\r\n        one per chunk: 10000\r\n…64 KiB…\r\n
 *   0\r\n
 *   x-amz-checksum-crc32:<base64>\r\n        the trailer, named by `x-amz-trailer`
 *   \r\n
 *
 * and the request carries
 *
 *   content-encoding               aws-chunked (after any encoding the caller set)
 *   x-amz-content-sha256           STREAMING-UNSIGNED-PAYLOAD-TRAILER (the "payload hash" signed)
 *   x-amz-trailer                  the trailer's name
 *   x-amz-decoded-content-length   the bytes before framing, when known (S3 requires it)
 *   content-length                 the bytes after framing, when the decoded length is known
 *
 * Fixed-size frames make the framed length a function of the decoded length (the number
 * of frames and their hex sizes are known, and a checksum's base64 has a fixed width), so
 * a body of known length goes with a Content-Length rather than `Transfer-Encoding:
 * chunked`; only a body of unknown length is sent chunked (and then S3 itself answers
 * MissingContentLength: it needs x-amz-decoded-content-length; use a multipart upload).
 * 64 KiB frames (S3 wants at least 8 KiB but the last) cost ~10 bytes of framing each; a
 * source whose chunks are already 64 KiB (Node's file streams) is framed without a copy.
 *
 * The signed variant (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`, a signature per
 * chunk chained from the header signature) is not implemented: over HTTPS it adds nothing
 * the checksum and TLS do not already give, and botocore does not send it either.
 */
import type { HttpRequest } from "../http/http-request.ts";
import type { RequestBody } from "../http/request-body.ts";

export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
export const DEFAULT_AWS_CHUNK_SIZE = 64 * 1024;

/** The trailing header: its name, the fixed width of its value, and how to compute it. */
export interface ChunkTrailer {
  /** e.g. "x-amz-checksum-crc32" */
  readonly name: string;
  /** Characters of the value, known before the data (the framed length depends on it). */
  readonly valueLength: number;
  /** A fresh accumulator for one pass over the decoded bytes. */
  start(): { update(chunk: Uint8Array): void; value(): string };
}

const encoder = new TextEncoder();

/**
 * `request` with its body framed as aws-chunked with `trailer` and the headers above. The
 * body keeps its source's replay rule (a one-shot stream stays one-shot). `request` is not
 * changed.
 */
export function applyAwsChunked(request: HttpRequest, body: RequestBody, trailer: ChunkTrailer, chunkSize = DEFAULT_AWS_CHUNK_SIZE): HttpRequest {
  const decoded = body.length;
  const framedLength = decoded === undefined ? undefined : awsChunkedLength(decoded, trailer, chunkSize);
  const headers = { ...request.headers };
  const encoding = headers["content-encoding"]?.trim();
  headers["content-encoding"] = encoding ? `${encoding},aws-chunked` : "aws-chunked";
  headers["x-amz-content-sha256"] = STREAMING_UNSIGNED_PAYLOAD_TRAILER;
  headers["x-amz-trailer"] = trailer.name;
  if (decoded === undefined) {
    delete headers["x-amz-decoded-content-length"];
    delete headers["content-length"];
  } else {
    headers["x-amz-decoded-content-length"] = String(decoded);
    headers["content-length"] = String(framedLength);
  }
  return {
    ...request,
    query: request.query.map(([name, value]): [string, string] => [name, value]),
    headers,
    body: body.derive((chunks) => encodeAwsChunked(chunks, trailer, chunkSize), framedLength),
  };
}

/** The framed size of `decodedLength` bytes: every frame, the final empty one, the trailer. */
export function awsChunkedLength(decodedLength: number, trailer: Pick<ChunkTrailer, "name" | "valueLength">, chunkSize = DEFAULT_AWS_CHUNK_SIZE): number {
  const full = Math.floor(decodedLength / chunkSize);
  const rest = decodedLength % chunkSize;
  const frame = (size: number): number => size.toString(16).length + 2 + size + 2;
  const end = "0\r\n".length + trailer.name.length + 1 + trailer.valueLength + 2 + 2;
  return full * frame(chunkSize) + (rest > 0 ? frame(rest) : 0) + end;
}

/**
 * The framed bytes of `chunks`. Each frame's closing CRLF travels with the next frame's
 * size line, so a frame costs two writes (size line, data) and the data is never copied
 * unless source chunks straddle a frame boundary.
 */
export async function* encodeAwsChunked(
  chunks: AsyncIterable<Uint8Array>,
  trailer: ChunkTrailer,
  chunkSize = DEFAULT_AWS_CHUNK_SIZE,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) throw new RangeError(`aws-chunked frame size must be a positive integer; got ${chunkSize}`);
  const sum = trailer.start();
  let open = false;
  const sizeLine = (size: number): Uint8Array => {
    const line = `${open ? "\r\n" : ""}${size.toString(16)}\r\n`;
    open = true;
    return encoder.encode(line);
  };
  let pending: Uint8Array | undefined;
  let filled = 0;
  for await (const chunk of chunks) {
    if (chunk.byteLength === 0) continue;
    sum.update(chunk);
    let offset = 0;
    if (pending !== undefined) {
      const take = Math.min(chunkSize - filled, chunk.byteLength);
      pending.set(chunk.subarray(0, take), filled);
      filled += take;
      offset = take;
      if (filled === chunkSize) {
        yield sizeLine(chunkSize);
        yield pending;
        pending = undefined;
        filled = 0;
      }
    }
    for (; chunk.byteLength - offset >= chunkSize; offset += chunkSize) {
      yield sizeLine(chunkSize);
      yield chunk.subarray(offset, offset + chunkSize);
    }
    if (offset < chunk.byteLength) {
      // A new buffer each time: the previous one may still be queued on the socket.
      pending ??= new Uint8Array(chunkSize);
      pending.set(chunk.subarray(offset), filled);
      filled += chunk.byteLength - offset;
    }
  }
  if (pending !== undefined && filled > 0) {
    yield sizeLine(filled);
    yield pending.subarray(0, filled);
  }
  const value = sum.value();
  if (value.length !== trailer.valueLength) throw new RangeError(`trailer ${trailer.name} has ${value.length} characters, ${trailer.valueLength} were announced`);
  yield encoder.encode(`${open ? "\r\n" : ""}0\r\n${trailer.name}:${value}\r\n\r\n`);
}
