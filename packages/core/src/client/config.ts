/**
 * What a client can be configured with. Every field is optional: a bare `new S3()` takes
 * region, profile, credentials, endpoint and retry settings from the environment and the
 * shared files, exactly as a boto3 client does, and reads them on its first call (never in
 * the constructor). Fields given here win over the environment and the files.
 */
import type { ChecksumWhen } from "../checksums/settings.ts";
import type { RetryMode } from "../config/retry.ts";
import type { CredentialIdentity } from "../credentials/credentials.ts";
import type { CredentialProvider, Env } from "../credentials/provider.ts";
import type { ParamValue, PartitionsData } from "../endpoints/index.ts";
import type { HttpHandler } from "../http/http-handler.ts";
import type { RetryStrategy } from "../retry/strategy.ts";
import type { Session } from "../session/session.ts";
import type { ServiceHooks } from "./hooks.ts";

export interface HttpOptions {
  /** Sockets per origin in the client's pool (default 50). */
  readonly maxConnections?: number | undefined;
  /** Milliseconds to open a connection (default 10 000). */
  readonly connectTimeout?: number | undefined;
  /** Milliseconds from sending an attempt to its response headers (default 300 000). */
  readonly requestTimeout?: number | undefined;
  /** Longest gap between two chunks of a response body, in milliseconds (default 300 000). */
  readonly idleTimeout?: number | undefined;
  /**
   * Another transport (a fetch handler, a test's stub). The options above then do not
   * apply, and `destroy()` leaves it open: whoever made it owns it.
   */
  readonly handler?: HttpHandler | undefined;
}

/**
 * Where the client tells what it does. Messages never contain credentials, signatures or
 * member values: operation names, attempts, statuses, request ids and delays only (with
 * `logHttp`, also each request and response, redacted; with its `bodies`, member values).
 * `consoleLogger()` (logging/) is a ready one.
 */
export interface Logger {
  debug?(message: string, details?: Readonly<Record<string, unknown>>): void;
  warn?(message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** What `logHttp` shows besides each request's and response's first line and headers. */
export interface HttpLogOptions {
  /**
   * In-memory textual bodies (JSON, XML, form, text), with secret-named fields redacted
   * and cut at 8 KiB; otherwise only their size. Member values (an SSM parameter, an
   * item's attributes) then reach the logger: turn it on for debugging only.
   */
  readonly bodies?: boolean | undefined;
}

export interface ClientConfig {
  /** Share profile, files and credentials with other clients (boto3's Session). */
  readonly session?: Session | undefined;
  readonly region?: string | undefined;
  /** Used when no `session` is given. */
  readonly profile?: string | undefined;
  /** Fixed keys, or a provider; otherwise the session's (default chain). */
  readonly credentials?: CredentialIdentity | CredentialProvider | undefined;
  /** Send every call to this URL instead of the service's (a local emulator, a VPC endpoint). */
  readonly endpoint?: string | URL | undefined;
  /** Attempts per call, the first included (otherwise AWS_MAX_ATTEMPTS, the profile, 3). */
  readonly maxAttempts?: number | undefined;
  readonly retryMode?: RetryMode | undefined;
  /**
   * A ready retry strategy (retry/strategy.ts), e.g. one with a fixed jitter or a shorter
   * backoff. `maxAttempts` and `retryMode` are then not read.
   */
  readonly retryStrategy?: RetryStrategy | undefined;
  readonly useFipsEndpoint?: boolean | undefined;
  readonly useDualstackEndpoint?: boolean | undefined;
  /** More endpoint rule-set parameters, e.g. `{ ForcePathStyle: true }` for S3. */
  readonly endpointParams?: Readonly<Record<string, ParamValue>> | undefined;
  readonly http?: HttpOptions | undefined;
  /** The client's own hooks; they run after the service package's. */
  readonly hooks?: ServiceHooks | undefined;
  readonly logger?: Logger | undefined;
  /**
   * Log every attempt's request and response through `logger.debug` (nothing without a
   * logger that has `debug`, e.g. `consoleLogger({ level: "debug" })`): method, URL,
   * headers, body size, status, request id, attempt, duration. Authorization keeps only
   * its scheme; security tokens, presigned-URL credentials and signatures, cookies and any
   * secret-named header, parameter or body field are redacted (logging/redact.ts).
   */
  readonly logHttp?: boolean | HttpLogOptions | undefined;
  /** Stands in for `process.env` (tests, isolated applications). */
  readonly env?: Env | undefined;
  /** The partitions document (`partitions.json`); the core's generated copy otherwise. */
  readonly partitions?: PartitionsData | undefined;
  /** Never gzip request bodies (otherwise AWS_DISABLE_REQUEST_COMPRESSION, the profile). */
  readonly disableRequestCompression?: boolean | undefined;
  /** Smallest body to gzip (otherwise AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES, the profile, 10 KiB). */
  readonly minCompressionSizeBytes?: number | undefined;
  /**
   * When uploads get a flexible checksum (CRC32 unless the call chooses another):
   * "when_supported" (default) or "when_required" (otherwise AWS_REQUEST_CHECKSUM_CALCULATION,
   * the profile). "when_required" suits S3-compatible stores without aws-chunked support.
   */
  readonly requestChecksumCalculation?: ChecksumWhen | Uppercase<ChecksumWhen> | undefined;
  /** When downloads are checked against the checksum they carry (otherwise AWS_RESPONSE_CHECKSUM_VALIDATION, the profile). */
  readonly responseChecksumValidation?: ChecksumWhen | Uppercase<ChecksumWhen> | undefined;
}
