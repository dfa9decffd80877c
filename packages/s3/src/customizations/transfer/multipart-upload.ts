/**
 * One multipart upload, start to end:
 *
 *   CreateMultipartUpload
 *   loop  read the next part (sequentially, from the caller's body)
 *         hand it to the part queue (p-limit, `concurrency` at once) and wait until it has
 *         a slot before reading on: one part being read + `concurrency` in flight is all
 *         the memory an upload holds
 *   wait for every part sent to settle
 *   CompleteMultipartUpload with the parts in order
 *
 * CreateMultipartUpload is not cancelled by the caller's abort (see `createUpload`), so an
 * upload S3 created is always known, and aborted.
 *
 * Stopping. The first failure (a part's request after the core's retries, reading the
 * body, a listener that threw) or the caller's abort stops the loop and aborts the parts
 * still in flight; once every part has settled, AbortMultipartUpload is sent, once, with
 * no signal of the caller's (an aborted signal must not keep the upload alive), and the
 * upload rejects: with a TransferError naming the part, its bytes and the cause, or with an
 * AbortError when the caller aborted. A failed CompleteMultipartUpload is aborted the same
 * way. No upload is left behind unless AbortMultipartUpload itself fails, which the error
 * then says (`abortError`, and the upload id to clean up).
 *
 * Each part goes as bytes, so the core's retries resend it whole. With a ChecksumAlgorithm
 * the upload is created with it and each part carries its checksum, computed here so it is
 * known for CompleteMultipartUpload even from a store that does not echo it.
 */
import { abandonable, AbortError, checksumBase64, type ChecksumAlgorithm } from "@stratus/core";
import pLimit from "p-limit";
import type { S3 } from "../../generated/client.ts";
import type { CompletedPart, CompleteMultipartUploadOutput, CreateMultipartUploadOutput } from "../../generated/types.ts";
import { linkedController } from "./abortable.ts";
import { describePart, messageOf, TransferError, type ByteRange } from "./errors.ts";
import { MAX_PARTS, tooManyPartsMessage } from "./part-size.ts";
import type { PartSource } from "./part-source.ts";
import type { ProgressReporter } from "./progress.ts";
import { abortInput, completeInput, createInput, partInput, type ChecksumField, type UploadParams, type UploadResult } from "./upload-params.ts";

export interface MultipartPlan {
  readonly partSize: number;
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  readonly timeout: number | undefined;
  /** The caller's ChecksumAlgorithm, when one was given. */
  readonly checksum: ChecksumAlgorithm | undefined;
}

export async function uploadMultipart(
  s3: S3,
  params: UploadParams,
  source: PartSource,
  plan: MultipartPlan,
  progress: ProgressReporter,
): Promise<UploadResult> {
  const object = `s3://${params.Bucket}/${params.Key}`;
  const created = await createUpload(s3, params, plan);
  if (!created.UploadId) throw new TransferError(`CreateMultipartUpload for ${object} returned no UploadId`);
  const uploadId: string = created.UploadId;

  // Aborts the parts in flight: on the first failure, or when the caller aborts.
  const { controller: stop, unlink } = linkedController(plan.signal);
  let failure: unknown;
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = error;
    stop.abort(error);
  };

  const fixed = partInput(params);
  const checksumField = plan.checksum === undefined ? undefined : (`Checksum${plan.checksum}` as ChecksumField);
  const completed: CompletedPart[] = [];

  async function send(partNumber: number, first: number, bytes: Uint8Array): Promise<void> {
    // Started after the upload stopped (it waited for a slot): nothing to do.
    if (stop.signal.aborted) return;
    const range: ByteRange = { first, last: first + bytes.byteLength - 1 };
    try {
      const checksum = plan.checksum === undefined || checksumField === undefined ? {} : { [checksumField]: checksumBase64(plan.checksum, bytes) };
      const out = await s3.uploadPart(
        { ...fixed, ...checksum, UploadId: uploadId, PartNumber: partNumber, Body: bytes },
        { signal: stop.signal, timeout: plan.timeout },
      );
      if (!out.ETag) throw new TransferError("S3 returned no ETag for the part");
      const part: CompletedPart = { PartNumber: partNumber, ETag: out.ETag };
      if (checksumField !== undefined) part[checksumField] = out[checksumField] ?? (checksum as Partial<Record<ChecksumField, string>>)[checksumField];
      completed.push(part);
      source.release(bytes);
      progress.add(bytes.byteLength, partNumber);
      if (progress.failure !== undefined) fail(progress.failure);
    } catch (error) {
      // Aborted because another part failed or the caller aborted: not this part's failure.
      if (stop.signal.aborted) return;
      fail(new TransferError(`uploading ${describePart(partNumber, range)} of ${object} failed: ${messageOf(error)}`, { partNumber, range, uploadId, cause: error }));
    }
  }

  const limit = pLimit(plan.concurrency);
  const sending: Promise<void>[] = [];
  let partNumber = 0;
  let offset = 0;
  try {
    while (!stop.signal.aborted) {
      const bytes = await abandonable(source.read(plan.partSize), stop.signal);
      if (bytes.byteLength === 0) break;
      if (++partNumber > MAX_PARTS) {
        fail(new TransferError(`uploading ${object}: ${tooManyPartsMessage(plan.partSize)}`, { partNumber, uploadId }));
        break;
      }
      const first = offset;
      offset += bytes.byteLength;
      const number = partNumber;
      const started = Promise.withResolvers<void>();
      sending.push(
        limit(() => {
          started.resolve();
          return send(number, first, bytes);
        }),
      );
      // Back-pressure: the next part is read once this one has a slot.
      await started.promise;
      if (bytes.byteLength < plan.partSize) break;
    }
  } catch (error) {
    if (!stop.signal.aborted) {
      const next = partNumber + 1;
      fail(new TransferError(`reading the body for part ${next} (from byte ${offset}) of ${object} failed: ${messageOf(error)}`, { partNumber: next, uploadId, cause: error }));
    }
  }
  if (stop.signal.aborted) source.close();
  await Promise.all(sending);
  unlink();

  if (stop.signal.aborted) {
    const error = failure ?? new AbortError(plan.signal?.reason);
    throw await abortUpload(error);
  }

  completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
  let done: CompleteMultipartUploadOutput;
  try {
    done = await s3.completeMultipartUpload(
      { ...completeInput(params), UploadId: uploadId, MultipartUpload: { Parts: completed }, MpuObjectSize: offset },
      { signal: plan.signal, timeout: plan.timeout },
    );
  } catch (error) {
    const reported = plan.signal?.aborted
      ? new AbortError(plan.signal.reason)
      : new TransferError(`completing the multipart upload of ${object} (${completed.length} parts) failed: ${messageOf(error)}`, { uploadId, cause: error });
    throw await abortUpload(reported);
  }
  progress.finish(offset);
  return resultOf(params, done, completed.length);

  /** Sends AbortMultipartUpload for `error`'s sake; returns the error to throw. */
  async function abortUpload(error: unknown): Promise<unknown> {
    try {
      await s3.abortMultipartUpload({ ...abortInput(params), UploadId: uploadId }, { timeout: plan.timeout });
      if (error instanceof TransferError) error.message += "; the multipart upload was aborted";
      return error;
    } catch (abortError) {
      const leftover = `AbortMultipartUpload failed too (${messageOf(abortError)}): upload ${uploadId} of ${object} may remain; abort it or let a lifecycle rule remove it`;
      if (error instanceof TransferError) {
        error.message += `; ${leftover}`;
        error.abortError = abortError;
        return error;
      }
      // An abort of the caller's whose clean-up failed: the leftover upload matters more.
      const reported = new TransferError(`${messageOf(error)}; ${leftover}`, { uploadId, cause: error });
      reported.abortError = abortError;
      return reported;
    }
  }
}

/**
 * CreateMultipartUpload, sent without the caller's signal: an abort while it is in flight
 * rejects at once, and the upload S3 may have created meanwhile is aborted once its id is
 * known, instead of being left behind under an id nobody got.
 */
async function createUpload(s3: S3, params: UploadParams, plan: MultipartPlan): Promise<CreateMultipartUploadOutput> {
  const creating = s3.createMultipartUpload(createInput(params), { timeout: plan.timeout });
  if (plan.signal === undefined) return creating;
  try {
    return await abandonable(creating, plan.signal);
  } catch (error) {
    if (!plan.signal.aborted) throw error;
    void creating
      .then(async (created) => {
        if (created.UploadId) await s3.abortMultipartUpload({ ...abortInput(params), UploadId: created.UploadId }, { timeout: plan.timeout });
      })
      .catch(() => undefined);
    throw new AbortError(plan.signal.reason);
  }
}

function resultOf(params: UploadParams, out: CompleteMultipartUploadOutput, parts: number): UploadResult {
  const { $metadata: _metadata, Bucket: _bucket, Key: _key, ...fields } = out as CompleteMultipartUploadOutput & { $metadata?: unknown };
  return { ...fields, Bucket: params.Bucket, Key: params.Key, parts };
}
