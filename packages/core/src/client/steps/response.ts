/**
 * The response phases: read the body, then turn the response into the operation's output
 * or into a `ServiceError`.
 *
 *   readResponse        buffers the body, except the success body of an operation whose
 *                       output payload is a stream (S3 GetObject's Body, an event stream):
 *                       that one is handed to the caller live, and the protocol parses the
 *                       headers with an empty body
 *   parseOutput         the protocol's parser
 *   parseServiceError   the protocol's error parser → the modelled class for the code
 *                       (definition.errors), else the service's base class, with `$fault`
 *                       from the shape's `fault` trait, else the protocol's Sender/Receiver
 *                       type, else the status (5xx = server)
 *
 * A 2xx status is success; anything else (3xx included: S3's 301 PermanentRedirect and
 * 304 NotModified are errors to the caller) is parsed as an error.
 */
import type { ResponseMetadata, ServiceError, ServiceErrorClass } from "../../errors/service-error.ts";
import { ParseError } from "../../errors/index.ts";
import type { HttpResponse } from "../../http/http-handler.ts";
import type { ParsedError, Protocol, RawResponse, RequestIds } from "../../protocols/protocol.ts";
import { membersOf, payloadMember, resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema, ServiceSchema } from "../../schema/types.ts";
import type { ServiceDefinition } from "../definition.ts";

const EMPTY = new Uint8Array(0);

export function isSuccess(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/** The output member whose value is the live response body, if the operation has one. */
export function streamingOutputMember(operation: OperationSchema): string | undefined {
  if (!operation.output) return undefined;
  const output = resolveShape(operation.output);
  const payload = payloadMember(output);
  // awsJson outputs have no payload member: an event-stream member is the whole body.
  if (!payload) return membersOf(output).find((view) => view.shape.type === "structure" && view.shape.eventstream === true)?.name;
  const { shape, member } = payload;
  const streams =
    member.streaming === true ||
    ((shape.type === "blob" || shape.type === "string") && shape.streaming === true) ||
    (shape.type === "structure" && shape.eventstream === true);
  return streams ? payload.name : undefined;
}

/** The response with its body in memory, or with an empty body when `streamed` (the caller gets it live). */
export async function readResponse(response: HttpResponse, streamed: boolean): Promise<RawResponse> {
  const body = streamed ? EMPTY : await response.body.bytes();
  return { statusCode: response.statusCode, headers: response.headers, body };
}

export function parseOutput(protocol: Protocol, service: ServiceSchema, operation: OperationSchema, response: RawResponse): Record<string, unknown> {
  return protocol.parseResponse({ service, operation, response });
}

/** The request ids of a successful response. */
export function requestIdsOf(protocol: Protocol, response: RawResponse): RequestIds {
  return protocol.responseMetadata(response);
}

/**
 * What the protocol says about a failed response. A body no parser can read (a proxy's
 * HTML page, a truncated document) still yields an error named after the status, so the
 * status-based retry rules apply and the caller gets a ServiceError, not a ParseError.
 */
export function parseFailure(protocol: Protocol, service: ServiceSchema, operation: OperationSchema, response: RawResponse): ParsedError {
  try {
    return protocol.parseError({ service, operation, response });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {
      code: `Http${response.statusCode}`,
      message: `the error response could not be parsed (${error.message})`,
      ...protocol.responseMetadata(response),
      fields: {},
    };
  }
}

/** The error class instance for a parsed failure (see the header for the rules). */
export function toServiceError(
  definition: ServiceDefinition,
  parsed: ParsedError,
  response: RawResponse,
  metadata: ResponseMetadata,
): ServiceError {
  const ErrorClass = errorClassFor(definition, parsed);
  return new ErrorClass({
    code: parsed.code,
    message: parsed.message,
    fault: faultOf(parsed, response.statusCode),
    metadata,
    headers: response.headers,
    fields: parsed.fields,
  });
}

function errorClassFor(definition: ServiceDefinition, parsed: ParsedError): ServiceErrorClass {
  const { errors } = definition;
  const byCode = Object.hasOwn(errors, parsed.code) ? errors[parsed.code] : undefined;
  if (byCode) return byCode;
  const shape = parsed.shape;
  if (shape) {
    for (const key of [shape.error?.code, shape.name]) {
      if (key !== undefined && Object.hasOwn(errors, key)) {
        const found = errors[key];
        if (found) return found;
      }
    }
  }
  return definition.baseError;
}

function faultOf(parsed: ParsedError, statusCode: number): "client" | "server" {
  if (parsed.shape) return parsed.shape.fault || (parsed.shape.error?.httpStatusCode ?? 0) >= 500 ? "server" : "client";
  if (parsed.type === "Receiver") return "server";
  if (parsed.type === "Sender") return "client";
  return statusCode >= 500 ? "server" : "client";
}
