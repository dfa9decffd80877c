/**
 * awsJson 1.0 and 1.1 (DynamoDB, KMS, Secrets Manager, CloudWatch Logs…): every call is a
 * POST to "/" naming the operation in `X-Amz-Target: <targetPrefix>.<Operation>`, with the
 * whole input as one JSON object and the whole output as one JSON object back.
 *
 * The two versions differ only in the Content-Type (`application/x-amz-json-1.0` / `1.1`),
 * and an awsQuery-compatible service (one that moved from query to JSON) only adds the
 * `x-amzn-query-mode` header and answers errors with `x-amzn-query-error`: settings read
 * from the service schema, not separate protocols.
 *
 * Everything else is shared: values go through `json/serialize.ts` and `json/parse.ts`,
 * error identification through `json/errors.ts`, host prefixes and idempotency tokens
 * through `rest/bindings.ts` (awsJson has no other HTTP bindings). Request ids are in the
 * `x-amzn-requestid` header (`shared/request-ids.ts`).
 */
import { utf8Length } from "../platform/bytes.ts";
import { membersOf, resolveShape } from "../schema/normalize.ts";
import type { ServiceSchema } from "../schema/types.ts";
import { fillIdempotencyTokens, prefixedHostname } from "./rest/bindings.ts";
import { errorBody, identifyJsonError } from "./json/errors.ts";
import { parseJsonText, readStructure } from "./json/parse.ts";
import { writeStructure } from "./json/serialize.ts";
import type { ParseCall, ParsedError, Protocol, SerializeCall } from "./protocol.ts";
import { headerRequestIds } from "./shared/request-ids.ts";

const PROTOCOL = "awsJson";

function contentType(service: ServiceSchema): string {
  return `application/x-amz-json-${service.jsonVersion ?? "1.0"}`;
}

export const jsonProtocol: Protocol = {
  serializeRequest(call: SerializeCall) {
    const { service, operation, endpoint } = call;
    const structure = operation.input ? resolveShape(operation.input) : undefined;
    const input = structure ? fillIdempotencyTokens(structure, call.input, call.idempotencyToken) : call.input;
    // An operation without input still sends "{}": the services reject an empty body.
    const body = structure ? writeStructure(input, structure, membersOf(structure), "input") : "{}";
    const headers: Record<string, string> = {
      "content-type": contentType(service),
      "content-length": String(utf8Length(body)),
    };
    if (service.targetPrefix !== undefined) headers["x-amz-target"] = `${service.targetPrefix}.${operation.name}`;
    if (service.awsQueryCompatible) headers["x-amzn-query-mode"] = "true";
    return {
      method: "POST",
      protocol: endpoint.protocol,
      hostname: prefixedHostname(operation, structure, input, endpoint),
      ...(endpoint.port !== undefined ? { port: endpoint.port } : {}),
      path: `${endpoint.path.replace(/\/$/, "")}/`,
      query: [],
      headers,
      body,
    };
  },

  parseResponse(call: ParseCall) {
    const { operation, response } = call;
    if (!operation.output) return {};
    const structure = resolveShape(operation.output);
    // A service may answer an operation whose output is all optional with an empty body.
    const data = parseJsonText(response.body, PROTOCOL) ?? {};
    return readStructure(data, structure, membersOf(structure), PROTOCOL);
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
      fields: error.shape && body ? readStructure(body, error.shape, membersOf(error.shape), PROTOCOL) : {},
      type: error.type,
    };
  },

  responseMetadata: headerRequestIds,
};
