/**
 * Which error a JSON response carries, for awsJson and restJson1 alike. Services name the
 * error in one of three places, checked in this order (the Smithy protocols' rule):
 *
 *   1. the `X-Amzn-ErrorType` header
 *   2. the body's `__type`
 *   3. the body's `code`
 *
 * and decorate it with a namespace and/or a URI ("aws.foo#BarError:http://…"), which is
 * stripped. An awsQuery-compatible service also sends `x-amzn-query-error: Code;Type`,
 * whose code (the one its old query clients knew) wins over the shape name; the shape is
 * still found by the name.
 */
import { ParseError } from "../../errors/index.ts";
import { resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../schema/types.ts";
import type { RawResponse } from "../protocol.ts";
import { parseJsonText } from "./parse.ts";

export interface JsonErrorIdentity {
  readonly code: string;
  readonly shape: StructureShape | undefined;
  readonly message: string | undefined;
  readonly requestId: string | undefined;
  /** "Sender" / "Receiver", from an awsQuery-compatible service. */
  readonly type: string | undefined;
}

/** "aws.protocoltests#FooError:http://internal.amazon.com/…" → "FooError". */
export function sanitizeErrorCode(raw: string): string {
  const colon = raw.indexOf(":");
  const withoutUri = colon >= 0 ? raw.slice(0, colon) : raw;
  return withoutUri.slice(withoutUri.lastIndexOf("#") + 1).trim();
}

/** The modelled error with this name (or this awsQuery-compatible code), if the operation lists one. */
export function findErrorShape(operation: OperationSchema, code: string): StructureShape | undefined {
  for (const ref of operation.errors ?? []) {
    const shape = resolveShape(ref);
    if (shape.name === code || shape.error?.code === code) return shape;
  }
  return undefined;
}

/**
 * The JSON object of an error body, or undefined when the body is empty or is not a JSON
 * object (a load balancer's HTML page): the error is then named by its header alone, and
 * the caller still gets a service error rather than a ParseError about the wrong thing.
 */
export function errorBody(response: RawResponse, protocol: string): Record<string, unknown> | undefined {
  try {
    const data = parseJsonText(response.body, protocol);
    return data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

export function identifyJsonError(
  service: ServiceSchema,
  operation: OperationSchema,
  response: RawResponse,
  body: Readonly<Record<string, unknown>> | undefined,
): JsonErrorIdentity {
  const named = response.headers["x-amzn-errortype"] ?? stringField(body, "__type") ?? stringField(body, "code");
  const name = named !== undefined ? sanitizeErrorCode(named) : "";
  let code = name || "UnknownError";
  let type: string | undefined;
  const queryError = service.awsQueryCompatible ? response.headers["x-amzn-query-error"] : undefined;
  if (queryError) {
    const [queryCode, queryType] = queryError.split(";");
    if (queryCode) code = queryCode.trim();
    type = queryType?.trim() || undefined;
  }
  return {
    code,
    shape: name ? findErrorShape(operation, name) : undefined,
    message: stringField(body, "message") ?? stringField(body, "Message") ?? stringField(body, "errorMessage"),
    requestId: response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"],
    type,
  };
}

function stringField(body: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = body && Object.hasOwn(body, key) ? body[key] : undefined;
  return typeof value === "string" ? value : undefined;
}
