/**
 * HTTP: the request as plain data (http-request.ts), the transport contract
 * (http-handler.ts), response bodies read once as a stream or in full (response-body.ts),
 * and the default Node transport on undici (node-handler.ts). simple-request.ts is the
 * small one-shot helper credential providers use before a client exists.
 */
export { cloneRequest, requestUrl, type HttpRequest } from "./http-request.ts";
export type { HandleOptions, HttpHandler, HttpResponse } from "./http-handler.ts";
export { bodyFromBytes, createResponseBody, type BodySource, type ResponseBody } from "./response-body.ts";
export {
  createNodeHttpHandler,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type NodeHttpOptions,
} from "./node-handler.ts";
