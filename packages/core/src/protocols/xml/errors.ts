/**
 * Error documents of the XML protocols, and the request ids of their answers. The three
 * layouts differ only in where the `<Error>` element and the request id sit:
 *
 *   query     <ErrorResponse><Error><Type/><Code/><Message/>…</Error><RequestId/></ErrorResponse>
 *   ec2       <Response><Errors><Error><Code/><Message/>…</Error></Errors><RequestID/></Response>
 *   rest-xml  <ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>, or S3's bare
 *             <Error><Code/><Message/><RequestId/><HostId/></Error>
 *
 * so one reader finds the `<Error>` under any of those roots, takes Code/Message/Type, and
 * reads the members of the modelled error the code names from that same element. An empty
 * body (S3 answers HEAD that way) or one that is not XML at all (a proxy's HTML page) gives
 * a generic error named after the status code instead of a `ParseError`: the call has
 * failed either way, and the status is the most useful thing left to report.
 */
import { ParseError } from "../../errors/index.ts";
import { resolveShape, type MemberView } from "../../schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../../schema/types.ts";
import type { ParseCall, ParsedError, RawResponse } from "../protocol.ts";
import { readStructure } from "./deserialize.ts";
import { childNamed, isBlank, parseXml, type XmlElement } from "./document.ts";

/** Request ids of a response, wherever the protocol keeps them. */
export interface ResponseMetadata {
  readonly requestId?: string | undefined;
  /** S3's `x-amz-id-2`. */
  readonly extendedRequestId?: string | undefined;
}

/** The modelled error whose wire code (or shape name) is `code`, if the operation lists one. */
export function findErrorShape(operation: OperationSchema, code: string): StructureShape | undefined {
  for (const ref of operation.errors ?? []) {
    const shape = resolveShape(ref);
    if ((shape.error?.code ?? shape.name) === code) return shape;
  }
  for (const ref of operation.errors ?? []) {
    const shape = resolveShape(ref);
    if (shape.name === code) return shape;
  }
  return undefined;
}

/** Codes for bodiless error answers, as the AWS SDKs name them. */
const STATUS_CODES: ReadonlyMap<number, string> = new Map([
  [304, "NotModified"],
  [400, "BadRequest"],
  [403, "Forbidden"],
  [404, "NotFound"],
  [412, "PreconditionFailed"],
  [500, "InternalError"],
  [503, "ServiceUnavailable"],
]);

/** The request id from the usual response headers. */
export function headerRequestId(response: RawResponse): string | undefined {
  return response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"] ?? response.headers["x-amzn-request-id"];
}

/**
 * Parses an XML error answer. `include` picks the error members that come from the body
 * (rest-xml reads header-bound ones through its HTTP bindings and merges them).
 */
export function parseXmlError(call: ParseCall, protocol: string, include?: (view: MemberView) => boolean): ParsedError {
  const { response, operation } = call;
  const root = tryParse(response.body, protocol);
  const error = root && findErrorElement(root);
  if (!root || !error) return genericError(response);
  const code = textOf(error, "Code")?.trim() || genericCode(response.statusCode);
  const shape = findErrorShape(operation, code);
  return {
    code,
    message: textOf(error, "Message") ?? textOf(error, "message"),
    requestId: textOf(root, "RequestId") ?? textOf(root, "RequestID") ?? textOf(error, "RequestId") ?? headerRequestId(response),
    type: textOf(error, "Type"),
    shape,
    fields: shape ? errorFields(error, shape, protocol, include) : {},
  };
}

/** The modelled members; a member that does not parse costs only the fields, never the error itself. */
function errorFields(
  error: XmlElement,
  shape: StructureShape,
  protocol: string,
  include: ((view: MemberView) => boolean) | undefined,
): Record<string, unknown> {
  try {
    return readStructure(error, shape, protocol, include);
  } catch (problem) {
    if (problem instanceof ParseError) return {};
    throw problem;
  }
}

function tryParse(body: Uint8Array, protocol: string): XmlElement | undefined {
  if (isBlank(body)) return undefined;
  try {
    return parseXml(body, protocol);
  } catch (problem) {
    if (problem instanceof ParseError) return undefined;
    throw problem;
  }
}

function findErrorElement(root: XmlElement): XmlElement | undefined {
  if (root.localName === "Error") return root;
  const direct = childNamed(root, "Error");
  if (direct) return direct;
  const errors = childNamed(root, "Errors");
  return errors && childNamed(errors, "Error");
}

function textOf(element: XmlElement, name: string): string | undefined {
  return childNamed(element, name)?.text;
}

function genericCode(statusCode: number): string {
  return STATUS_CODES.get(statusCode) ?? String(statusCode);
}

function genericError(response: RawResponse): ParsedError {
  return {
    code: genericCode(response.statusCode),
    message: `the service answered HTTP ${response.statusCode} without an error document`,
    requestId: headerRequestId(response),
    fields: {},
  };
}
