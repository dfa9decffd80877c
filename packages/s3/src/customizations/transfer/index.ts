/**
 * The S3 transfer manager: `upload()` and `download()`, plain functions over an `S3` client
 * (an application that does not call them does not bundle them).
 *
 *   upload.ts            upload(): PutObject for a small body, else a multipart upload
 *   multipart-upload.ts  Create → parts through a bounded queue → Complete, or Abort on any failure
 *   part-source.ts       the body, read front to back in parts (bytes, Blob, any stream)
 *   upload-params.ts     UploadParams / UploadResult, and which fields each request carries
 *   download.ts          download(): ranged GETs in parallel, written in order
 *   download-sink.ts     the destination: a file (temporary, renamed), a Node or web stream
 *   part-size.ts         S3's limits and the part size within them
 *   options.ts           the options, checked before anything is sent
 *   progress.ts          onProgress events
 *   errors.ts            TransferError: which part, which bytes, and the cause
 *   abortable.ts         a controller that follows the caller's signal (waiting on what cannot be
 *                        cancelled is the core's abandonable())
 */
export { upload } from "./upload.ts";
export { download, type DownloadParams, type DownloadResult } from "./download.ts";
export type { DownloadTarget } from "./download-sink.ts";
export type { UploadParams, UploadResult } from "./upload-params.ts";
export type { DownloadOptions, TransferProgress, UploadOptions, UploadProgress } from "./options.ts";
export { TransferError, type ByteRange } from "./errors.ts";
export { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from "./part-size.ts";
