/**
 * The Node.js transport on `node:http` / `node:https` (imported on first use), beside the
 * undici one in node-handler.ts, which hands it two kinds of request:
 *
 *   - every request that carries `expect: 100-continue` and a body: undici's HTTP/1.1 client
 *     refuses an `expect` header (its `expectContinue` is HTTP/2 only), and S3 asks for one
 *     on large PutObject/UploadPart bodies (its customizations decide who asks);
 *   - every request, when undici cannot be loaded: an application bundled into one file and
 *     shipped without node_modules (a Lambda function, a CLI) still gets a pooled,
 *     keep-alive transport with the same limits, from Node's own modules, and its bundle
 *     does not carry undici's ~700 KiB (see load-undici.ts).
 *
 * It returns the same `HttpResponse` the undici path does. With an expectation:
 *
 *   headers ──▶ (socket connected) ──wait──┬─ 100 Continue ─────────▶ send the body ─▶ final response
 *                                          ├─ 1 s without an answer ─▶ send the body ─▶ final response
 *                                          ├─ a final status (403, 307, 400…) ─▶ returned; body never sent
 *                                          └─ 417 Expectation Failed ─▶ sent again without the expectation
 *
 * Choices, and why:
 *   waiting      RFC 9110 §10.1.1: a client "is not required to wait for any specific length
 *                of time" and MAY send the content without a 100. Servers and proxies that
 *                ignore the expectation are common, so waiting forever would hang them; we
 *                send the body after `continueTimeout` (1 s, what curl and botocore's
 *                AWSConnection wait). The clock starts once the socket is connected (the
 *                headers are on the wire), so a slow TCP/TLS handshake does not use it up.
 *   a final status first
 *                the body is not sent and the response is returned as any other (the
 *                pipeline parses it into the service's typed error). The connection is then
 *                closed rather than reused: the server may still be waiting for the
 *                Content-Length bytes that were announced (§10.1.1 lets it either read them
 *                or close), and a client that will not send them cannot use it again.
 *   417          §10.1.1: a client that receives 417 "SHOULD repeat that request without a
 *                100-continue expectation": done once, with the body sent straight away.
 *   no content   §10.1.1: a client "MUST NOT generate a 100-continue expectation in a
 *                request that does not include content": an empty body is sent without it.
 *   pool         one keep-alive `Agent` per protocol per handler, `maxSockets` = the client's
 *                maxConnections, idle sockets closed after 4 s (undici's default). It is a
 *                second pool beside undici's: an origin can see up to twice maxConnections
 *                sockets when large uploads and other calls run at once.
 *   timeouts     the handler's limits, as typed errors like the undici path:
 *                  connectTimeout  TCP (+ TLS) handshake of a new socket      → TimeoutError "connect"
 *                  requestTimeout  headers sent → response headers, restarted by each slice
 *                                  of upload progress (as undici's headersTimeout is
 *                                  refreshed by body writes)                  → TimeoutError "request"
 *                  idleTimeout     longest wait for the next body chunk       → TimeoutError "idle"
 *                and the call's signal destroys the socket, before or after the headers.
 *   the body     bytes and strings are written in 1 MiB slices with back-pressure, so a
 *                stalled upload shows as no progress; a `RequestBody` (a stream) is pulled
 *                chunk by chunk the same way, and only once the body is due: a body held
 *                back by a final status is never read, so a one-shot stream stays sendable.
 *                Its length, when known, is the Content-Length (without one Node sends it
 *                chunked); bytes that do not add up to the Content-Length, or a source that
 *                throws, fail with a `RequestBodyError` (not retried), as on the undici path.
 *   responses    the IncomingMessage becomes a `ResponseBody` (response-body.ts). Cancelling
 *                it drains a short known rest (≤ 64 KiB) to keep the socket when the request
 *                was sent in full, and closes the socket otherwise.
 */
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import type { Socket } from "node:net";
import { StratusError, TimeoutError } from "../errors/index.ts";
import type { HandleOptions, HttpResponse, PoolStats } from "./http-handler.ts";
import { encodeQuery, type HttpRequest } from "./http-request.ts";
import { abortReason, toTransportError, type TransportLimits } from "./node-handler.ts";
import { knownBodyLength, RequestBody, RequestBodyError } from "./request-body.ts";
import { nodeBuiltin } from "../platform/index.ts";
import { createResponseBody } from "./response-body.ts";

/** How long to wait for `100 Continue` before sending the body anyway (curl's and botocore's 1 s). */
export const DEFAULT_CONTINUE_TIMEOUT_MS = 1_000;

/** Idle keep-alive sockets are closed after this long (undici's default keep-alive timeout). */
const KEEP_ALIVE_MS = 4_000;

/** How much of an abandoned body is read to keep its socket for reuse (as node-handler.ts). */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/** How much of a body may wait in the socket's queue before writing pauses for it to drain. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** Bytes and strings go out in slices this large, so upload progress can be observed. */
const SLICE_BYTES = 1024 * 1024;

export interface NodeHttpTransportOptions extends TransportLimits {
  /** Sockets per origin in this transport's own pool (the client's `maxConnections`). */
  readonly maxConnections: number;
  /** Milliseconds to wait for `100 Continue` before sending the body anyway (default 1 000). */
  readonly continueTimeout?: number | undefined;
}

export interface NodeHttpTransport {
  /** Sends `request` as it is (any `expect` header dropped). */
  send(request: HttpRequest, options: HandleOptions): Promise<HttpResponse>;
  /** Sends `request` (with a body), waiting for `100 Continue` before the body; see the header. */
  expectContinue(request: HttpRequest, options: HandleOptions): Promise<HttpResponse>;
  /** The keep-alive agents' sockets and queued requests, summed. */
  stats(): PoolStats;
  /** Closes this transport's sockets; later requests are refused. */
  destroy(): Promise<void>;
}

export function createNodeHttpTransport(options: NodeHttpTransportOptions): NodeHttpTransport {
  return new NodeHttpTransportImpl(options);
}

/** `node:http` or `node:https` with the agent this transport keeps for it. */
interface NodeClient {
  readonly request: (options: RequestOptions) => ClientRequest;
  readonly agent: Agent;
}

interface Settings {
  readonly limits: TransportLimits;
  readonly continueTimeout: number;
}

class NodeHttpTransportImpl implements NodeHttpTransport {
  readonly #settings: Settings;
  readonly #maxConnections: number;
  readonly #clients = new Map<HttpRequest["protocol"], Promise<NodeClient>>();
  /** The same clients once loaded, for the synchronous `stats()`. */
  readonly #loaded: NodeClient[] = [];
  #destroyed = false;

  constructor(options: NodeHttpTransportOptions) {
    const continueTimeout = options.continueTimeout ?? DEFAULT_CONTINUE_TIMEOUT_MS;
    if (!Number.isFinite(continueTimeout) || continueTimeout < 0) {
      throw new StratusError(`continueTimeout must be a number of milliseconds; got ${String(continueTimeout)}`);
    }
    this.#maxConnections = options.maxConnections;
    this.#settings = {
      limits: { connectTimeout: options.connectTimeout, requestTimeout: options.requestTimeout, idleTimeout: options.idleTimeout },
      continueTimeout,
    };
  }

  async send(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    const client = await this.#ready(request, options.signal);
    return (await exchange(client, request, options.signal, this.#settings, false)).response;
  }

  async expectContinue(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    const signal = options.signal;
    const client = await this.#ready(request, signal);
    const first = await exchange(client, request, signal, this.#settings, hasContent(request.body));
    if (first.response.statusCode !== 417 || !first.bodyWithheld) return first.response;
    // 417: the server (or a proxy) will not honour the expectation; ask again without it.
    await first.response.body.cancel();
    return (await exchange(client, request, signal, this.#settings, false)).response;
  }

  stats(): PoolStats {
    const total = { connected: 0, free: 0, running: 0, pending: 0 };
    const count = (lists: NodeJS.ReadOnlyDict<readonly unknown[]>): number => Object.values(lists).reduce((sum, list) => sum + (list?.length ?? 0), 0);
    for (const { agent } of this.#loaded) {
      const busy = count(agent.sockets);
      const free = count(agent.freeSockets);
      total.connected += busy + free;
      total.free += free;
      total.running += busy;
      total.pending += count(agent.requests);
    }
    return total;
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    this.#loaded.length = 0;
    for (const client of await Promise.all(clients)) client.agent.destroy();
  }

  async #ready(request: HttpRequest, signal: AbortSignal | undefined): Promise<NodeClient> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.#destroyed) throw new StratusError("the client was destroyed; create a new one to send more requests");
    return this.#client(request.protocol);
  }

  #client(protocol: HttpRequest["protocol"]): Promise<NodeClient> {
    let client = this.#clients.get(protocol);
    if (client === undefined) {
      client = loadClient(protocol, this.#maxConnections).then((loaded) => {
        this.#loaded.push(loaded);
        return loaded;
      });
      this.#clients.set(protocol, client);
    }
    return client;
  }
}

async function loadClient(protocol: HttpRequest["protocol"], maxSockets: number): Promise<NodeClient> {
  const agentOptions = { keepAlive: true, maxSockets, timeout: KEEP_ALIVE_MS };
  // Inside `try` so that a bundle for browsers and workers (which never take this path:
  // only the Node transport does) is accepted by bundlers without node:http.
  // nodeBuiltin first: an `import("node:http")` would cost ~50 ms more (platform/index.ts).
  try {
    if (protocol === "https:") {
      const https = nodeBuiltin("node:https") ?? (await import("node:https"));
      return { request: (options) => https.request(options), agent: new https.Agent(agentOptions) };
    }
    const http = nodeBuiltin("node:http") ?? (await import("node:http"));
    return { request: (options) => http.request(options), agent: new http.Agent(agentOptions) };
  } catch (error) {
    throw new StratusError("this transport needs Node's http module", { cause: error });
  }
}

/** Where the body stands: waiting for 100, going out, all handed to the socket, or never sent. */
type BodyState = "waiting" | "sending" | "sent" | "withheld";

interface Exchange {
  readonly response: HttpResponse;
  /** A final status arrived before any of the body was sent. */
  readonly bodyWithheld: boolean;
}

/** One request on the wire, with (`expect`) or without the 100-continue expectation. */
function exchange(client: NodeClient, request: HttpRequest, signal: AbortSignal | undefined, settings: Settings, expect: boolean): Promise<Exchange> {
  const { limits } = settings;
  const headers = { ...request.headers };
  if (expect) headers["expect"] = "100-continue";
  else delete headers["expect"];
  const length = knownBodyLength(request.body);
  if (length !== undefined && headers["content-length"] === undefined) headers["content-length"] = String(length);
  const query = encodeQuery(request.query);

  return new Promise<Exchange>((resolve, reject) => {
    let req: ClientRequest;
    try {
      req = client.request({
        agent: client.agent,
        method: request.method,
        hostname: request.hostname.startsWith("[") ? request.hostname.slice(1, -1) : request.hostname,
        port: request.port,
        path: `${request.path.startsWith("/") ? request.path : `/${request.path}`}${query ? `?${query}` : ""}`,
        headers,
      });
    } catch (error) {
      // Node validates headers and the path synchronously (a bad character): not retryable.
      reject(toTransportError(error, signal, limits));
      return;
    }

    // Fail a body whose size differs from its Content-Length rather than send a broken request.
    // (An OutgoingMessage property: @types/node declares it on ServerResponse only.)
    (req as ClientRequest & { strictContentLength: boolean }).strictContentLength = true;

    let body: BodyState = "waiting";
    let started = false;
    let settled = false;
    let connectTimer: ReturnType<typeof setTimeout> | undefined;
    let requestTimer: ReturnType<typeof setTimeout> | undefined;
    let continueTimer: ReturnType<typeof setTimeout> | undefined;
    const clearTimers = (): void => {
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
      clearTimeout(continueTimer);
    };
    const onAbort = (): void => {
      if (!signal) return;
      const reason = abortReason(signal);
      // Still queued for a socket: node:http reports a destroyed request only once the pool
      // hands it one, which may be never while the others hang. The caller hears now.
      if (!req.socket && !settled) {
        settled = true;
        cleanup();
        reject(reason);
      }
      req.destroy(reason);
    };
    const cleanup = (): void => {
      clearTimers();
      signal?.removeEventListener("abort", onAbort);
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    const sendBody = (): void => {
      clearTimeout(continueTimer);
      // Once only: the 100 may still arrive after the wait ran out.
      if (started || body !== "waiting") return;
      started = true;
      body = "sending";
      const progress = (): void => {
        // Only while the exchange is live: refresh() re-arms a timer that was cleared, and
        // the writer reports its last chunk after a timeout or an abort destroyed the request.
        if (!settled && !req.destroyed) requestTimer?.refresh();
      };
      writeBody(req, request.body, progress)
        .then(() => {
          if (req.destroyed) return;
          // Throws when the bytes written do not add up to the Content-Length (strictContentLength).
          req.end(() => {
            if (body === "sending") body = "sent";
            progress();
          });
        })
        .catch((error: unknown) => req.destroy(toBodyError(error)));
    };

    req.on("socket", (socket: Socket) => {
      const connected = (): void => {
        clearTimeout(connectTimer);
        if (settled || req.destroyed) return;
        requestTimer = setTimeout(() => req.destroy(new TimeoutError("request", limits.requestTimeout)), limits.requestTimeout);
        if (body === "waiting") continueTimer = setTimeout(sendBody, settings.continueTimeout);
      };
      if (!socket.connecting) {
        connected();
        return;
      }
      connectTimer = setTimeout(() => req.destroy(new TimeoutError("connect", limits.connectTimeout)), limits.connectTimeout);
      socket.once(request.protocol === "https:" ? "secureConnect" : "connect", connected);
    });
    req.on("continue", sendBody);
    req.on("response", (res: IncomingMessage) => {
      clearTimers();
      if (body === "waiting") body = "withheld";
      settled = true;
      resolve({ response: toHttpResponse(req, res, signal, limits, cleanup), bodyWithheld: body === "withheld" });
    });
    // Kept for the whole exchange: an error after the headers reaches the body reader
    // through the IncomingMessage, and must not be an unhandled 'error' event here.
    req.on("error", (error: Error) => {
      clearTimers();
      if (settled) return;
      settled = true;
      cleanup();
      reject(toTransportError(error, signal, limits));
    });
    req.on("close", cleanup);

    if (expect) req.flushHeaders();
    else sendBody();
  });
}

/** The IncomingMessage as the handler contract's response; `cleanup` runs once it is over. */
function toHttpResponse(
  req: ClientRequest,
  res: IncomingMessage,
  signal: AbortSignal | undefined,
  limits: TransportLimits,
  cleanup: () => void,
): HttpResponse {
  const headers: Record<string, string> = {};
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? "").toLowerCase();
    const value = raw[i + 1] ?? "";
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  // Errors reach the reader through the iterator; this keeps one nobody reads from throwing.
  res.on("error", () => undefined);
  // A response that ended while the body was withheld (or only partly sent) leaves the
  // connection unusable: close it (see the header).
  res.once("end", () => {
    if (!req.writableEnded) req.destroy();
  });
  const length = Number(headers["content-length"]);
  return {
    statusCode: res.statusCode ?? 0,
    headers,
    body: createResponseBody(
      {
        chunks: readBody(res, signal, limits),
        release() {
          // Never awaited, as in node-handler.ts: a short known rest of a fully sent
          // exchange is drained in the background (bounded by the idle timeout) so the
          // socket is reused; anything else closes the socket now.
          if (req.writableEnded && Number.isFinite(length) && length <= DRAIN_LIMIT_BYTES) {
            const timer = setTimeout(() => req.destroy(), limits.idleTimeout).unref();
            res.once("close", () => clearTimeout(timer));
            res.resume();
          } else {
            req.destroy();
          }
        },
      },
      cleanup,
    ),
  };
}

/** The response's chunks, failing with TimeoutError "idle" when the next one takes too long. */
async function* readBody(res: IncomingMessage, signal: AbortSignal | undefined, limits: TransportLimits): AsyncGenerator<Uint8Array, void, undefined> {
  const idleTimeout = limits.idleTimeout;
  // destroyOnReturn false: a reader that stops early leaves drain-or-close to release().
  const chunks = res.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>;
  for (;;) {
    let idle: TimeoutError | undefined;
    const timer = setTimeout(() => {
      idle = new TimeoutError("idle", idleTimeout);
      res.destroy(idle);
    }, idleTimeout);
    let step: IteratorResult<Uint8Array>;
    try {
      step = await chunks.next();
    } catch (error) {
      // The caller's abort wins; else our own timeout rather than the socket's complaint about it.
      if (idle !== undefined && !signal?.aborted) throw idle;
      throw toTransportError(error, signal, limits);
    } finally {
      clearTimeout(timer);
    }
    if (step.done === true) return;
    yield step.value;
  }
}

/**
 * Writes the body with back-pressure, calling `progress` after each chunk the socket took.
 * Stops quietly when the request was destroyed (a final response, an abort, a timeout).
 */
async function writeBody(req: ClientRequest, body: HttpRequest["body"], progress: () => void): Promise<void> {
  for await (const chunk of bodyChunks(body)) {
    if (req.destroyed) return;
    // Node says "wait" once 16 KiB are queued, i.e. after every 64 KiB chunk; waiting each
    // time leaves the socket idle between chunks and halved upload speed. Keep up to
    // WRITE_BUFFER_BYTES queued instead: memory stays bounded, the socket stays busy.
    if (!req.write(chunk) && req.writableLength >= WRITE_BUFFER_BYTES) await drained(req);
    progress();
  }
}

function drained(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off("drain", done);
      req.off("close", done);
      resolve();
    };
    req.on("drain", done);
    req.on("close", done);
  });
}

/** The body as chunks to write: bytes and strings sliced (no copy for bytes), a stream as it comes. */
function bodyChunks(body: HttpRequest["body"]): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  if (body === undefined) return [];
  if (body instanceof RequestBody) return body.chunks();
  return slices(typeof body === "string" ? Buffer.from(body, "utf8") : body);
}

function* slices(bytes: Uint8Array): Generator<Uint8Array, void, undefined> {
  for (let offset = 0; offset < bytes.byteLength; offset += SLICE_BYTES) yield bytes.subarray(offset, offset + SLICE_BYTES);
}

/** Whether there is content to announce (a body of unknown length counts). */
function hasContent(body: HttpRequest["body"]): boolean {
  const length = knownBodyLength(body);
  return length === undefined || length > 0;
}

/** A failure while writing the body: the source's own RequestBodyError, or a length mismatch. */
function toBodyError(error: unknown): Error {
  if (error instanceof RequestBodyError) return error;
  if ((error as { code?: unknown } | null)?.code === "ERR_HTTP_CONTENT_LENGTH_MISMATCH") {
    return new RequestBodyError("the request body's size differs from the Content-Length it was sent with (a declared length, or a file that changed)", { cause: error });
  }
  return error instanceof Error ? error : new RequestBodyError(String(error));
}
