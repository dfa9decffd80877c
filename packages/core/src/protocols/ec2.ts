/**
 * The EC2 query protocol: awsQuery with three differences (botocore's `EC2Serializer` is
 * the same few lines over `QuerySerializer`).
 *
 * - Keys: a member's `queryName`, else its `locationName` or member name capitalised
 *   (`normalFormat` is sent as `NormalFormat`).
 * - Lists are always flattened (`Name.1`, `Name.2`; the list member's name is never used)
 *   and an empty list is not sent at all.
 * - The answer has no `<OpResult>` level: output members sit directly under
 *   `<OpResponse>`, next to a lower-case `<requestId>`. Errors are
 *   `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`.
 * Request ids of successful answers come from the headers, else that `<requestId>`, as in
 * query (`withBodyRequestId`).
 */
import { resolveShape } from "../schema/normalize.ts";
import type { Protocol, RawResponse } from "./protocol.ts";
import { withBodyRequestId } from "./query.ts";
import { readStructure } from "./xml/deserialize.ts";
import { childNamed, isBlank, parseXml } from "./xml/document.ts";
import { headerRequestId, parseXmlError, type ResponseMetadata } from "./xml/errors.ts";
import { formRequest, type FormStyle } from "./xml/form.ts";

const PROTOCOL = "ec2";

export const EC2_FORM: FormStyle = {
  memberKey: (view) => view.member.queryName ?? capitalize(view.member.locationName ?? view.name),
  flattenAllLists: true,
  sendEmptyLists: false,
};

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export const ec2Protocol: Protocol = {
  serializeRequest: (call) => formRequest(call, EC2_FORM),

  parseResponse(call) {
    const output = call.operation.output;
    if (!output || isBlank(call.response.body)) return {};
    return readStructure(parseXml(call.response.body, PROTOCOL), resolveShape(output), PROTOCOL);
  },

  parseError: (call) => parseXmlError(call, PROTOCOL),

  responseMetadata: (response) => withBodyRequestId(response, ec2ResponseMetadata),
};

/** `<requestId>` of a successful answer, else the request-id header. */
export function ec2ResponseMetadata(call: { readonly response: RawResponse }): ResponseMetadata {
  const { response } = call;
  if (!isBlank(response.body) && response.statusCode < 300) {
    const requestId = childNamed(parseXml(response.body, PROTOCOL), "requestId")?.text;
    if (requestId) return { requestId };
  }
  return { requestId: headerRequestId(response) };
}
