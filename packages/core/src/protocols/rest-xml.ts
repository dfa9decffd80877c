/**
 * restXml (S3, CloudFront, Route 53): the REST HTTP bindings (rest/bindings.ts: URI labels,
 * query string, headers, prefix headers, status code, host prefix) with an XML body.
 *
 * Request body, by what the input names as its payload:
 *
 *   structure / union payload   the member as the root element: <Name xmlns?="…">…</Name>
 *   blob payload                the bytes as they are (application/octet-stream); a Blob
 *                               or stream as a RequestBody (rest/bindings.ts, blobPayload)
 *   string payload              the text as it is (text/plain)
 *   no payload                  the body members under a root named after the input
 *                               structure (its locationName, else its shape name), sent
 *                               only when at least one of them is set
 *
 * The payload's root element name is the member's `locationName`, except that a
 * `locationName` equal to the member's own name says nothing (model converters write one on
 * every payload member), so the target structure's own `locationName`, else its shape name,
 * is used then. S3 relies on the first rule: PutObjectRetention's payload member
 * `Retention` targets a shape named `ObjectLockRetention`.
 *
 * Responses mirror that: header/status members come from the bindings, the payload member
 * from the whole body, other members from the children of the root element (its name is
 * not checked). `uri`/`querystring` members cannot come back in a response, so an output
 * member bound there is read from the body. Errors are S3's bare `<Error>` or the
 * `<ErrorResponse>` wrapper (xml/errors.ts), with header-bound error members merged in.
 * Request ids: `x-amz-request-id`, and S3's `x-amz-id-2` as the extended id, for results
 * (`responseMetadata`) and errors alike, except that an error document's own `<RequestId>`
 * comes first (xml/errors.ts); its `<HostId>` (the value `x-amz-id-2` carries) is not read.
 */
import { StratusError } from "../errors/index.ts";
import type { HttpRequest } from "../http/http-request.ts";
import type { RequestBody } from "../http/request-body.ts";
import { payloadMember, resolveShape, type MemberView } from "../schema/normalize.ts";
import type { StructureShape } from "../schema/types.ts";
import type { ParsedError, Protocol, RawResponse, RequestIds, SerializeCall } from "./protocol.ts";
import { blobPayload, bodyLength, parseRestBindings, serializeRestBindings } from "./rest/bindings.ts";
import { readStructure } from "./xml/deserialize.ts";
import { isBlank, parseXml } from "./xml/document.ts";
import { parseXmlError } from "./xml/errors.ts";
import { structureFields } from "./xml/input-values.ts";
import { structureToXml } from "./xml/serialize.ts";
import { writeXml } from "./xml/writer.ts";

const PROTOCOL = "rest-xml";

export const restXmlProtocol: Protocol = {
  serializeRequest(call) {
    const { request, input, structure, bodyMembers, payload } = serializeRestBindings(call);
    if (payload) return withPayload(request, payload, input[payload.name]);
    if (structure && bodyMembers.some((view) => input[view.name] !== undefined && input[view.name] !== null)) {
      const root = structureToXml(
        structure.locationName ?? structure.name,
        structure,
        input,
        structure.xmlNamespace ?? namespaceOf(call),
        "input",
        (view) => view.location === undefined,
      );
      return withBody(request, writeXml(root), "application/xml");
    }
    return request;
  },

  parseResponse(call) {
    const { operation, response } = call;
    if (!operation.output) return {};
    const output = resolveShape(operation.output);
    const parsed = parseRestBindings(output, response, PROTOCOL);
    const payload = payloadMember(output);
    if (payload) {
      const value = readPayload(payload, response);
      if (value !== undefined) parsed[payload.name] = value;
      return parsed;
    }
    if (isBlank(response.body)) return parsed;
    return { ...parsed, ...readStructure(parseXml(response.body, PROTOCOL), output, PROTOCOL, isBodyMember) };
  },

  parseError(call): ParsedError {
    const parsed = parseXmlError(call, PROTOCOL, isBodyMember);
    const extendedRequestId = call.response.headers["x-amz-id-2"];
    const error = extendedRequestId ? { ...parsed, extendedRequestId } : parsed;
    if (!error.shape) return error;
    return { ...error, fields: { ...parseRestBindings(error.shape, call.response, PROTOCOL), ...error.fields } };
  },

  responseMetadata: (response) => restXmlResponseMetadata({ response }),
};

/** Members read from a response body: no location, or one a response cannot have. */
function isBodyMember(view: MemberView): boolean {
  return view.location === undefined || view.location === "uri" || view.location === "querystring";
}

function namespaceOf(call: SerializeCall): { uri: string } | undefined {
  return call.service.xmlNamespace ? { uri: call.service.xmlNamespace } : undefined;
}

function withPayload(request: HttpRequest, payload: MemberView, value: unknown): HttpRequest {
  if (value === undefined || value === null) return request;
  const { shape, member } = payload;
  switch (shape.type) {
    case "structure": {
      const root = structureToXml(payloadRootName(payload, shape), shape, structureFields(value, `input.${payload.name}`), member.xmlNamespace, `input.${payload.name}`);
      return withBody(request, writeXml(root), "application/xml");
    }
    case "blob":
      return withBody(request, blobPayload(value, `input.${payload.name}`, request), "application/octet-stream");
    case "string":
      if (typeof value !== "string") throw new StratusError(`input.${payload.name}: expected a string`);
      return withBody(request, value, "text/plain");
    default:
      throw new StratusError(`input.${payload.name}: a ${shape.type} cannot be an HTTP payload`);
  }
}

/** See the header: an explicit member `locationName` wins, one equal to the member name does not. */
function payloadRootName(payload: MemberView, shape: StructureShape): string {
  const memberName = payload.member.locationName;
  if (memberName !== undefined && memberName !== payload.name) return memberName;
  return shape.locationName ?? memberName ?? shape.name;
}

/** Sets the body and, unless a bound member already set one, its content type. */
function withBody(request: HttpRequest, body: string | Uint8Array | RequestBody, contentType: string): HttpRequest {
  const headers = { ...request.headers };
  headers["content-type"] ??= contentType;
  const length = bodyLength(body);
  if (length === undefined) delete headers["content-length"];
  else headers["content-length"] = String(length);
  return { ...request, headers, body };
}

function readPayload(payload: MemberView, response: RawResponse): unknown {
  const { shape, member } = payload;
  switch (shape.type) {
    case "structure":
      return isBlank(response.body) ? undefined : readStructure(parseXml(response.body, PROTOCOL), shape, PROTOCOL);
    case "blob":
      // A streaming payload is handed to the caller by the pipeline, unbuffered.
      if (member.streaming || shape.streaming || response.body.length === 0) return undefined;
      return response.body;
    case "string":
      if (member.streaming || shape.streaming || response.body.length === 0) return undefined;
      return new TextDecoder("utf-8").decode(response.body);
    default:
      return undefined;
  }
}

/** `x-amz-request-id` and `x-amz-id-2` (S3's extended request id); absent ids have no key. */
export function restXmlResponseMetadata(call: { readonly response: RawResponse }): RequestIds {
  const { headers } = call.response;
  const requestId = headers["x-amz-request-id"] ?? headers["x-amzn-requestid"];
  const extendedRequestId = headers["x-amz-id-2"];
  return {
    ...(requestId ? { requestId } : {}),
    ...(extendedRequestId ? { extendedRequestId } : {}),
  };
}
