/**
 * `replayHttp()`: an HTTP handler that answers from a recording made by `recordHttp()`,
 * so an integration test runs again with no server and no network.
 *
 *   const s3 = new S3({ …, http: { handler: replayHttp("test/recordings/s3-session.json") } });
 *
 * Each live request is prepared as the recorder prepared it (the same headers dropped, the
 * same values redacted: http-exchange.ts), so what differs on every run (signature, date,
 * invocation id, user agent) never counts. What must be equal: method, host (its port
 * aside: a local server gets a new port each run), path, query, the remaining headers and
 * the body. Two ways to pick the recorded exchange:
 *
 *   "request" (default)  the first not yet replayed exchange equal to the request, so
 *                        concurrent calls may come in any order; repeated requests (a
 *                        waiter's polls) get their answers in recorded order
 *   "sequence"           the next exchange in recorded order, which must be equal
 *
 * A request that matches none fails at once with a ReplayMismatchError that names the
 * closest recorded exchange and how it differs (it is not a connection error: nothing
 * retries it). The response body is handed out in chunks as a live stream, as a real
 * transport would.
 */
import type { HandleOptions, HttpHandler, HttpResponse } from "../http/http-handler.ts";
import type { HttpRequest } from "../http/http-request.ts";
import { RequestBody } from "../http/request-body.ts";
import { createResponseBody, type ResponseBody } from "../http/response-body.ts";
import { ReplayMismatchError } from "./errors.ts";
import { bodyBytes, describeRequest, isRecording, recordRequest, type HttpExchange, type HttpRecording, type RecordedBody, type RecordedRequest } from "./http-exchange.ts";

export type ReplayMatch = "sequence" | "request";

export interface ReplayHttpOptions {
  /** How a request finds its recorded exchange (see the module header). Default "request". */
  readonly match?: ReplayMatch | undefined;
  /** Bytes per chunk of a replayed response body. Default 16 KiB. */
  readonly chunkSize?: number | undefined;
}

export interface HttpReplayer extends HttpHandler {
  /** Recorded exchanges not replayed yet (a path's recording is read on the first request). */
  readonly unused: readonly HttpExchange[];
  /** Nothing to close: there is no connection. */
  destroy(): Promise<void>;
}

/** A handler answering from a recording: a saved file's path, a recording, or its exchanges. */
export function replayHttp(source: string | HttpRecording | readonly HttpExchange[], options: ReplayHttpOptions = {}): HttpReplayer {
  return new Replayer(source, options);
}

/** Reads a recording saved by `recordHttp().save(path)`. */
export async function loadRecording(path: string): Promise<HttpRecording> {
  const { readFile } = await import("node:fs/promises");
  const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
  if (!isRecording(parsed)) throw new ReplayMismatchError(`${path} is not a recording made by recordHttp (version 1)`);
  return parsed;
}

class Replayer implements HttpReplayer {
  readonly #match: ReplayMatch;
  readonly #chunkSize: number;
  #exchanges: readonly HttpExchange[] | Promise<readonly HttpExchange[]>;
  #used: boolean[] = [];

  constructor(source: string | HttpRecording | readonly HttpExchange[], options: ReplayHttpOptions) {
    this.#match = options.match ?? "request";
    this.#chunkSize = options.chunkSize ?? 16 * 1024;
    if (typeof source === "string") {
      this.#exchanges = loadRecording(source).then((recording) => (this.#exchanges = recording.exchanges));
      // Reported by the first request, not as an unhandled rejection.
      this.#exchanges.catch(() => undefined);
    } else {
      this.#exchanges = isRecording(source) ? source.exchanges : source;
    }
  }

  get unused(): readonly HttpExchange[] {
    const exchanges = this.#exchanges;
    if (exchanges instanceof Promise) return [];
    return exchanges.filter((_, i) => !this.#used[i]);
  }

  async handle(request: HttpRequest, options: HandleOptions): Promise<HttpResponse> {
    options.signal?.throwIfAborted();
    const exchanges = await this.#exchanges;
    const live = await liveRequest(request);
    const index = this.#find(exchanges, live);
    this.#used[index] = true;
    const { response } = exchanges[index] as HttpExchange;
    return { statusCode: response.status, headers: { ...response.headers }, body: streamed(response.body, this.#chunkSize, options.signal) };
  }

  async destroy(): Promise<void> {}

  #find(exchanges: readonly HttpExchange[], live: RecordedRequest): number {
    if (this.#match === "sequence") {
      const next = exchanges.findIndex((_, i) => !this.#used[i]);
      const recorded = next >= 0 ? exchanges[next] : undefined;
      if (!recorded) throw new ReplayMismatchError(`replayHttp: ${describeRequest(live)} was sent, but all ${exchanges.length} recorded exchanges were already replayed`);
      const found = requestDifferences(recorded.request, live);
      if (found.length > 0) throw mismatch(live, `the next recorded exchange is #${next + 1}, ${describeRequest(recorded.request)}`, found);
      return next;
    }
    let closest: { index: number; found: string[] } | undefined;
    for (const [index, exchange] of exchanges.entries()) {
      const found = requestDifferences(exchange.request, live);
      if (found.length === 0 && !this.#used[index]) return index;
      if (!closest || found.length < closest.found.length) closest = { index, found };
    }
    if (!closest) throw new ReplayMismatchError(`replayHttp: ${describeRequest(live)} was sent, but the recording has no exchanges`);
    const recorded = exchanges[closest.index] as HttpExchange;
    const where = `the closest recorded exchange is #${closest.index + 1}, ${describeRequest(recorded.request)}`;
    if (closest.found.length === 0) {
      throw new ReplayMismatchError(`replayHttp: ${describeRequest(live)} was sent more often than recorded: ${where}, which was already replayed`);
    }
    throw mismatch(live, where, closest.found);
  }
}

/** The live request in recorded form; a streamed body is read here, as a transport would. */
async function liveRequest(request: HttpRequest): Promise<RecordedRequest> {
  const body = request.body;
  const bytes =
    body === undefined ? undefined : typeof body === "string" ? new TextEncoder().encode(body) : body instanceof RequestBody ? await body.bytes() : body;
  return recordRequest(request, bytes);
}

function mismatch(live: RecordedRequest, where: string, found: readonly string[]): ReplayMismatchError {
  return new ReplayMismatchError(
    `replayHttp: no recorded exchange matches ${describeRequest(live)}; ${where}, which differs in:\n${found.map((line) => `  - ${line}`).join("\n")}`,
  );
}

/** What differs between a recorded request and a live one (both prepared alike); empty when they match. */
export function requestDifferences(recorded: RecordedRequest, live: RecordedRequest): string[] {
  const out: string[] = [];
  if (recorded.method !== live.method) out.push(`method: recorded ${recorded.method}, sent ${live.method}`);
  const a = splitUrl(recorded.url);
  const b = splitUrl(live.url);
  if (a.host !== b.host) out.push(`host: recorded ${a.host}, sent ${b.host}`);
  if (a.path !== b.path) out.push(`path: recorded ${a.path}, sent ${b.path}`);
  if (a.query !== b.query) out.push(`query: recorded "${a.query}", sent "${b.query}"`);
  for (const name of new Set([...Object.keys(recorded.headers), ...Object.keys(live.headers)])) {
    // The body's own comparison below says more than its length.
    if (name === "content-length") continue;
    const x = recorded.headers[name];
    const y = live.headers[name];
    if (x !== y) out.push(`header ${name}: recorded ${x === undefined ? "(absent)" : JSON.stringify(x)}, sent ${y === undefined ? "(absent)" : JSON.stringify(y)}`);
  }
  const body = bodyDifference(recorded.body, live.body);
  if (body) out.push(body);
  return out;
}

/** Protocol and host name (no port), path, and the query in a canonical order. */
function splitUrl(url: string): { host: string; path: string; query: string } {
  const parsed = new URL(url);
  const query = parsed.search.slice(1).split("&").filter((pair) => pair !== "").sort().join("&");
  return { host: `${parsed.protocol}//${parsed.hostname}`, path: parsed.pathname, query };
}

function bodyDifference(recorded: RecordedBody | undefined, live: RecordedBody | undefined): string | undefined {
  const a = bodyBytes(recorded);
  const b = bodyBytes(live);
  let at = 0;
  while (at < a.byteLength && at < b.byteLength && a[at] === b[at]) at++;
  if (at === a.byteLength && at === b.byteLength) return undefined;
  const snippet = (bytes: Uint8Array, body: RecordedBody | undefined): string => {
    if (body?.utf8 === undefined) return `${bytes.byteLength} bytes`;
    const start = Math.max(0, at - 20);
    const text = new TextDecoder().decode(bytes.subarray(start, at + 40));
    return `${bytes.byteLength} bytes, ${JSON.stringify(`${start > 0 ? "…" : ""}${text}`)}`;
  };
  return `body (from byte ${at}): recorded ${snippet(a, recorded)}, sent ${snippet(b, live)}`;
}

/** The recorded bytes as a live body, a chunk at a time. */
function streamed(body: RecordedBody, chunkSize: number, signal: AbortSignal | undefined): ResponseBody {
  const bytes = bodyBytes(body);
  return createResponseBody({
    chunks: (async function* () {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
        signal?.throwIfAborted();
        yield bytes.slice(offset, offset + chunkSize);
      }
    })(),
    release() {},
  });
}
