/**
 * `recordHttp()`: an HTTP handler that passes every request to a real one and keeps a
 * redacted copy of the exchange, to be saved and later replayed by `replayHttp()`.
 *
 *   const recorder = recordHttp();                          // the default transport inside
 *   const s3 = new S3({ …, http: { handler: recorder } });
 *   … the calls of an integration test …
 *   await recorder.save("test/recordings/s3-session.json");
 *
 * Bodies are copied as they go by, never buffered ahead of the reader: a streamed upload is
 * copied while the transport reads it (a retry starts the copy again), a streamed download
 * while the caller reads it. So save once the calls are done and their bodies read. What is
 * redacted and why is in http-exchange.ts.
 */
import { createDefaultHttpHandler } from "#default-transport";
import type { HandleOptions, HttpHandler, HttpResponse } from "../http/http-handler.ts";
import { cloneRequest, type HttpRequest } from "../http/http-request.ts";
import { createResponseBody } from "../http/response-body.ts";
import { recordRequest, recordResponse, type HttpExchange, type HttpRecording, type RecordedRequest, type RecordedResponse } from "./http-exchange.ts";

export interface RecordHttpOptions {
  /** The handler that really sends (default: a new default transport, closed by `destroy()`). */
  readonly handler?: HttpHandler | undefined;
}

export interface HttpRecorder extends HttpHandler {
  /** The exchanges so far, in the order their requests were sent (JSON-serialisable). */
  readonly exchanges: readonly HttpExchange[];
  /** The recording as `save` writes it. */
  recording(): HttpRecording;
  /** Writes the recording as JSON to `path` (its folder is created). */
  save(path: string): Promise<void>;
  /** Closes the default transport the recorder made (a handler passed in is left open). */
  destroy(): Promise<void>;
}

export function recordHttp(options: RecordHttpOptions = {}): HttpRecorder {
  return new Recorder(options.handler);
}

/** Bytes collected as they pass; `reset` when a replayable body is read again. */
class Tap {
  #chunks: Uint8Array[] = [];
  complete = false;

  reset(): void {
    this.#chunks = [];
    this.complete = false;
  }

  add(chunk: Uint8Array): void {
    this.#chunks.push(chunk.slice());
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.#chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}

interface PendingExchange {
  readonly request: HttpRequest;
  readonly requestBody: Tap | Uint8Array | undefined;
  response?: { readonly statusCode: number; readonly headers: Readonly<Record<string, string>>; readonly body: Tap };
}

class Recorder implements HttpRecorder {
  readonly #inner: HttpHandler;
  readonly #ownsInner: boolean;
  readonly #pending: PendingExchange[] = [];

  constructor(inner: HttpHandler | undefined) {
    this.#inner = inner ?? createDefaultHttpHandler();
    this.#ownsInner = inner === undefined;
  }

  get exchanges(): readonly HttpExchange[] {
    return this.#pending.flatMap((exchange) => {
      const response = exchange.response;
      if (!response) return [];
      return [{ request: requestOf(exchange), response: responseOf(response) }];
    });
  }

  recording(): HttpRecording {
    return { version: 1, exchanges: this.exchanges };
  }

  async save(path: string): Promise<void> {
    const { mkdir, writeFile } = await import("node:fs/promises");
    const { dirname } = await import("node:path");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(this.recording(), null, 2)}\n`);
  }

  async handle(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    const { sent, body } = tapRequest(request);
    const exchange: PendingExchange = { request, requestBody: body };
    // In the order requests go out, which is the order a "sequence" replay expects.
    this.#pending.push(exchange);
    let response: HttpResponse;
    try {
      response = await this.#inner.handle(sent, options);
    } catch (error) {
      this.#pending.splice(this.#pending.indexOf(exchange), 1);
      throw error;
    }
    const tap = new Tap();
    exchange.response = { statusCode: response.statusCode, headers: response.headers, body: tap };
    const inner = response.body;
    const copied = createResponseBody({
      chunks: (async function* () {
        for await (const chunk of inner) {
          tap.add(chunk);
          yield chunk;
        }
        tap.complete = true;
      })(),
      release: (reason) => inner.cancel(reason),
    });
    return { statusCode: response.statusCode, headers: response.headers, body: copied };
  }

  async destroy(): Promise<void> {
    if (this.#ownsInner) await this.#inner.destroy?.();
  }
}

/** The request to send (with a copying body when it streams) and where its bytes will be. */
function tapRequest(request: HttpRequest): { sent: HttpRequest; body: Tap | Uint8Array | undefined } {
  const body = request.body;
  if (body === undefined) return { sent: request, body: undefined };
  if (typeof body === "string") return { sent: request, body: new TextEncoder().encode(body) };
  if (body instanceof Uint8Array) return { sent: request, body };
  const tap = new Tap();
  const sent = cloneRequest(request);
  sent.body = body.derive(
    (chunks) =>
      (async function* () {
        tap.reset();
        for await (const chunk of chunks) {
          tap.add(chunk);
          yield chunk;
        }
        tap.complete = true;
      })(),
    body.length,
  );
  return { sent, body: tap };
}

function requestOf(exchange: PendingExchange): RecordedRequest {
  const body = exchange.requestBody;
  return recordRequest(exchange.request, body instanceof Tap ? body.bytes() : body);
}

function responseOf(response: NonNullable<PendingExchange["response"]>): RecordedResponse {
  return recordResponse(response.statusCode, response.headers, response.body.bytes(), response.body.complete);
}
