/**
 * awsQuery (SNS, SQS's old API, STS, IAM, CloudFormation, …): the input as a form body
 * (`Action=Op&Version=…&Member=value`, see xml/form.ts) and the answer as XML wrapped twice:
 *
 *   <OpResponse xmlns="…">
 *     <OpResult> …output members… </OpResult>
 *     <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
 *   </OpResponse>
 *
 * Errors are `<ErrorResponse><Error><Type/><Code/><Message/>…</Error><RequestId/>`
 * (xml/errors.ts). The protocol's only choices are in `QUERY_FORM`: a member's key is its
 * `locationName` or its name, lists keep their `member` level unless flattened, and an
 * empty list is sent as `Name=`.
 */
import { resolveShape, type MemberView } from "../schema/normalize.ts";
import type { ParseCall, Protocol } from "./protocol.ts";
import { readStructure } from "./xml/deserialize.ts";
import { childNamed, isBlank, parseXml, type XmlElement } from "./xml/document.ts";
import { headerRequestId, parseXmlError, type ResponseMetadata } from "./xml/errors.ts";
import { formRequest, type FormStyle } from "./xml/form.ts";

const PROTOCOL = "query";

export const QUERY_FORM: FormStyle = {
  memberKey: (view) => view.member.locationName ?? flattenedListItemName(view) ?? view.name,
  flattenAllLists: false,
  sendEmptyLists: true,
};

/**
 * botocore models name a flattened list's keys after the list's member (`AttributeName.1`
 * for an `AttributeNames` member); a `locationName` on the structure member, Smithy's way,
 * wins over it.
 */
function flattenedListItemName(view: MemberView): string | undefined {
  const { member, shape } = view;
  return shape.type === "list" && (member.flattened || shape.flattened) ? shape.member.locationName : undefined;
}

export const queryProtocol: Protocol = {
  serializeRequest: (call) => formRequest(call, QUERY_FORM),

  parseResponse(call) {
    const output = call.operation.output;
    if (!output || isBlank(call.response.body)) return {};
    const root = parseXml(call.response.body, PROTOCOL);
    const result = resultElement(root, call.operation.name);
    return result ? readStructure(result, resolveShape(output), PROTOCOL) : {};
  },

  parseError: (call) => parseXmlError(call, PROTOCOL),
};

/** `<OpResult>`, or the one `…Result` child of a service that names it differently. */
function resultElement(root: XmlElement, operationName: string): XmlElement | undefined {
  return childNamed(root, `${operationName}Result`) ?? root.children.find((child) => child.localName.endsWith("Result"));
}

/** `ResponseMetadata/RequestId` of a successful answer, else the request-id header. */
export function queryResponseMetadata(call: ParseCall): ResponseMetadata {
  const { response } = call;
  if (!isBlank(response.body) && response.statusCode < 300) {
    const metadata = childNamed(parseXml(response.body, PROTOCOL), "ResponseMetadata");
    const requestId = metadata && childNamed(metadata, "RequestId")?.text;
    if (requestId) return { requestId };
  }
  return { requestId: headerRequestId(response) };
}
