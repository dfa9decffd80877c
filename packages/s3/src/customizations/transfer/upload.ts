/**
 * `upload(s3, params, options)`: one object from any body, as a single PutObject when it is
 * small and as a multipart upload otherwise (multipart-upload.ts), with bounded memory.
 *
 *   1. check the params and options; nothing is sent when they are wrong
 *   2. the part size: the caller's (8 MiB), raised to fit a known length in 10,000 parts
 *   3. which way:
 *        length known, at most multipartThreshold    PutObject
 *        length unknown                              read up to multipartThreshold bytes:
 *                                                    the body ended within them → PutObject,
 *                                                    else they become the first parts
 *        otherwise                                   multipart
 *
 * A small body goes to PutObject as bytes (or the caller's Blob), never as a one-shot
 * stream, so the core can retry it too.
 */
import { abandonable, AbortError, parseChecksumAlgorithm, ValidationError, type ValidationProblem } from "@stratus/core";
import type { S3 } from "../../generated/client.ts";
import type { PutObjectOutput } from "../../generated/types.ts";
import { linkedController } from "./abortable.ts";
import { uploadMultipart } from "./multipart-upload.ts";
import { resolveUploadOptions, type UploadOptions } from "./options.ts";
import { formatBytes, MAX_PART_SIZE, MAX_PARTS, partSizeFor } from "./part-size.ts";
import { partSourceFor, type PartSource } from "./part-source.ts";
import { ProgressReporter } from "./progress.ts";
import { putInput, WHOLE_BODY_FIELDS, type UploadParams, type UploadResult } from "./upload-params.ts";

export async function upload(s3: S3, params: UploadParams, options: UploadOptions = {}): Promise<UploadResult> {
  const problems = paramProblems(params);
  const checksum = params?.ChecksumAlgorithm === undefined ? undefined : parseChecksumAlgorithm(String(params.ChecksumAlgorithm));
  let source: PartSource | undefined;
  if (params?.Body !== undefined) {
    try {
      source = partSourceFor(params.Body, params.ContentLength);
    } catch {
      problems.push({ path: "params.Body", message: "expected a string, bytes, a Blob, a Node Readable, a ReadableStream or an async iterable of bytes" });
    }
  }
  const resolved = resolveUploadOptions(options, problems);
  // Checked above, with every other problem; here for the compiler.
  if (source === undefined) throw new ValidationError("upload", [{ path: "params.Body", message: "required" }]);
  const total = source.length;
  const partSize = partSizeFor(total, resolved.partSize);
  const lengthProblems: ValidationProblem[] = [];
  if (partSize === undefined) {
    lengthProblems.push({
      path: "params.Body",
      message: `${formatBytes(total ?? 0)} does not fit in ${MAX_PARTS} parts of at most ${formatBytes(MAX_PART_SIZE)}, S3's limits for one object`,
    });
  }
  if (params.ContentLength !== undefined && total !== undefined && params.ContentLength !== total) {
    lengthProblems.push({ path: "params.ContentLength", message: `is ${params.ContentLength}, but the body has ${total} bytes` });
  }
  if (lengthProblems.length > 0 || partSize === undefined) throw new ValidationError("upload", lengthProblems);
  if (resolved.signal?.aborted) throw new AbortError(resolved.signal.reason);

  const input: UploadParams = checksum === undefined ? params : { ...params, ChecksumAlgorithm: checksum };
  const threshold = resolved.multipartThreshold ?? partSize;
  const progress = new ProgressReporter(resolved.onProgress, total);
  const call = { signal: resolved.signal, timeout: resolved.timeout };

  const small = await smallBody(source, total, threshold, resolved.signal);
  if (small !== undefined) {
    const out = await s3.putObject(putInput(input, small), call);
    progress.finish(small instanceof Blob ? small.size : small.byteLength);
    return putResult(input, out);
  }
  // A client whose calls add a checksum when the operation supports one (the default) gets
  // one here too, and for the whole upload: CRC32 declared on CreateMultipartUpload, on each
  // part and in the complete request, as boto3's s3transfer and the v3 SDK's Upload do. The
  // core would otherwise add CRC32 to each UploadPart alone, of an upload created with none,
  // which S3-compatible stores refuse as a checksum type mismatch.
  const multipartChecksum = checksum ?? ((await s3.resolveConfig()).requestChecksumCalculation === "when_supported" ? "CRC32" : undefined);
  const multipartInput: UploadParams = multipartChecksum === checksum ? input : { ...input, ChecksumAlgorithm: multipartChecksum };
  return uploadMultipart(s3, multipartInput, source, { partSize, concurrency: resolved.concurrency, ...call, checksum: multipartChecksum }, progress);
}

/**
 * The whole body when it goes as one PutObject (bytes or the caller's Blob), else
 * undefined with the source still at its start (a stream's first bytes given back).
 */
async function smallBody(source: PartSource, total: number | undefined, threshold: number, signal: AbortSignal | undefined): Promise<Uint8Array | Blob | undefined> {
  if (total !== undefined && total > threshold) return undefined;
  if (total !== undefined && source.whole !== undefined) return source.whole;
  const { controller, unlink } = linkedController(signal);
  try {
    const head = await abandonable(source.read(total ?? threshold), controller.signal);
    if (await abandonable(source.ended(), controller.signal)) return head;
    source.unread(head);
    return undefined;
  } catch (error) {
    source.close();
    throw signal?.aborted ? new AbortError(signal.reason) : error;
  } finally {
    unlink();
  }
}

/** Everything wrong with the params that can be seen without sending anything. */
function paramProblems(params: UploadParams): ValidationProblem[] {
  if (params === null || typeof params !== "object") return [{ path: "params", message: "expected an object with Bucket, Key and Body" }];
  const problems: ValidationProblem[] = [];
  for (const field of ["Bucket", "Key"] as const) {
    if (typeof params[field] !== "string" || params[field] === "") problems.push({ path: `params.${field}`, message: "required: a non-empty string" });
  }
  if (params.Body === undefined || params.Body === null) problems.push({ path: "params.Body", message: "required (an empty object takes an empty string)" });
  const given = params as Record<string, unknown>;
  for (const field of WHOLE_BODY_FIELDS) {
    if (given[field] !== undefined) {
      problems.push({
        path: `params.${field}`,
        message: "describes the whole body in one request, which upload() may split into parts; pass ChecksumAlgorithm for per-part checksums, or use putObject",
      });
    }
  }
  const algorithm = params.ChecksumAlgorithm;
  if (algorithm !== undefined && parseChecksumAlgorithm(String(algorithm)) === undefined) {
    problems.push({ path: "params.ChecksumAlgorithm", message: `${JSON.stringify(algorithm)} is not one upload() can compute: CRC32, CRC32C, CRC64NVME, SHA1 or SHA256` });
  }
  const length = params.ContentLength;
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
    problems.push({ path: "params.ContentLength", message: `expected a whole number of bytes; got ${String(length)}` });
  }
  return problems;
}

function putResult(params: UploadParams, out: PutObjectOutput): UploadResult {
  const { $metadata: _metadata, Size: _size, SSECustomerAlgorithm: _a, SSECustomerKeyMD5: _m, SSEKMSEncryptionContext: _c, ...fields } = out as PutObjectOutput & {
    $metadata?: unknown;
  };
  return { ...fields, Bucket: params.Bucket, Key: params.Key, parts: 0 };
}
