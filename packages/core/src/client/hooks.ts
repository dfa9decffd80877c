/**
 * The named extension points of the call pipeline, each with typed arguments. A service
 * package declares its customizations (S3's 200-with-error responses, SQS MD5 checks…)
 * as one `ServiceHooks` object in its customizations folder; a user may add the same hooks
 * per client. They run in the order the pipeline lists them, never by registration.
 */
import type { ServiceError } from "../errors/service-error.ts";
import type { HttpRequest } from "../http/http-request.ts";
import type { OperationSchema } from "../schema/types.ts";

export interface HookContext {
  readonly operation: OperationSchema;
  readonly input: Readonly<Record<string, unknown>>;
  /** 1 for the first attempt; 0 in `endpointParams`, which runs once before any attempt. */
  readonly attempt: number;
}

/** A response as the hooks after `send` see it: buffered, except a payload streamed to the caller (`body` empty then). */
export interface HookResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface ServiceHooks {
  /** Change endpoint-rule parameters (e.g. S3's ForcePathStyle, Accelerate). */
  readonly endpointParams?: (params: Record<string, unknown>, context: HookContext) => void;
  /** Inspect or change the serialized request before it is signed. */
  readonly beforeSign?: (request: HttpRequest, context: HookContext) => HttpRequest | void;
  /**
   * Look at a buffered response before it is parsed (for an output streamed to the caller,
   * `body` is empty: the stream is not read here). Return `{ statusCode }` to have it parsed
   * with that status instead, e.g. 500 to turn S3's 200-with-an-error-document
   * (CompleteMultipartUpload, CopyObject) into a failure that is then retried; or nothing.
   */
  readonly afterResponse?: (response: HookResponse, context: HookContext) => { readonly statusCode: number } | void;
  /**
   * Check or adjust the parsed output, given the response it was parsed from (SQS MD5 of
   * message bodies; S3's GetBucketLocation, whose body the parser cannot map).
   */
  readonly afterParse?: (output: Record<string, unknown>, context: HookContext, response: HookResponse) => void;
  /**
   * After an attempt failed with a service error: return `{ region }` to send the call once
   * more, at once, to the endpoint of that region and signed for it (S3's x-amz-bucket-region
   * redirects); nothing to leave the failure to the retry decision. A call is redirected once.
   */
  readonly redirect?: (error: ServiceError, context: HookContext) => { readonly region: string } | void;
}

// ---- running them: the service's hooks first, then the client's, in that fixed order ----

/** `beforeSign` of each hook set in turn; a hook may return a replacement request. */
export function runBeforeSign(hooks: readonly ServiceHooks[], request: HttpRequest, context: HookContext): HttpRequest {
  let current = request;
  for (const hook of hooks) current = hook.beforeSign?.(current, context) ?? current;
  return current;
}

/** `afterResponse` of each hook set in turn; the last status a hook returns is the one parsed. */
export function runAfterResponse<R extends HookResponse>(
  hooks: readonly ServiceHooks[],
  response: R,
  context: HookContext,
): R {
  let current = response;
  for (const hook of hooks) {
    const changed = hook.afterResponse?.(current, context);
    if (changed && changed.statusCode !== current.statusCode) current = { ...current, statusCode: changed.statusCode };
  }
  return current;
}

/** `afterParse` of each hook set in turn (they check or adjust the output in place). */
export function runAfterParse(hooks: readonly ServiceHooks[], output: Record<string, unknown>, context: HookContext, response: HookResponse): void {
  for (const hook of hooks) hook.afterParse?.(output, context, response);
}

/** The first region a `redirect` hook names, if any. */
export function runRedirect(hooks: readonly ServiceHooks[], error: ServiceError, context: HookContext): { readonly region: string } | undefined {
  for (const hook of hooks) {
    const target = hook.redirect?.(error, context);
    if (target) return target;
  }
  return undefined;
}
