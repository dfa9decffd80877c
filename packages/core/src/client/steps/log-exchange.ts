/**
 * Phases 12–13 with `logHttp`: each attempt's signed request as it goes out, and its
 * response as it came in, handed to the client's `logger.debug`, redacted by
 * logging/redact.ts. Off unless the client has both a logger with `debug` and `logHttp`;
 * then `exchangeLog` returns undefined and costs nothing.
 *
 *   <Service>.<Operation> attempt N request    method, url, headers, body
 *   <Service>.<Operation> attempt N response   statusCode, requestId, durationMs, headers, body
 *
 * A body is its size ("412 bytes", "a stream of 5242880 bytes") unless `bodies` is on; then
 * an in-memory textual body (JSON, XML, form, text) is shown, redacted and cut. A stream is
 * never read for the log, and binary bodies (CBOR, object bytes) stay a size. The duration
 * runs from handing the request to the transport to having the response read (its headers,
 * for a streamed payload). A logger that throws does not fail the call.
 */
import type { HttpLogOptions, Logger } from "../config.ts";
import { requestUrl, type HttpRequest } from "../../http/http-request.ts";
import { RequestBody } from "../../http/request-body.ts";
import { redactBodyText, redactHeaders, redactUrl } from "../../logging/redact.ts";
import type { RawResponse } from "../../protocols/protocol.ts";
import type { OperationSchema } from "../../schema/types.ts";
import type { ClientRuntime } from "../runtime.ts";
import { requestIdsOf } from "./response.ts";

/** `logHttp` resolved: undefined when off. */
export interface HttpLogSettings {
  readonly bodies: boolean;
}

export function httpLogSettings(logHttp: boolean | HttpLogOptions | undefined): HttpLogSettings | undefined {
  if (logHttp === undefined || logHttp === false) return undefined;
  return { bodies: logHttp !== true && logHttp.bodies === true };
}

export interface ExchangeLog {
  request(request: HttpRequest): void;
  response(response: RawResponse, streamed: boolean): void;
}

export function exchangeLog(runtime: ClientRuntime, operation: OperationSchema, attempt: number): ExchangeLog | undefined {
  const settings = runtime.logHttp;
  const logger = runtime.logger;
  if (settings === undefined || logger?.debug === undefined) return undefined;
  const name = `${runtime.definition.schema.serviceId}.${operation.name} attempt ${attempt}`;
  let sentAt = performance.now();
  return {
    request(request) {
      sentAt = performance.now();
      debugSafely(logger, `${name} request`, () => ({
        method: request.method,
        url: redactUrl(requestUrl(request)),
        headers: redactHeaders(request.headers),
        body: describeBody(request.body, request.headers["content-type"], settings.bodies),
      }));
    },
    response(response, streamed) {
      const durationMs = Math.round(performance.now() - sentAt);
      debugSafely(logger, `${name} response ${response.statusCode}`, () => {
        const ids = requestIdsOf(runtime.protocol, response);
        return {
          statusCode: response.statusCode,
          requestId: ids.requestId,
          ...(ids.extendedRequestId === undefined ? {} : { extendedRequestId: ids.extendedRequestId }),
          durationMs,
          headers: redactHeaders(response.headers),
          body: streamed
            ? `a stream${lengthSuffix(response.headers["content-length"])}, left to the caller`
            : describeBody(response.body, response.headers["content-type"], settings.bodies),
        };
      });
    },
  };
}

/** `logger.debug`, where a logger that throws is ignored: used for every line the pipeline logs. */
export function debugSafely(logger: Logger, message: string, details: () => Record<string, unknown>): void {
  try {
    logger.debug?.(message, details());
  } catch {
    // The log is a witness, not a participant: a broken logger must not fail the call.
  }
}

function describeBody(body: HttpRequest["body"], contentType: string | undefined, bodies: boolean): string {
  if (body === undefined) return "none";
  if (body instanceof RequestBody) return body.length === undefined ? "a stream of unknown length" : `a stream of ${body.length} bytes`;
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  if (bytes.length === 0) return "none";
  const size = `${bytes.length} bytes`;
  if (!bodies) return size;
  const text = typeof body === "string" ? body : textOf(body, contentType);
  return text === undefined ? `${size} (not text)` : redactBodyText(text, contentType);
}

const TEXT_TYPES = /json|xml|x-www-form-urlencoded|^text\//i;

/** UTF-8 text of a textual Content-Type (or none given), else undefined: binary is never shown. */
function textOf(bytes: Uint8Array, contentType: string | undefined): string | undefined {
  if (contentType !== undefined && !TEXT_TYPES.test(contentType)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function lengthSuffix(contentLength: string | undefined): string {
  return contentLength === undefined ? "" : ` of ${contentLength} bytes`;
}
