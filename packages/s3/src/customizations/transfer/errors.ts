/**
 * A transfer that failed on its own terms: a part's request, reading the body, the body's
 * size, completing the upload. The message says which part and which bytes, then the
 * cause's own message; `cause` keeps the error underneath (a ServiceError with its
 * `$metadata`, a NetworkError, a RequestBodyError…). A caller's abort is not one of these:
 * it is the core's AbortError, as for any call.
 */
import { StratusError } from "@stratus/core";

/** Inclusive byte offsets, as an HTTP Range writes them. */
export interface ByteRange {
  readonly first: number;
  readonly last: number;
}

export interface TransferErrorDetails {
  readonly partNumber?: number | undefined;
  readonly range?: ByteRange | undefined;
  readonly uploadId?: string | undefined;
  readonly cause?: unknown;
}

export class TransferError extends StratusError {
  override name = "TransferError";
  /** The part that failed (1-based), when one did. */
  readonly partNumber: number | undefined;
  readonly range: ByteRange | undefined;
  /** The multipart upload this belonged to (it was aborted unless `abortError` says otherwise). */
  readonly uploadId: string | undefined;
  /** Set when AbortMultipartUpload failed too: the upload may still exist (and cost storage). */
  abortError: unknown;

  constructor(message: string, details: TransferErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.partNumber = details.partNumber;
    this.range = details.range;
    this.uploadId = details.uploadId;
  }
}

/** "part 3 (bytes 10485760-15728639)"; an empty part has no bytes to name. */
export function describePart(partNumber: number, range: ByteRange | undefined): string {
  if (range === undefined || range.last < range.first) return `part ${partNumber}`;
  return `part ${partNumber} (bytes ${range.first}-${range.last})`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
