/**
 * The smallest HTTP exchange the core needs before the full call pipeline exists: one
 * request, the whole (small) body read as text, a hard deadline. Credential providers
 * (IMDS, container endpoint, STS, SSO) use it. undici is imported on first use, so loading
 * the core opens no socket machinery; on a runtime other than Node.js (platform.ts) the
 * platform's fetch does the same exchange.
 */
import { HttpRequestError } from "../errors/index.ts";
import { isNodeJs } from "../platform/index.ts";
import { RequestBody } from "./request-body.ts";
import type { Agent } from "undici";
import { loadUndiciAgent } from "./load-undici.ts";
import { exchange } from "./undici-exchange.ts";

export interface SimpleRequest {
  readonly method: "GET" | "PUT" | "POST";
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** A RequestBody is streamed as it is (these exchanges never retry, so a one-shot stream is fine). */
  readonly body?: string | Uint8Array | RequestBody | undefined;
  /** Deadline for the whole exchange (connect, headers and body), in milliseconds. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
}

export interface SimpleResponse {
  readonly statusCode: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Bodies larger than this are a fault of the other side, not something to buffer. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function simpleRequest(req: SimpleRequest): Promise<SimpleResponse> {
  const url = String(req.url);
  const signals: AbortSignal[] = [];
  if (req.signal) signals.push(req.signal);
  if (req.timeoutMs !== undefined) signals.push(AbortSignal.timeout(req.timeoutMs));
  const signal = signals.length ? AbortSignal.any(signals) : undefined;
  const dispatcher = isNodeJs() ? await sharedAgent() : undefined;
  if (dispatcher === undefined) return viaFetch(url, req, signal);
  try {
    const target = new URL(url);
    const res = await exchange(dispatcher, {
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: req.method,
      headers: req.headers ? { ...req.headers } : {},
      body: (req.body instanceof RequestBody ? req.body.chunks() : req.body) ?? null,
      signal,
      drainLimit: 0,
      mapError: (error) => error,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body.chunks) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        void res.body.release();
        throw new HttpRequestError(url, `response body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    return { statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") };
  } catch (error) {
    if (error instanceof HttpRequestError) throw error;
    if (signal?.aborted && !req.signal?.aborted) {
      throw new HttpRequestError(url, `no answer within ${req.timeoutMs} ms`, { cause: error });
    }
    if (req.signal?.aborted) throw req.signal.reason ?? error;
    const code = (error as { code?: string }).code;
    throw new HttpRequestError(url, `request failed${code ? ` (${code})` : ""}: ${(error as Error).message}`, { cause: error });
  }
}

let agent: Promise<Agent | undefined> | undefined;

/**
 * One Agent for every provider's exchanges, made on first use (undici's idle sockets do
 * not hold the process open).
 */
function sharedAgent(): Promise<Agent | undefined> {
  agent ??= loadUndiciAgent().then((UndiciAgent) => (UndiciAgent === undefined ? undefined : new UndiciAgent()));
  return agent;
}

/** The same exchange over the platform's fetch (Workers, Deno, Bun): same limits, same errors. */
async function viaFetch(url: string, req: SimpleRequest, signal: AbortSignal | undefined): Promise<SimpleResponse> {
  try {
    const body = req.body instanceof RequestBody ? await req.body.bytes() : req.body;
    const res = await fetch(url, {
      method: req.method,
      headers: req.headers ? { ...req.headers } : {},
      ...(body !== undefined ? { body: body as NonNullable<RequestInit["body"]> } : {}),
      redirect: "manual",
      ...(signal ? { signal } : {}),
    });
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > MAX_BODY_BYTES) {
          await reader.cancel().catch(() => undefined);
          throw new HttpRequestError(url, `response body exceeds ${MAX_BODY_BYTES} bytes`);
        }
        chunks.push(value);
      }
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const all = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { statusCode: res.status, headers, body: new TextDecoder().decode(all) };
  } catch (error) {
    if (error instanceof HttpRequestError) throw error;
    if (signal?.aborted && !req.signal?.aborted) {
      throw new HttpRequestError(url, `no answer within ${req.timeoutMs} ms`, { cause: error });
    }
    if (req.signal?.aborted) throw req.signal.reason ?? error;
    const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code) as string | undefined;
    throw new HttpRequestError(url, `request failed${code ? ` (${code})` : ""}: ${(error as Error).message}`, { cause: error });
  }
}
