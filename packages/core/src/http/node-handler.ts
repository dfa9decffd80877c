/**
 * The default transport on Node.js: one undici `Agent` per client, created on the first
 * request (undici itself is imported then, so loading the core opens nothing). Where
 * undici cannot be imported (a bundle shipped without node_modules: load-undici.ts), or
 * with `engine: "node:http"`, every request goes through node-http-transport.ts instead,
 * which keeps the same pool size, limits, errors and body rules.
 *
 *   pool         undici keeps one `Pool` per origin (scheme://host:port) with at most
 *                `maxConnections` sockets (default 50, botocore's `max_pool_connections`
 *                is 10, the v3 SDK's default 50); calls beyond that wait in undici's queue.
 *                A different S3 bucket host is a different origin, hence its own pool.
 *   keep-alive   sockets are reused; an idle one is closed after undici's 4 s (or the
 *                server's keep-alive hint).
 *   timeouts     connectTimeout  TCP + TLS handshake                     → TimeoutError "connect"
 *                requestTimeout  from sending to the response headers   → TimeoutError "request"
 *                idleTimeout     longest gap between two body chunks     → TimeoutError "idle"
 *                (undici's connectTimeout / headersTimeout / bodyTimeout; defaults 10 s, 300 s,
 *                300 s as in undici). undici checks all three on a coarse ~0.5 s tick (its
 *                "fast timers"), so each may fire up to a second late: a 200 ms limit ends
 *                after about one second (measured by test/faults); never early. The
 *                call-wide `timeout` (the pipeline's business) is an exact timer.
 *   abort        the call's signal aborts undici's exchange, which destroys the socket; the
 *                rejection is the signal's reason when that is one of ours (AbortError or the
 *                call's TimeoutError), else an AbortError carrying it.
 *   failures     refused/reset/DNS failure/closed-early become `NetworkError` (retryable as
 *                a connection error); a TLS certificate error, or undici rejecting the
 *                request itself (a bad header), is a plain StratusError, not retried.
 *
 * Expect: 100-continue goes elsewhere. undici's HTTP/1.1 client refuses an `expect` header
 * ("expect header not supported"; its `expectContinue` option is HTTP/2 only), so a request
 * carrying `expect: 100-continue` and a body (S3's large uploads) is handed to
 * node-http-transport.ts, which sends it on node:http with its own pool and the same limits
 * and returns the same kind of response. Any other `expect` header is dropped here.
 *
 * Request bodies: strings and bytes go as they are; a `RequestBody` (a Blob, a stream) is
 * handed to undici as an async iterable and written with back-pressure as the socket
 * drains, never buffered. Its length, when known, is the Content-Length (set here if the
 * serializer did not); otherwise undici sends `Transfer-Encoding: chunked`. A body whose
 * bytes do not add up to its Content-Length fails with a `RequestBodyError`, and so does a
 * source that throws: neither is retried.
 *
 * Requests go through undici's low-level `dispatch` (undici-exchange.ts), not its
 * `request()`, and only undici's Agent module is loaded (load-undici.ts): both for speed.
 *
 * Response bodies: the handler returns as soon as headers arrive. `ResponseBody.cancel()`
 * (or breaking out of a `for await`) keeps the socket for reuse when the rest of the body
 * is known to be short (Content-Length within 64 KiB: read and dropped in the background),
 * and closes it otherwise; see response-body.ts for the caller's side of that.
 */
import type { Agent } from "undici";
import { AbortError, NetworkError, StratusError, TimeoutError } from "../errors/index.ts";
import type { HandleOptions, HttpHandler, HttpResponse, PoolStats } from "./http-handler.ts";
import { encodeQuery, type HttpRequest } from "./http-request.ts";
import { RequestBody, RequestBodyError } from "./request-body.ts";
import { loadUndiciAgent } from "./load-undici.ts";
import type { NodeHttpTransport } from "./node-http-transport.ts";
import { createResponseBody } from "./response-body.ts";
import { exchange } from "./undici-exchange.ts";

export interface NodeHttpOptions {
  /** Sockets per origin (default 50). */
  readonly maxConnections?: number | undefined;
  /** Milliseconds to open a connection (default 10 000). */
  readonly connectTimeout?: number | undefined;
  /** Milliseconds from sending a request to its response headers, per attempt (default 300 000). */
  readonly requestTimeout?: number | undefined;
  /** Longest gap between two chunks of a response body, in milliseconds (default 300 000). */
  readonly idleTimeout?: number | undefined;
  /**
   * What sends the bytes: undici (the default, when it can be imported) or Node's own
   * `node:http` (the fallback; chosen explicitly mostly by tests).
   */
  readonly engine?: NodeHttpEngine | undefined;
}

export type NodeHttpEngine = "undici" | "node:http";

export const DEFAULT_MAX_CONNECTIONS = 50;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** How much of an abandoned body is read to keep its socket for reuse. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/** Codes meaning "the connection failed", as system errors or undici's own. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH",
  "ENETDOWN", "EHOSTDOWN", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL",
  "UND_ERR_SOCKET", "UND_ERR_CLOSED", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "UND_ERR_INFO",
]);

export function createNodeHttpHandler(options: NodeHttpOptions = {}): HttpHandler & { engine(): Promise<NodeHttpEngine> } {
  return new NodeHttpHandler(options);
}

class NodeHttpHandler implements HttpHandler {
  readonly #limits: TransportLimits;
  readonly #maxConnections: number;
  #agent: Promise<Agent | undefined> | undefined;
  /** The same agent once created, for the synchronous `stats()`. */
  #agentNow: Agent | undefined;
  /** node-http-transport.ts and its pool, loaded for the first request that needs it. */
  #nodeHttp: Promise<NodeHttpTransport> | undefined;
  #nodeHttpNow: NodeHttpTransport | undefined;
  readonly #engine: NodeHttpEngine | undefined;
  #destroyed = false;

  constructor(options: NodeHttpOptions) {
    this.#maxConnections = positive(options.maxConnections, "maxConnections") ?? DEFAULT_MAX_CONNECTIONS;
    if (options.engine !== undefined && options.engine !== "undici" && options.engine !== "node:http") {
      throw new StratusError(`engine must be "undici" or "node:http"; got ${String(options.engine)}`);
    }
    this.#engine = options.engine;
    this.#limits = {
      connectTimeout: positive(options.connectTimeout, "connectTimeout") ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: positive(options.requestTimeout, "requestTimeout") ?? DEFAULT_REQUEST_TIMEOUT_MS,
      idleTimeout: positive(options.idleTimeout, "idleTimeout") ?? DEFAULT_IDLE_TIMEOUT_MS,
    };
  }

  async handle(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    const signal = options.signal;
    if (signal?.aborted) throw abortReason(signal);
    if (this.#destroyed) throw new StratusError("the client was destroyed; create a new one to send more requests");
    // undici cannot send Expect on HTTP/1.1: node:http does (see the header).
    if (request.body !== undefined && request.headers["expect"]?.toLowerCase() === "100-continue") {
      const transport = await (this.#nodeHttp ??= this.#createNodeHttp());
      return transport.expectContinue(request, options);
    }
    const agent = await (this.#agent ??= this.#createAgent());
    if (agent === undefined) {
      const transport = await (this.#nodeHttp ??= this.#createNodeHttp());
      return transport.send(request, options);
    }
    const query = encodeQuery(request.query);
    const headers = { ...request.headers };
    delete headers["expect"];
    let body: string | Uint8Array | AsyncIterable<Uint8Array> | null = null;
    if (request.body instanceof RequestBody) {
      if (request.body.length !== undefined) headers["content-length"] ??= String(request.body.length);
      body = request.body.chunks();
    } else if (request.body !== undefined) {
      body = request.body;
    }
    const response = await exchange(agent, {
      origin: `${request.protocol}//${originHost(request)}`,
      path: `${request.path.startsWith("/") ? request.path : `/${request.path}`}${query ? `?${query}` : ""}`,
      method: request.method,
      headers,
      body,
      signal,
      drainLimit: DRAIN_LIMIT_BYTES,
      mapError: (error) => toTransportError(error, signal, this.#limits),
    });
    return { statusCode: response.statusCode, headers: response.headers, body: createResponseBody(response.body) };
  }

  /** undici's pools (one per origin) and the node:http pool, summed. */
  stats(): PoolStats {
    const total = { ...(this.#nodeHttpNow?.stats() ?? { connected: 0, free: 0, running: 0, pending: 0 }) };
    for (const origin of Object.values(this.#agentNow?.stats ?? {})) {
      // A Pool per origin (connections > 1); a single Client reports `connected` as a boolean.
      if (typeof origin.connected === "boolean") {
        const busy = origin.connected && origin.running > 0;
        total.connected += origin.connected ? 1 : 0;
        total.free += origin.connected && !busy ? 1 : 0;
      } else {
        total.connected += origin.connected;
        total.free += "free" in origin ? origin.free : 0;
      }
      total.running += origin.running;
      total.pending += origin.pending;
    }
    return total;
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    this.#agentNow = undefined;
    this.#nodeHttpNow = undefined;
    const agent = this.#agent;
    const nodeHttp = this.#nodeHttp;
    this.#agent = undefined;
    this.#nodeHttp = undefined;
    if (nodeHttp) await (await nodeHttp).destroy();
    await (await agent)?.destroy();
  }

  /** The engine in use ("undici" unless it cannot be loaded or another was asked for). */
  async engine(): Promise<NodeHttpEngine> {
    return (await (this.#agent ??= this.#createAgent())) === undefined ? "node:http" : "undici";
  }

  async #createNodeHttp(): Promise<NodeHttpTransport> {
    const { createNodeHttpTransport } = await import("./node-http-transport.ts");
    this.#nodeHttpNow = createNodeHttpTransport({ maxConnections: this.#maxConnections, ...this.#limits });
    return this.#nodeHttpNow;
  }

  /** undici's Agent, or undefined when requests go through node:http. */
  async #createAgent(): Promise<Agent | undefined> {
    const UndiciAgent = this.#engine === "node:http" ? undefined : await loadUndiciAgent();
    if (UndiciAgent === undefined) {
      if (this.#engine === "undici") throw new StratusError("engine \"undici\" was asked for, but undici cannot be imported here");
      return undefined;
    }
    this.#agentNow = new UndiciAgent({
      connections: this.#maxConnections,
      connect: { timeout: this.#limits.connectTimeout },
      headersTimeout: this.#limits.requestTimeout,
      bodyTimeout: this.#limits.idleTimeout,
    });
    return this.#agentNow;
  }
}

/** The limits a handler was made with, for the errors that name them. */
export interface TransportLimits {
  readonly connectTimeout: number;
  readonly requestTimeout: number;
  readonly idleTimeout: number;
}

/** Maps whatever undici or the OS threw to the core's typed errors (see the header). */
export function toTransportError(error: unknown, signal: AbortSignal | undefined, limits: TransportLimits): unknown {
  if (signal?.aborted) return abortReason(signal);
  if (error instanceof StratusError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === "string" ? code : undefined;
  switch (text) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return new TimeoutError("connect", limits.connectTimeout, { cause: error });
    case "UND_ERR_HEADERS_TIMEOUT":
      return new TimeoutError("request", limits.requestTimeout, { cause: error });
    case "UND_ERR_BODY_TIMEOUT":
      return new TimeoutError("idle", limits.idleTimeout, { cause: error });
    case "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH":
      return new RequestBodyError("the request body's size differs from the Content-Length it was sent with (a declared length, or a file that changed)", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if ((text !== undefined && CONNECTION_CODES.has(text)) || text?.startsWith("HPE_")) {
    return new NetworkError(`the connection failed: ${message}`, text, { cause: error });
  }
  // TLS failures (certificate errors) are connection failures too, but retrying one only
  // fails again; they are reported without the retry flag.
  return new StratusError(`the HTTP request could not be sent: ${message}${text ? ` (${text})` : ""}`, { cause: error });
}

/** The signal's reason when it is one of the core's call errors, else an AbortError carrying it. */
export function abortReason(signal: AbortSignal): StratusError {
  const reason: unknown = signal.reason;
  if (reason instanceof AbortError || reason instanceof TimeoutError) return reason;
  return new AbortError(reason);
}

/** host[:port] for the origin, with IPv6 brackets. */
function originHost(request: HttpRequest): string {
  const host = request.hostname.includes(":") && !request.hostname.startsWith("[") ? `[${request.hostname}]` : request.hostname;
  return request.port === undefined ? host : `${host}:${request.port}`;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) throw new StratusError(`http.${name} must be a positive number; got ${String(value)}`);
  return value;
}
