/**
 * The options of `upload()` and `download()`, checked before anything is sent. Every
 * problem is reported at once, in one ValidationError (as the core reports a bad input),
 * so a caller fixes them in one go.
 */
import { ValidationError, type CallOptions, type ValidationProblem } from "@stratus/core";
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, formatBytes, MAX_PART_SIZE, MIN_PART_SIZE } from "./part-size.ts";

/** What a transfer reports as it goes. */
export interface TransferProgress {
  /** Bytes transferred so far (uploaded parts S3 acknowledged; bytes written to the destination). Never decreases. */
  readonly loaded: number;
  /** The whole size, once known (a body of unknown length: when it ended). The last event has loaded === total. */
  readonly total: number | undefined;
}

export interface UploadProgress extends TransferProgress {
  /** The part whose upload just finished (absent for a single PutObject and for the final event). */
  readonly part?: number | undefined;
}

export interface UploadOptions extends CallOptions {
  /** Bytes per part: at least 5 MiB, at most 5 GiB; 8 MiB unless set. Raised when a body of known length would need more than 10,000 parts. */
  readonly partSize?: number | undefined;
  /** Bodies of at most this many bytes go as one PutObject; the part size unless set. */
  readonly multipartThreshold?: number | undefined;
  /** Parts sent at once; 4 unless set. Memory held is about (concurrency + 1) × partSize. */
  readonly concurrency?: number | undefined;
  readonly onProgress?: ((event: UploadProgress) => void) | undefined;
}

export interface DownloadOptions extends CallOptions {
  /** Bytes per ranged GET: at least 64 KiB; 8 MiB unless set. */
  readonly partSize?: number | undefined;
  /** Ranged GETs at once, and parts held in memory at most; 4 unless set. */
  readonly concurrency?: number | undefined;
  readonly onProgress?: ((event: TransferProgress) => void) | undefined;
}

export interface ResolvedTransferOptions {
  readonly partSize: number;
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  readonly timeout: number | undefined;
}

export interface ResolvedUploadOptions extends ResolvedTransferOptions {
  /** Undefined: the part size actually used. */
  readonly multipartThreshold: number | undefined;
  readonly onProgress: ((event: UploadProgress) => void) | undefined;
}

export interface ResolvedDownloadOptions extends ResolvedTransferOptions {
  readonly onProgress: ((event: TransferProgress) => void) | undefined;
}

export const MIN_DOWNLOAD_PART_SIZE = 64 * 1024;

/** Options checked and defaulted; `extra` are problems the caller found in the params. */
export function resolveUploadOptions(options: UploadOptions, extra: readonly ValidationProblem[] = []): ResolvedUploadOptions {
  const problems = [...extra];
  const partSize = wholeBytes(problems, "options.partSize", options.partSize, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE);
  const threshold = options.multipartThreshold;
  if (threshold !== undefined && !(Number.isSafeInteger(threshold) && threshold >= 0)) {
    problems.push({ path: "options.multipartThreshold", message: `expected a whole number of bytes, 0 or more; got ${show(threshold)}` });
  }
  const common = resolveCommon(problems, options, partSize);
  const onProgress = listener(problems, options.onProgress);
  if (problems.length > 0) throw new ValidationError("upload", problems);
  return { ...common, multipartThreshold: threshold, onProgress };
}

export function resolveDownloadOptions(options: DownloadOptions, extra: readonly ValidationProblem[] = []): ResolvedDownloadOptions {
  const problems = [...extra];
  const partSize = wholeBytes(problems, "options.partSize", options.partSize, DEFAULT_PART_SIZE, MIN_DOWNLOAD_PART_SIZE, Number.MAX_SAFE_INTEGER);
  const common = resolveCommon(problems, options, partSize);
  const onProgress = listener(problems, options.onProgress);
  if (problems.length > 0) throw new ValidationError("download", problems);
  return { ...common, onProgress };
}

function resolveCommon(problems: ValidationProblem[], options: UploadOptions | DownloadOptions, partSize: number): ResolvedTransferOptions {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    problems.push({ path: "options.concurrency", message: `expected a whole number, 1 or more; got ${show(options.concurrency)}` });
  }
  const signal = options.signal;
  if (signal !== undefined && !(typeof AbortSignal !== "undefined" && signal instanceof AbortSignal)) {
    problems.push({ path: "options.signal", message: "expected an AbortSignal" });
  }
  const timeout = options.timeout;
  if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
    problems.push({ path: "options.timeout", message: `expected a positive number of milliseconds; got ${show(timeout)}` });
  }
  return { partSize, concurrency, signal, timeout };
}

function wholeBytes(problems: ValidationProblem[], path: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min} (${formatBytes(min)})` : `from ${min} (${formatBytes(min)}) to ${max} (${formatBytes(max)})`;
    problems.push({ path, message: `expected a whole number of bytes ${range}; got ${show(value)}` });
    return fallback;
  }
  return value;
}

function listener<T>(problems: ValidationProblem[], value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") problems.push({ path: "options.onProgress", message: "expected a function" });
  return value;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
