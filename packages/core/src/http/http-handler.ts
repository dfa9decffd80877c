/**
 * The transport contract: what the call pipeline needs from whatever sends bytes. The Node
 * handler (node-handler.ts, on undici) is the default; a test, an edge runtime (fetch) or
 * an application with its own proxy/agent plugs in another through `http.handler`.
 *
 *   handler.handle(signedRequest, { signal })  ──▶  HttpResponse { statusCode, headers, body }
 *
 * Rules every handler keeps, because the pipeline's retry and error handling rely on them:
 *   - resolve as soon as the status line and headers have arrived; the body is read later
 *     through `body` (a `ResponseBody`), so streaming payloads are never buffered;
 *   - when `signal` aborts, stop (close the socket if need be) and reject; the pipeline
 *     reports the signal's reason, so the rejection value itself does not matter;
 *   - reject a failure to connect or a dropped connection with a `NetworkError`, and its own
 *     time limits with a `TimeoutError` ("connect" / "request" / "idle"): both say
 *     `isConnectionError`, which makes the attempt retryable;
 *   - the same `HttpRequest` may be handed over again (a retry): never mutate it.
 */
import type { HttpRequest } from "./http-request.ts";
import type { ResponseBody } from "./response-body.ts";

export interface HandleOptions {
  /** Aborts this exchange, including the body read that follows. */
  readonly signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  readonly statusCode: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, not read yet. Whoever receives it must read, cancel or dispose of it. */
  readonly body: ResponseBody;
}

/** What a pooled transport holds right now, summed over its origins (leak checks, load tests). */
export interface PoolStats {
  /** Open sockets. */
  readonly connected: number;
  /** Open sockets with no request on them. */
  readonly free: number;
  /** Requests being sent or awaiting their response. */
  readonly running: number;
  /** Requests waiting for a socket. */
  readonly pending: number;
}

export interface HttpHandler {
  handle(request: HttpRequest, options: HandleOptions): Promise<HttpResponse>;
  /** Closes pooled connections; later `handle` calls may fail. */
  destroy?(): Promise<void>;
  /** The pool's state, for a transport that keeps one. */
  stats?(): PoolStats;
}
