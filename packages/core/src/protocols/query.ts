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
 *
 * Request ids of successful answers: the `x-amzn-requestid` header when the service sends
 * one (the same id as the body's, and reading it costs no second parse of the document),
 * else `ResponseMetadata/RequestId`. The body is only a fallback for ids, so a body that
 * does not parse gives no id rather than an error.
 */
import { ParseError } from "../errors/index.ts";
import { resolveShape, type MemberView } from "../schema/normalize.ts";
import type { ParseCall, Protocol, RawResponse, RequestIds } from "./protocol.ts";
import { headerRequestIds } from "./shared/request-ids.ts";
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

  responseMetadata: (response) => withBodyRequestId(response, queryResponseMetadata),
};

/**
 * The header ids, else the id `fromBody` finds (shared with ec2, whose body names it
 * differently). A body that is not XML has no id to give; the parse error is
 * `parseResponse`'s to report, not this.
 */
export function withBodyRequestId(
  response: RawResponse,
  fromBody: (call: { readonly response: RawResponse }) => ResponseMetadata,
): RequestIds {
  const ids = headerRequestIds(response);
  if (ids.requestId) return ids;
  try {
    const { requestId } = fromBody({ response });
    return requestId ? { ...ids, requestId } : ids;
  } catch (problem) {
    if (problem instanceof ParseError) return ids;
    throw problem;
  }
}

/** `<OpResult>`, or the one `…Result` child of a service that names it differently. */
function resultElement(root: XmlElement, operationName: string): XmlElement | undefined {
  return childNamed(root, `${operationName}Result`) ?? root.children.find((child) => child.localName.endsWith("Result"));
}

/** `ResponseMetadata/RequestId` of a successful answer, else the request-id header. */
export function queryResponseMetadata(call: { readonly response: RawResponse }): ResponseMetadata {
  const { response } = call;
  if (!isBlank(response.body) && response.statusCode < 300) {
    const metadata = childNamed(parseXml(response.body, PROTOCOL), "ResponseMetadata");
    const requestId = metadata && childNamed(metadata, "RequestId")?.text;
    if (requestId) return { requestId };
  }
  return { requestId: headerRequestId(response) };
}
