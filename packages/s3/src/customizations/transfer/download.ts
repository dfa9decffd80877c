/**
 * `download(s3, params, to, options)`: one object into a file or a stream, by ranged GETs
 * in parallel, written in order, with bounded memory.
 *
 *   1. GET bytes=0-(partSize-1): one request for a small object (no HEAD first); its
 *      Content-Range gives the size and its ETag pins the object
 *   2. its body streams straight to the destination while the next parts are fetched, each
 *      GET with Range and If-Match: <that ETag>, so a change to the object under us is a
 *      412, never a mix of two versions
 *   3. parts are written in order; a part is fetched only when it is at most `concurrency`
 *      parts ahead of the one being written, so memory holds at most `concurrency` parts
 *      whatever the object's size or the destination's speed
 *
 * On any failure (a part's GET after the core's retries, a short part, the destination, the
 * caller's abort): the requests in flight are aborted, every response body is read or
 * cancelled (no socket is left holding one), the destination is discarded (a file's
 * temporary is removed; see download-sink.ts) and the download rejects, with a
 * TransferError naming the part and its bytes, or with an AbortError. Errors of the first
 * GET (NoSuchKey, AccessDenied…) are thrown as they are, since no part was transferred.
 *
 * An empty object answers a ranged GET with 416 InvalidRange; it is then fetched whole.
 */
import { abandonable, AbortError, ServiceError, type ResponseBody, type ValidationProblem } from "@stratus/core";
import type { S3 } from "../../generated/client.ts";
import type { GetObjectOutput, GetObjectRequest } from "../../generated/types.ts";
import { linkedController } from "./abortable.ts";
import { openSink, targetProblem, type DownloadSink, type DownloadTarget } from "./download-sink.ts";
import { describePart, messageOf, TransferError, type ByteRange } from "./errors.ts";
import { resolveDownloadOptions, type DownloadOptions } from "./options.ts";
import { ProgressReporter } from "./progress.ts";

/** GetObject's input; the ranges are download()'s to choose. */
export type DownloadParams = Omit<GetObjectRequest, "Range" | "PartNumber">;

export interface DownloadResult {
  /** Bytes written: the object's size. */
  readonly bytes: number;
  readonly ETag?: string | undefined;
  readonly ContentType?: string | undefined;
}

export async function download(s3: S3, params: DownloadParams, to: DownloadTarget, options: DownloadOptions = {}): Promise<DownloadResult> {
  const problems = paramProblems(params);
  const target = targetProblem(to);
  if (target !== undefined) problems.push({ path: "to", message: target });
  const { partSize, concurrency, signal, timeout, onProgress } = resolveDownloadOptions(options, problems);
  if (signal?.aborted) throw new AbortError(signal.reason);
  const object = `s3://${params.Bucket}/${params.Key}`;

  // Aborts every request and body of this download: on the first failure, or the caller's abort.
  const { controller: stop, unlink } = linkedController(signal);
  const call = { signal: stop.signal, timeout };
  let first: GetObjectOutput;
  let sink: DownloadSink;
  try {
    first = await firstPart(s3, params, partSize, call);
  } catch (error) {
    unlink();
    throw error;
  }
  try {
    sink = await abandonable(openSink(to), stop.signal);
  } catch (error) {
    await first.Body?.cancel().catch(() => undefined);
    unlink();
    throw signal?.aborted ? new AbortError(signal.reason) : error;
  }
  const { total, ranged } = sizeOf(first);
  const ranges = ranged && total !== undefined ? partRanges(total, partSize) : partRanges(total ?? 0, Math.max(1, total ?? 0));
  const etag = params.IfMatch ?? first.ETag;

  let failure: unknown;
  const fail = (error: unknown): void => {
    if (failure !== undefined || stop.signal.aborted) return;
    failure = error;
    stop.abort(error);
  };

  /** Part `index` (0-based) fetched whole into memory. */
  async function fetchPart(index: number): Promise<Uint8Array> {
    const range = ranges[index] as ByteRange;
    let body: ResponseBody | undefined;
    try {
      const out = await s3.getObject({ ...params, ...(etag === undefined ? {} : { IfMatch: etag }), Range: `bytes=${range.first}-${range.last}` }, call);
      body = out.Body;
      const bytes = body === undefined ? new Uint8Array(0) : await body.bytes();
      checkLength(bytes.byteLength, range);
      return bytes;
    } catch (error) {
      await body?.cancel().catch(() => undefined);
      fail(partError("downloading", object, index, range, error, etag));
      throw error;
    }
  }

  // Fetches started and not yet written, by part index (each one's rejection is handled
  // here at once, and seen again by whoever awaits it).
  const fetches = new Map<number, Promise<Uint8Array>>();
  let nextFetch = 1;
  const fetchAhead = (writing: number): void => {
    for (; nextFetch < ranges.length && nextFetch <= writing + concurrency && !stop.signal.aborted; nextFetch++) {
      const fetching = fetchPart(nextFetch);
      fetching.catch(() => undefined);
      fetches.set(nextFetch, fetching);
    }
  };

  const progress = new ProgressReporter(onProgress, total);
  /** Writes part `index`, naming it if the destination fails. */
  const write = async (index: number, chunk: Uint8Array): Promise<void> => {
    try {
      await abandonable(sink.write(chunk), stop.signal);
    } catch (error) {
      const range = ranges[index];
      if (range !== undefined) fail(partError("writing", object, index, range, error, etag));
      throw error;
    }
    progress.add(chunk.byteLength);
    if (progress.failure !== undefined) throw progress.failure;
  };

  let index = 0;
  try {
    fetchAhead(0);
    let written = 0;
    // An empty object has nothing to read, whatever the answer's length said (a store that
    // answers a range of it with "bytes 0-0/0" and a Content-Length of 1 never sends that byte).
    if (total === 0) await first.Body?.cancel();
    for await (const chunk of total === 0 ? [] : (first.Body ?? [])) {
      await write(0, chunk);
      written += chunk.byteLength;
    }
    if (ranges[0] !== undefined) checkLength(written, ranges[0]);
    for (index = 1; index < ranges.length; index++) {
      fetchAhead(index);
      const bytes = await (fetches.get(index) as Promise<Uint8Array>);
      fetches.delete(index);
      await write(index, bytes);
    }
    // A file is renamed into place by then: not raced with an abort, or it could appear
    // after the download said it was aborted. A stream's end waits on its reader: abortable.
    const finishing = sink.finish();
    await (typeof to === "string" ? finishing : abandonable(finishing, stop.signal));
    unlink();
    const size = total ?? written;
    progress.finish(size);
    return { bytes: size, ETag: first.ETag, ContentType: first.ContentType };
  } catch (error) {
    const range = ranges[index];
    fail(range === undefined || error === progress.failure ? error : partError("downloading", object, index, range, error, etag));
    // Every body is released before the download rejects: the first's, and each fetch's.
    await first.Body?.cancel().catch(() => undefined);
    await Promise.allSettled(fetches.values());
    await sink.discard(failure ?? error).catch(() => undefined);
    unlink();
    throw failure ?? new AbortError(signal?.reason);
  }
}

/** The first part, or the whole object when it is empty (a range of an empty object is a 416). */
async function firstPart(s3: S3, params: DownloadParams, partSize: number, call: { signal: AbortSignal; timeout: number | undefined }): Promise<GetObjectOutput> {
  try {
    return await s3.getObject({ ...params, Range: `bytes=0-${partSize - 1}` }, call);
  } catch (error) {
    if (!(error instanceof ServiceError) || error.$metadata.httpStatusCode !== 416) throw error;
    return s3.getObject(params, call);
  }
}

/** The object's size: from Content-Range (a ranged answer), else Content-Length (the whole object came, unranged). */
function sizeOf(first: GetObjectOutput): { total: number | undefined; ranged: boolean } {
  const match = /^bytes \d+-\d+\/(\d+)$/.exec(first.ContentRange?.trim() ?? "");
  if (match?.[1] !== undefined) return { total: Number(match[1]), ranged: true };
  return { total: first.ContentLength, ranged: false };
}

function checkLength(received: number, range: ByteRange): void {
  const expected = range.last - range.first + 1;
  if (received !== expected) throw new TransferError(`S3 returned ${received} bytes for a range of ${expected}`);
}

function partRanges(total: number, partSize: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let first = 0; first < total; first += partSize) ranges.push({ first, last: Math.min(total, first + partSize) - 1 });
  return ranges;
}

function partError(doing: "downloading" | "writing", object: string, index: number, range: ByteRange, error: unknown, etag: string | undefined): TransferError {
  const changed = error instanceof ServiceError && error.$metadata.httpStatusCode === 412;
  const why = changed ? `the object changed during the download (its ETag is no longer ${etag ?? "the first part's"}): ${messageOf(error)}` : messageOf(error);
  const what = doing === "writing" ? `writing ${describePart(index + 1, range)} of ${object} to the destination` : `downloading ${describePart(index + 1, range)} of ${object}`;
  return new TransferError(`${what} failed: ${why}`, { partNumber: index + 1, range, cause: error });
}

function paramProblems(params: DownloadParams): ValidationProblem[] {
  if (params === null || typeof params !== "object") return [{ path: "params", message: "expected an object with Bucket and Key" }];
  const problems: ValidationProblem[] = [];
  for (const field of ["Bucket", "Key"] as const) {
    if (typeof params[field] !== "string" || params[field] === "") problems.push({ path: `params.${field}`, message: "required: a non-empty string" });
  }
  const given = params as Record<string, unknown>;
  for (const field of ["Range", "PartNumber"]) {
    if (given[field] !== undefined) problems.push({ path: `params.${field}`, message: "download() chooses the ranges itself; use getObject for one range or part" });
  }
  return problems;
}
