/**
 * HTTP: the request as plain data (http-request.ts) with its streaming body when it has
 * one (request-body.ts: length, replay rule), the transport contract
 * (http-handler.ts), response bodies read once as a stream or in full (response-body.ts),
 * the Node transport on undici (node-handler.ts) and the fetch transport for every other
 * runtime (fetch-handler.ts; client/transport.ts picks one). simple-request.ts is the
 * small one-shot helper credential providers use before a client exists.
 */
export { cloneRequest, requestUrl, type HttpRequest } from "./http-request.ts";
export {
  isStreamingBodyInput,
  RequestBody,
  RequestBodyError,
  toRequestBody,
  type ChunkSource,
  type RequestBodyInput,
  type RequestBodyOptions,
} from "./request-body.ts";
export type { HandleOptions, HttpHandler, HttpResponse, PoolStats } from "./http-handler.ts";
export { bodyFromBytes, createResponseBody, type BodySource, type ResponseBody } from "./response-body.ts";
export {
  createNodeHttpHandler,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type NodeHttpOptions,
} from "./node-handler.ts";
export { createFetchHttpHandler, type FetchHttpOptions } from "./fetch-handler.ts";
