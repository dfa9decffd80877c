/**
 * Errors a service returned. The hierarchy is three levels, the same for every service:
 *
 *   ServiceError                 (core: any error an AWS service answered with)
 *   └─ S3ServiceError            (generated, one per service package)
 *      └─ NoSuchKey              (generated, one per modelled error shape, with its fields)
 *
 * An error code with no modelled class becomes the service's base class, carrying the
 * code, and named after it (as a modelled class is named after its shape), so a stack
 * trace or a log line reads `NoSuchKey: The specified key does not exist.` either way; the
 * message is the service's own words. Every instance has `$metadata` (status, request ids, attempts, retry delay), the
 * response headers (minus anything secret) and `$fault` ("client" for 4xx-style sender
 * faults, "server" otherwise), so callers can branch with `instanceof` or on `code`.
 * The classes live in the core package that every service package shares, so `instanceof`
 * works across service packages.
 */
import { StratusError } from "./index.ts";

/** Present on every result and every error of a service call. */
export interface ResponseMetadata {
  readonly httpStatusCode?: number | undefined;
  readonly requestId?: string | undefined;
  /** S3's `x-amz-id-2`. */
  readonly extendedRequestId?: string | undefined;
  /** How many times the request was sent (1 when it was not retried). */
  readonly attempts: number;
  /** Milliseconds spent waiting between attempts. */
  readonly totalRetryDelay: number;
}

export interface ServiceErrorInit {
  readonly code: string;
  readonly message?: string | undefined;
  readonly fault: "client" | "server";
  readonly metadata: ResponseMetadata;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The modelled members of the error, already parsed. */
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

export class ServiceError extends StratusError {
  /** The service's error code, e.g. "NoSuchKey", "ConditionalCheckFailedException". */
  readonly code: string;
  readonly $fault: "client" | "server";
  readonly $metadata: ResponseMetadata;
  readonly $response: { readonly statusCode: number | undefined; readonly headers: Readonly<Record<string, string>> };

  constructor(init: ServiceErrorInit) {
    super(init.message || init.code);
    // Generated subclasses override this with their shape's name in their own initializer.
    this.name = init.code;
    this.code = init.code;
    this.$fault = init.fault;
    this.$metadata = init.metadata;
    this.$response = { statusCode: init.metadata.httpStatusCode, headers: init.headers ?? {} };
    // Modelled members (e.g. `Item` on ConditionalCheckFailedException) become properties.
    if (init.fields) {
      for (const [key, value] of Object.entries(init.fields)) {
        if (!(key in this)) Object.defineProperty(this, key, { value, enumerable: true });
      }
    }
  }
}

/** The constructor shape every generated error class has. */
export type ServiceErrorClass = new (init: ServiceErrorInit) => ServiceError;
