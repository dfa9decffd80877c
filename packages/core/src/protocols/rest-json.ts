/**
 * restJson1 (Lambda, API Gateway, EKS, most newer services): the operation's HTTP method
 * and URI carry the call, members are bound to the URI, query string and headers
 * (`rest/bindings.ts`, shared with restXml), and what is left goes in a JSON body.
 *
 * Body rules, on top of the bindings:
 * - An input with a payload member sends that member alone: a blob as raw bytes
 *   (application/octet-stream; a Blob or stream as a RequestBody, see rest/bindings.ts
 *   `blobPayload`), a string as text (text/plain), a structure or document as
 *   JSON (application/json). An unset structure payload is still "{}", an unset union or
 *   blob payload sends nothing.
 * - Otherwise, if the input has any unbound member, the body is a JSON object of them
 *   ("{}" when none is set); with no unbound member there is no body and no Content-Type.
 * - A Content-Type bound to a header member is the caller's and is kept.
 * Responses mirror this: bindings from the headers and status, then the payload member
 * from the raw body or the unbound members from a JSON object. Errors are identified as
 * in awsJson (`json/errors.ts`) and their members read from headers and body alike.
 * Request ids are in the headers only (`shared/request-ids.ts`).
 */
import { StratusError } from "../errors/index.ts";
import type { HttpRequest } from "../http/http-request.ts";
import type { RequestBody } from "../http/request-body.ts";
import { membersByLocation, resolveShape, payloadMember, type MemberView } from "../schema/normalize.ts";
import type { Shape, StructureShape } from "../schema/types.ts";
import { errorBody, identifyJsonError } from "./json/errors.ts";
import { parseJsonText, readJson, readStructure } from "./json/parse.ts";
import { writeJson, writeStructure } from "./json/serialize.ts";
import { blobPayload, bodyLength, parseRestBindings, serializeRestBindings } from "./rest/bindings.ts";
import type { ParseCall, ParsedError, Protocol, RawResponse, SerializeCall } from "./protocol.ts";
import { headerRequestIds } from "./shared/request-ids.ts";

const PROTOCOL = "restJson1";
const utf8 = new TextDecoder("utf-8");

interface Body {
  readonly content: string | Uint8Array | RequestBody;
  readonly type: string;
}

/** The request body, if there is one, and its default Content-Type. */
function requestBody(
  request: HttpRequest,
  input: Readonly<Record<string, unknown>>,
  structure: StructureShape | undefined,
  body: readonly MemberView[],
  payload: MemberView | undefined,
): Body | undefined {
  if (!structure) return undefined;
  if (!payload) {
    return body.length > 0 ? { content: writeStructure(input, structure, body, "input"), type: "application/json" } : undefined;
  }
  const value = input[payload.name];
  const where = `input.${payload.name}`;
  const set = value !== undefined && value !== null;
  switch (payloadForm(payload.shape)) {
    case "bytes":
      return set ? { content: blobPayload(value, where, request), type: "application/octet-stream" } : undefined;
    case "text":
      if (set && typeof value !== "string") throw new StratusError(`${where}: expected a string`);
      return set ? { content: value as string, type: "text/plain" } : undefined;
    case "json":
      if (set) return { content: writeJson(value, payload.shape, payload.member, where), type: "application/json" };
      // A structure payload's empty form is "{}"; a union, a list or a scalar has none.
      return payload.shape.type === "structure" && !payload.shape.union ? { content: "{}", type: "application/json" } : undefined;
  }
}

/**
 * How a payload member travels: a blob as raw bytes, a string as raw text, anything else
 * as a JSON document of its shape. One switch, so writer and reader cannot disagree.
 */
function payloadForm(shape: Shape): "bytes" | "text" | "json" {
  switch (shape.type) {
    case "blob":
      return "bytes";
    case "string":
      return "text";
    case "structure":
    case "document":
    case "list":
    case "map":
    case "boolean":
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigdecimal":
    case "biginteger":
    case "timestamp":
      return "json";
  }
}

/** Members bound to headers/status plus the body (payload member, or unbound members from a JSON object). */
function readOutput(structure: StructureShape, response: RawResponse, body: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = parseRestBindings(structure, response, PROTOCOL);
  const payload = payloadMember(structure);
  if (payload) {
    const hasBody = response.body.byteLength > 0;
    switch (payloadForm(payload.shape)) {
      case "bytes":
        if (hasBody) out[payload.name] = response.body;
        break;
      case "text":
        if (hasBody) out[payload.name] = utf8.decode(response.body);
        break;
      case "json": {
        const value = readJson(parseJsonText(response.body, PROTOCOL), payload.shape, PROTOCOL);
        if (value !== undefined) out[payload.name] = value;
        break;
      }
    }
    return out;
  }
  const unbound = membersByLocation(structure).get("body") ?? [];
  if (unbound.length === 0) return out;
  // The body is read once; an error's was already parsed (leniently) by the caller.
  const data = body ?? parseJsonText(response.body, PROTOCOL) ?? {};
  return { ...out, ...readStructure(data, structure, unbound, PROTOCOL) };
}

export const restJsonProtocol: Protocol = {
  serializeRequest(call: SerializeCall) {
    const { request, input, structure, bodyMembers, payload } = serializeRestBindings(call);
    const body = requestBody(request, input, structure, bodyMembers, payload);
    if (body) {
      request.headers["content-type"] ??= body.type;
      const length = bodyLength(body.content);
      if (length === undefined) delete request.headers["content-length"];
      else request.headers["content-length"] = String(length);
      request.body = body.content;
    }
    return request;
  },

  parseResponse(call: ParseCall) {
    const { operation, response } = call;
    if (!operation.output) return {};
    return readOutput(resolveShape(operation.output), response, undefined);
  },

  parseError(call: ParseCall): ParsedError {
    const { service, operation, response } = call;
    const body = errorBody(response, PROTOCOL);
    const error = identifyJsonError(service, operation, response, body);
    return {
      code: error.code,
      message: error.message,
      requestId: error.requestId,
      shape: error.shape,
      fields: error.shape ? readOutput(error.shape, response, body ?? {}) : {},
      type: error.type,
    };
  },

  responseMetadata: headerRequestIds,
};
