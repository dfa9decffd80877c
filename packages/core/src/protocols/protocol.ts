/**
 * What a wire protocol is to the rest of the core: turn an operation's input into an
 * `HttpRequest`, and a buffered HTTP response into the operation's output or into the
 * parts of a service error. Each protocol is one module implementing `Protocol`;
 * `protocols/index.ts` holds the one table naming them all.
 *
 * Values on the way in are what callers pass (Date | number | string for timestamps,
 * Uint8Array | string for blobs); on the way out they are Date for timestamps,
 * Uint8Array for blobs, numbers for numbers (NaN and ±Infinity included), plain JSON for
 * documents, and a union's unknown member as `{ $unknown: [name, value] }`.
 *
 * Request ids come back both ways: `parseError` puts them in the `ParsedError`, and
 * `responseMetadata` reads them from a successful response (the ids every result's
 * `$metadata` carries). Each protocol knows where its services put them: the
 * `x-amzn-requestid` / `x-amz-request-id` headers, S3's `x-amz-id-2` extended id, or the
 * body of a query/ec2 answer.
 */
import type { HttpRequest } from "../http/http-request.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../schema/types.ts";

/** Where the request goes, already resolved (the endpoint resolver's answer). */
export interface Endpoint {
  readonly protocol: "https:" | "http:";
  readonly hostname: string;
  readonly port?: number | undefined;
  /** A base path to prefix the operation's path with ("" for none). */
  readonly path: string;
}

export interface SerializeCall {
  readonly service: ServiceSchema;
  readonly operation: OperationSchema;
  readonly input: Readonly<Record<string, unknown>>;
  readonly endpoint: Endpoint;
  /** Fills idempotency-token members the caller left out (default: a random UUID, platform/uuid.ts). */
  readonly idempotencyToken?: (() => string) | undefined;
}

/** A response with its body read (or empty when the pipeline streams a payload member). */
export interface RawResponse {
  readonly statusCode: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** The ids a response carries for support cases and log correlation. */
export interface RequestIds {
  readonly requestId?: string | undefined;
  /** S3's `x-amz-id-2` (botocore's `HostId`). */
  readonly extendedRequestId?: string | undefined;
}

/** What a protocol can tell about a failed call. */
export interface ParsedError {
  /** The service's error code, with any namespace/URI decoration removed. */
  readonly code: string;
  readonly message?: string | undefined;
  readonly requestId?: string | undefined;
  /** S3's `x-amz-id-2`, set by rest-xml. */
  readonly extendedRequestId?: string | undefined;
  /** The modelled error shape the code matched, if any. */
  readonly shape?: StructureShape | undefined;
  /** The error's members, parsed with `shape` when it matched. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** "Sender" / "Receiver" where the protocol says (query errors). */
  readonly type?: string | undefined;
}

export interface ParseCall {
  readonly service: ServiceSchema;
  readonly operation: OperationSchema;
  readonly response: RawResponse;
}

export interface Protocol {
  serializeRequest(call: SerializeCall): HttpRequest;
  parseResponse(call: ParseCall): Record<string, unknown>;
  parseError(call: ParseCall): ParsedError;
  /** The request ids of a successful response (an error's are in its `ParsedError`). */
  responseMetadata(response: RawResponse): RequestIds;
}
