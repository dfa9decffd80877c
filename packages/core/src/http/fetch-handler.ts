/**
 * The transport for runtimes without undici (Cloudflare Workers, Deno, Bun, browsers): the
 * platform's `fetch`, kept to the same contract as the Node handler (http-handler.ts), so
 * the pipeline cannot tell them apart.
 *
 *   pool         the runtime's own: fetch pools and keeps connections alive by itself, and
 *                offers no knob for it, so `maxConnections` does not apply here.
 *   timeouts     requestTimeout  from calling fetch to the response headers → TimeoutError "request"
 *                idleTimeout     longest gap between two body chunks      → TimeoutError "idle"
 *                connectTimeout  not separable: fetch does not say when its connection is
 *                                open, so connecting counts towards requestTimeout (and
 *                                a connection that never opens ends as a "request" timeout).
 *                                The option is accepted and checked, so one `http` config
 *                                serves both handlers, but has no effect of its own.
 *                Both are exact timers (setTimeout), armed per attempt and per chunk, cleared
 *                when the exchange ends.
 *   abort        one AbortController per exchange, handed to fetch. The call's signal, a
 *                timer and `cancel()` all abort it, and the reader is cancelled as well:
 *                runtimes differ on whether aborting fetch's signal after the headers
 *                also errors the body stream, and cancelling covers the ones that do not.
 *                The rejection is the signal's reason when that is one of the core's errors
 *                (AbortError, the call's TimeoutError), else an AbortError carrying it.
 *   failures     fetch rejects every network failure with a bare TypeError ("fetch failed",
 *                "error sending request", "Network connection lost"); each becomes a
 *                `NetworkError` (retryable as a connection error) with the runtime's code
 *                when it gives one (Node's `cause.code`, Bun's `code`). A certificate
 *                failure is reported without the retry flag, as on Node.
 *   redirects    `redirect: "manual"`: an AWS answer of 301/307 is an answer to parse (S3's
 *                wrong-region error), never a hop to follow with the same signature.
 *
 * Request bodies: strings and bytes go as they are. A `RequestBody` (a stream) becomes a
 * `ReadableStream` pulled chunk by chunk (`duplex: "half"`). Its length, when known, must
 * reach the server as Content-Length (S3 refuses a chunked upload), and runtimes differ:
 *
 *   Node (undici's fetch), Bun   send the Content-Length header given with the stream
 *   Workers                      ignore it and send chunked, unless the stream is a
 *                                `FixedLengthStream`: the body is piped through one
 *   Deno                         ignores it and sends chunked, with no way around it
 *                                (denoland/deno#24197): a body of known length up to
 *                                16 MiB (a multipart part) is read into memory and sent
 *                                as bytes; a longer one goes chunked, and a server that
 *                                needs the length refuses it
 *
 * A failure of the caller's source is reported as the `RequestBodyError` it raised, not
 * as a network error. Headers fetch sets itself are not
 * passed: `host` (from the URL, the same value that was signed), `content-length` for
 * in-memory bodies, and the hop-by-hop ones; `expect: 100-continue` cannot be sent with
 * fetch and is dropped.
 *
 * Response bodies: the handler returns when the headers arrive; the body is read through
 * the stream's reader as the caller pulls, so nothing is buffered. `cancel()` (or leaving
 * a `for await` early) cancels the stream; whether the runtime then drains or closes the
 * connection is its own choice.
 */
import { NetworkError, StratusError, TimeoutError } from "../errors/index.ts";
import type { HandleOptions, HttpHandler, HttpResponse } from "./http-handler.ts";
import { requestUrl, type HttpRequest } from "./http-request.ts";
// Only constants and a pure function: this does not load undici (node-handler imports it lazily).
import { abortReason, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from "./node-handler.ts";
import { RequestBody, RequestBodyError } from "./request-body.ts";
import { createResponseBody } from "./response-body.ts";

export interface FetchHttpOptions {
  /** Milliseconds from calling fetch to the response headers, connecting included (default 300 000). */
  readonly requestTimeout?: number | undefined;
  /** Longest gap between two chunks of a response body, in milliseconds (default 300 000). */
  readonly idleTimeout?: number | undefined;
  /** Accepted for symmetry with the Node handler; fetch cannot time connecting apart (see the header). */
  readonly connectTimeout?: number | undefined;
  /** The fetch to call (default `globalThis.fetch`, looked up on each request). */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/** Headers a fetch implementation sets itself, or refuses. */
const NOT_PASSED: ReadonlySet<string> = new Set([
  "host", "content-length", "expect", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer",
]);

export function createFetchHttpHandler(options: FetchHttpOptions = {}): HttpHandler {
  return new FetchHttpHandler(options);
}

class FetchHttpHandler implements HttpHandler {
  readonly #requestTimeout: number;
  readonly #idleTimeout: number;
  readonly #fetch: typeof globalThis.fetch | undefined;
  #destroyed = false;

  constructor(options: FetchHttpOptions) {
    this.#requestTimeout = positive(options.requestTimeout, "requestTimeout") ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#idleTimeout = positive(options.idleTimeout, "idleTimeout") ?? DEFAULT_IDLE_TIMEOUT_MS;
    positive(options.connectTimeout, "connectTimeout");
    this.#fetch = options.fetch;
  }

  async handle(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    const signal = options.signal;
    if (signal?.aborted) throw abortReason(signal);
    if (this.#destroyed) throw new StratusError("the client was destroyed; create a new one to send more requests");
    const fetchFn = this.#fetch ?? globalThis.fetch;
    if (typeof fetchFn !== "function") throw new StratusError("this runtime has no global fetch; give the client an http.handler (createFetchHttpHandler({ fetch }), for one)");
    const exchange = new Exchange(signal, this.#idleTimeout);
    let response: Response;
    try {
      const init = await buildInit(request, exchange);
      exchange.arm("request", this.#requestTimeout);
      response = await fetchFn(requestUrl(request), init);
    } catch (error) {
      throw exchange.failure(error);
    } finally {
      exchange.disarm();
    }
    if (exchange.failed) {
      // The limit ran out (or the call was aborted) just as the headers arrived.
      await response.body?.cancel().catch(() => undefined);
      throw exchange.failure(undefined);
    }

    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { statusCode: response.status, headers, body: exchange.responseBody(response.body) };
  }

  async destroy(): Promise<void> {
    // fetch owns its connections; refusing further requests is all there is to do.
    this.#destroyed = true;
  }
}

/** Deno sends streams chunked whatever the headers say: known lengths up to this are buffered (see the header). */
const DENO_BUFFER_LIMIT_BYTES = 16 * 1024 * 1024;

/** Workers' stream that makes fetch send a Content-Length (absent elsewhere). */
type FixedLengthStreamClass = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

/** The fetch init: method, headers fetch lets us set, body, our signal, no redirects. */
async function buildInit(request: HttpRequest, exchange: Exchange): Promise<RequestInit & { duplex?: "half" }> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (!NOT_PASSED.has(name.toLowerCase())) headers.set(name, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers, redirect: "manual", signal: exchange.signal };
  const body = request.body;
  if (body instanceof RequestBody) {
    const length = body.length;
    const fixedLength = (globalThis as { FixedLengthStream?: FixedLengthStreamClass }).FixedLengthStream;
    if (length !== undefined && length <= DENO_BUFFER_LIMIT_BYTES && "Deno" in globalThis) {
      init.body = (await body.bytes()) as Uint8Array<ArrayBuffer>;
    } else if (length !== undefined && typeof fixedLength === "function") {
      const fixed = new fixedLength(length);
      // A failure of the source errors `fixed` too, and fetch rejects; the source's error is kept by uploadStream.
      void exchange.uploadStream(body).pipeTo(fixed.writable).catch(() => undefined);
      init.body = fixed.readable;
      init.duplex = "half";
    } else {
      if (length !== undefined) headers.set("content-length", String(length));
      init.body = exchange.uploadStream(body);
      init.duplex = "half";
    }
  } else if (body !== undefined) {
    init.body = body as NonNullable<RequestInit["body"]>;
  }
  return init;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * One request and its response body: the AbortController fetch sees, the timer running
 * now, and the first reason it failed (a limit, the call's abort, the caller's source).
 */
class Exchange {
  readonly #controller = new AbortController();
  readonly #callSignal: AbortSignal | undefined;
  readonly #idleTimeout: number;
  readonly #onCallAbort = (): void => this.#fail(abortReason(this.#callSignal as AbortSignal));
  #timer: Timer | undefined;
  #reason: StratusError | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #uploadError: unknown;
  #closed = false;

  constructor(callSignal: AbortSignal | undefined, idleTimeout: number) {
    this.#callSignal = callSignal;
    this.#idleTimeout = idleTimeout;
    callSignal?.addEventListener("abort", this.#onCallAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get failed(): boolean {
    return this.#reason !== undefined;
  }

  arm(kind: "request" | "idle", ms: number): void {
    this.disarm();
    this.#timer = setTimeout(() => this.#fail(new TimeoutError(kind, ms)), ms);
  }

  disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** What to throw for `error` from fetch or the body: our own reason first, then the source's, then the network's. */
  failure(error: unknown): unknown {
    const reason = this.#reason;
    this.close();
    if (reason) return reason;
    if (this.#uploadError !== undefined) return this.#uploadError;
    return networkError(error);
  }

  /** A RequestBody as the stream fetch reads, remembering a failure of its source. */
  uploadStream(body: RequestBody): ReadableStream<Uint8Array> {
    let iterator: AsyncIterator<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          iterator ??= body.chunks()[Symbol.asyncIterator]();
          const { done, value } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          this.#uploadError =
            error instanceof StratusError ? error : new RequestBodyError(`reading the request body failed: ${String(error)}`, { cause: error });
          controller.error(error);
        }
      },
      cancel: async () => {
        await iterator?.return?.();
      },
    });
  }

  /** The response stream as a ResponseBody: idle timer per chunk, errors mapped, cleanup once. */
  responseBody(stream: ReadableStream<Uint8Array> | null): ReturnType<typeof createResponseBody> {
    if (stream === null) this.close();
    const exchange = this;
    return createResponseBody({
      chunks: (async function* () {
        if (stream === null) return;
        const reader = stream.getReader();
        exchange.#reader = reader;
        try {
          for (;;) {
            exchange.arm("idle", exchange.#idleTimeout);
            let result: Awaited<ReturnType<typeof reader.read>>;
            try {
              result = await reader.read();
            } finally {
              exchange.disarm();
            }
            // A cancelled reader ends quietly: the reason it was cancelled is the answer.
            if (exchange.#reason) throw exchange.#reason;
            if (result.done) break;
            yield result.value;
          }
        } catch (error) {
          throw exchange.failure(error);
        } finally {
          exchange.close();
        }
      })(),
      release(reason) {
        exchange.close();
        if (exchange.#reader) void exchange.#reader.cancel(reason).catch(() => undefined);
        else void stream?.cancel(reason).catch(() => undefined);
      },
    });
  }

  /** The exchange is over: no timer, no listener on the call's signal. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.disarm();
    this.#callSignal?.removeEventListener("abort", this.#onCallAbort);
  }

  #fail(reason: StratusError): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.disarm();
    this.#controller.abort(reason);
    void this.#reader?.cancel(reason).catch(() => undefined);
  }
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) throw new StratusError(`http.${name} must be a positive number; got ${String(value)}`);
  return value;
}

/** Codes (or words) meaning the server's certificate was refused: not worth a retry. */
const CERTIFICATE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i;

/** Whatever fetch rejected with, as a NetworkError, or a plain StratusError for a certificate failure. */
function networkError(error: unknown): unknown {
  if (error instanceof StratusError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  const rawCode = (cause as { code?: unknown } | null)?.code ?? (error as { code?: unknown } | null)?.code;
  const code = typeof rawCode === "string" ? rawCode : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause instanceof Error && cause.message && cause.message !== message ? `${message}: ${cause.message}` : message;
  if (CERTIFICATE.test(code ?? "") || CERTIFICATE.test(detail)) {
    return new StratusError(`the HTTP request could not be sent: ${detail}${code ? ` (${code})` : ""}`, { cause: error });
  }
  return new NetworkError(`the connection failed: ${detail}`, code, { cause: error });
}
