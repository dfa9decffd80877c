/**
 * One HTTP exchange on an undici dispatcher, through its low-level `dispatch(options,
 * handler)`: the Node transport's hot path (node-handler.ts) and the credential providers'
 * small requests (simple-request.ts).
 *
 * Why not undici's `request()`: it wraps every response body in a Node `Readable` (and
 * every call in an AsyncResource), which the core then turned back into chunks, and it
 * exists only once undici's whole entry module is loaded (~120 ms at a cold start; the
 * Agent alone is about half of that, see load-undici.ts). Here the handler hands chunks
 * straight to the core's `BodySource`:
 *
 *   headers     the promise resolves when the final (≥ 200) status and headers arrive;
 *               names lower-cased, repeated headers joined with ", "
 *   chunks      queued as undici delivers them; above 64 KiB queued, undici is paused and
 *               resumed once the reader has taken them (back-pressure reaches the socket)
 *   release()   a reader that stops early: a short known rest (Content-Length within
 *               `drainLimit`) is read and dropped in the background so the socket is
 *               reused; anything else aborts the exchange, which closes the socket
 *   signal      aborts the exchange at any point; the headers promise or the next read
 *               rejects with what `mapError` makes of undici's error
 *
 * Every failure goes through `mapError`, once: the caller turns undici's errors into the
 * core's (node-handler.ts's toTransportError).
 */
import type { Dispatcher } from "undici";
import type { BodySource } from "./response-body.ts";

export interface ExchangeRequest {
  /** scheme://host[:port] */
  readonly origin: string;
  /** The path and query string. */
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | AsyncIterable<Uint8Array> | null;
  readonly signal?: AbortSignal | undefined;
  /** How much of an abandoned body is read to keep its socket (bytes of Content-Length). */
  readonly drainLimit: number;
  readonly mapError: (error: unknown) => unknown;
}

export interface ExchangeResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: BodySource;
}

/** undici's per-request controller (its handler API since undici 7). */
interface Controller {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

type Handler = Parameters<Dispatcher["dispatch"]>[1];

/** Queued bytes above which undici is asked to stop reading the socket. */
const HIGH_WATER_BYTES = 64 * 1024;

export function exchange(dispatcher: Dispatcher, request: ExchangeRequest): Promise<ExchangeResponse> {
  return new Promise((resolve, reject) => {
    const handler = new ExchangeHandler(request, resolve, reject);
    dispatcher.dispatch(
      {
        origin: request.origin,
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        // undici streams any async iterable (its types list only Readable among streams).
        body: request.body as string | Uint8Array | null,
      },
      handler as unknown as Handler,
    );
  });
}

/** The reason a released body's exchange is aborted with (never seen by a caller). */
class Released extends Error {}

class ExchangeHandler implements BodySource {
  readonly #request: ExchangeRequest;
  #resolve: ((response: ExchangeResponse) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #controller: Controller | undefined;
  #paused = false;
  readonly #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #ended = false;
  #failure: { readonly error: unknown } | undefined;
  /** The reader waiting for the next chunk, the end or a failure. */
  #wake: (() => void) | undefined;
  /** Bytes still allowed to arrive for a released body; undefined while the body is wanted. */
  #drainBudget: number | undefined;
  #released = false;
  #contentLength = Number.NaN;
  #removeAbortListener: (() => void) | undefined;
  readonly chunks: AsyncIterable<Uint8Array>;

  constructor(request: ExchangeRequest, resolve: (response: ExchangeResponse) => void, reject: (error: unknown) => void) {
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
    this.chunks = { [Symbol.asyncIterator]: () => this.#read() };
    const signal = request.signal;
    if (signal) {
      const onAbort = (): void => this.#abort(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      signal.addEventListener("abort", onAbort, { once: true });
      this.#removeAbortListener = () => signal.removeEventListener("abort", onAbort);
    }
  }

  // ---- undici's side ----

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    if (this.#request.signal?.aborted) this.#abort(new Error("aborted"));
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.#controller = controller;
    if (statusCode < 200) return; // 1xx: informational, the real answer follows
    const flat: Record<string, string> = {};
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) flat[name.toLowerCase()] = typeof value === "string" ? value : value.join(", ");
    }
    this.#contentLength = Number(flat["content-length"]);
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.({ statusCode, headers: flat, body: this });
  }

  onResponseData(controller: Controller, chunk: Uint8Array): void {
    if (this.#drainBudget !== undefined) {
      this.#drainBudget -= chunk.byteLength;
      if (this.#drainBudget < 0) controller.abort(new Released("the rest of a released body was longer than announced"));
      return;
    }
    if (this.#released) return;
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.byteLength;
    if (this.#queuedBytes >= HIGH_WATER_BYTES && !this.#paused) {
      this.#paused = true;
      controller.pause();
    }
    this.#wakeReader();
  }

  onResponseEnd(): void {
    this.#ended = true;
    this.#settle();
    this.#wakeReader();
  }

  onResponseError(_controller: Controller | null, error: unknown): void {
    this.#settle();
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    if (reject) {
      reject(this.#request.mapError(error));
      return;
    }
    if (this.#released || this.#ended) return;
    this.#failure = { error: this.#request.mapError(error) };
    this.#wakeReader();
  }

  // ---- the core's side (BodySource) ----

  release(): void {
    if (this.#released || this.#ended || this.#failure) return;
    this.#released = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    const controller = this.#controller;
    if (!controller) return;
    if (Number.isFinite(this.#contentLength) && this.#contentLength <= this.#request.drainLimit) {
      // Never awaited: the rest is read and dropped as it comes (see the header).
      this.#drainBudget = this.#request.drainLimit;
      if (this.#paused) {
        this.#paused = false;
        controller.resume();
      }
    } else {
      controller.abort(new Released("the response body was released unread"));
    }
  }

  async *#read(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const chunk = this.#queue.shift();
      if (chunk !== undefined) {
        this.#queuedBytes -= chunk.byteLength;
        if (this.#paused && this.#queuedBytes < HIGH_WATER_BYTES) {
          this.#paused = false;
          this.#controller?.resume();
        }
        yield chunk;
        continue;
      }
      if (this.#failure) throw this.#failure.error;
      if (this.#ended) return;
      await new Promise<void>((wake) => (this.#wake = wake));
    }
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #abort(reason: Error): void {
    // The caller hears at once, even while the request still waits for a socket; undici
    // is told now, or in onRequestStart when it has not started the request yet.
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    reject?.(this.#request.mapError(reason));
    this.#controller?.abort(reason);
  }

  /** The exchange is over: the signal is not watched any more. */
  #settle(): void {
    this.#removeAbortListener?.();
    this.#removeAbortListener = undefined;
  }
}
