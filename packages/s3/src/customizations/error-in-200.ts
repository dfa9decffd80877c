/**
 * S3's 200 OK that is a failure. CopyObject, UploadPartCopy and CompleteMultipartUpload
 * answer 200 as soon as they start work, then keep the connection alive with whitespace
 * until the result is known; if the work fails, the body that follows is an `<Error>`
 * document. Other operations may do the same. So a 200 is failed (status 500, parsed as
 * the ServiceError its document names, and retried as a 500 is) when its body is:
 *
 *   - an `<Error>` document;
 *   - a document cut short, or not XML at all: the connection broke while S3 was working
 *     (botocore: "a partial streamed response … treat as 500 and try again");
 *   - empty, for the three operations above, whose success always has a result document.
 *
 * Which operations are looked at: every one whose output is read from the body, that is,
 * not a payload the caller receives as bytes or text (GetObject's Body, GetBucketPolicy's
 * Policy) nor an event stream (SelectObjectContent). An empty body is fine for the others
 * (PutObject's answer is all headers).
 *
 * Read from botocore (`_handle_200_error`, `_should_handle_200_error` and the older
 * `check_for_200_error` registered for the three operations) and the v3 SDK
 * (`throw200ExceptionsMiddleware`).
 */
import { payloadMember, resolveShape, type HookContext, type HookResponse, type OperationSchema } from "@stratus/core";
import { xmlRoot } from "./xml-root.ts";

/** The operations whose 200 always carries a result document (botocore's original three). */
const RESULT_REQUIRED: ReadonlySet<string> = new Set(["CompleteMultipartUpload", "CopyObject", "UploadPartCopy"]);

/** What a 200 that is really a failure is parsed as. */
const FAILED = { statusCode: 500 } as const;

/** afterResponse: fails a 200 whose body says (or shows) that the operation failed. */
export function failErrorIn200(response: HookResponse, context: HookContext): { readonly statusCode: number } | void {
  if (response.statusCode !== 200 || !readsBody(context.operation)) return;
  if (isBlank(response.body)) return RESULT_REQUIRED.has(context.operation.name) ? FAILED : undefined;
  const root = xmlRoot(response.body);
  if (root === undefined || !root.complete || root.name === "Error") return FAILED;
}

/** Whether the output is read from the body as a document (see the header). */
function readsBody(operation: OperationSchema): boolean {
  if (!operation.output) return false;
  const payload = payloadMember(resolveShape(operation.output));
  if (payload === undefined) return true;
  const { shape, member } = payload;
  return member.streaming !== true && shape.type === "structure" && shape.eventstream !== true;
}

function isBlank(body: Uint8Array): boolean {
  // Whitespace only: S3's keep-alive padding with nothing after it.
  return body.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09);
}
