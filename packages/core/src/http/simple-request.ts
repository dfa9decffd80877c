/**
 * The smallest HTTP exchange the core needs before the full call pipeline exists: one
 * request, the whole (small) body read as text, a hard deadline. Credential providers
 * (IMDS, container endpoint, STS, SSO) use it. undici is imported on first use, so loading
 * the core opens no socket machinery.
 */
import { HttpRequestError } from "../errors/index.ts";

export interface SimpleRequest {
  readonly method: "GET" | "PUT" | "POST";
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
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
  const { request } = await import("undici");
  try {
    const res = await request(url, {
      method: req.method,
      headers: req.headers ? { ...req.headers } : {},
      body: req.body,
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.body.destroy();
        throw new HttpRequestError(url, `response body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    return { statusCode: res.statusCode, headers, body: Buffer.concat(chunks).toString("utf8") };
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
