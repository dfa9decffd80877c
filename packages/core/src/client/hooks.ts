/**
 * The named extension points of the call pipeline, each with typed arguments. A service
 * package declares its customizations (S3's 200-with-error responses, SQS MD5 checks…)
 * as one `ServiceHooks` object in its customizations folder; a user may add the same hooks
 * per client. They run in the order the pipeline lists them, never by registration.
 */
import type { HttpRequest } from "../http/http-request.ts";
import type { OperationSchema } from "../schema/types.ts";

export interface HookContext {
  readonly operation: OperationSchema;
  readonly input: Readonly<Record<string, unknown>>;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export interface ServiceHooks {
  /** Change endpoint-rule parameters (e.g. S3's ForcePathStyle, Accelerate). */
  readonly endpointParams?: (params: Record<string, unknown>, context: HookContext) => void;
  /** Inspect or change the serialized request before it is signed. */
  readonly beforeSign?: (request: HttpRequest, context: HookContext) => HttpRequest | void;
  /**
   * Look at a buffered response before it is parsed; return an error code/message to turn
   * a 200 into a failure (S3 CompleteMultipartUpload), or nothing.
   */
  readonly afterResponse?: (
    response: { readonly statusCode: number; readonly headers: Readonly<Record<string, string>>; readonly body: Uint8Array },
    context: HookContext,
  ) => { readonly statusCode: number } | void;
  /** Check or adjust the parsed output (SQS MD5 of message bodies). */
  readonly afterParse?: (output: Record<string, unknown>, context: HookContext) => void;
}
