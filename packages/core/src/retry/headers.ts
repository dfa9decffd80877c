/**
 * The two headers every AWS SDK sends so that the service can tell retries apart from new
 * calls:
 *
 *   amz-sdk-invocation-id: 4f9b0b8e-...     one random UUID per operation call, the same on
 *                                           every attempt of that call
 *   amz-sdk-request: attempt=2; max=3       which attempt this is (1-based) out of how many
 *
 * botocore (`handlers.py`, `add_retry_headers`) and the v3 SDK (`retryMiddleware`) write
 * them the same way. botocore adds `ttl=` to amz-sdk-request when it knows the server's
 * clock and a read timeout; Stratus does not send it, like the v3 SDK.
 */

export const INVOCATION_ID_HEADER = "amz-sdk-invocation-id";
export const REQUEST_HEADER = "amz-sdk-request";

export function invocationIdHeader(invocationId: string): { readonly [INVOCATION_ID_HEADER]: string } {
  return { [INVOCATION_ID_HEADER]: invocationId };
}

export function requestHeader(attempt: number, maxAttempts: number): { readonly [REQUEST_HEADER]: string } {
  return { [REQUEST_HEADER]: `attempt=${attempt}; max=${maxAttempts}` };
}
