/**
 * The benches' own S3 + DynamoDB stand-in: a plain node:http server on 127.0.0.1 that
 * answers at once with valid, fixed responses, so that what a bench measures is the client
 * (the SDK under test), not a server doing real work. It knows four requests:
 *
 *   GET  /<bucket>/<key>        S3 GetObject: 1 KiB of bytes, or exactly N bytes when the
 *                               key starts with "size-N" (streamed from one reused 64 KiB
 *                               chunk with back-pressure, so a 1 GiB answer costs the server
 *                               no memory)
 *   PUT  /<bucket>/<key>        S3 PutObject: reads the body to its end, counts it, 200 + ETag
 *   POST / (X-Amz-Target …GetItem)   DynamoDB GetItem: one item of six attributes,
 *                               with x-amz-crc32 as DynamoDB sends it
 *   anything else               400 with an S3-style error, so a wrong request cannot pass
 *                               as a fast right one
 *
 * A bench that needs more (the document layer's Query, S3's multipart calls) passes its own
 * routes (`options.routes`), asked first, in order; see document-routes.ts, multipart-routes.ts.
 *
 * The counters let a bench check that an upload really moved the bytes it claims. The
 * server runs in the parent bench process while each SDK runs in a child, so on two cores
 * the client under test and the server each have a core.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32 } from "node:zlib";

export const BUCKET = "bench-bucket";
export const SMALL_KEY = "object-1k";
export const TABLE = "bench-table";
export const SMALL_OBJECT_BYTES = 1024;

/** The key whose GetObject answer is `bytes` long. */
export function sizedKey(bytes: number): string {
  return `size-${bytes}`;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const SMALL_BODY = Buffer.alloc(SMALL_OBJECT_BYTES, 0x62);
const LAST_MODIFIED = "Wed, 01 May 2024 12:00:00 GMT";
const ETAG = '"0f343b0931126a20f133d67c2b018a3b"';

const ITEM_BODY = Buffer.from(
  JSON.stringify({
    Item: {
      id: { S: "user-1" },
      name: { S: "Ada Lovelace" },
      born: { N: "1815" },
      active: { BOOL: true },
      tags: { SS: ["math", "engines"] },
      address: { M: { city: { S: "London" }, zip: { S: "W1" } } },
    },
  }),
);
const ITEM_CRC = String(crc32(ITEM_BODY));

/**
 * A bench's own handler, asked before the built-in ones: resolves true when it answered the
 * request (it then owns the response), false to leave it to the next route.
 */
export type LoopbackRoute = (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<boolean>;

export interface LoopbackServerOptions {
  readonly routes?: readonly LoopbackRoute[];
}

export interface LoopbackServer {
  /** e.g. "http://127.0.0.1:40123" */
  readonly endpoint: string;
  readonly port: number;
  /** Requests answered with 2xx, by kind. */
  readonly counts: { getObject: number; putObject: number; getItem: number; rejected: number };
  /** Bytes of PutObject bodies received by key (aws-chunked framing included, as sent). */
  readonly uploaded: Map<string, number>;
  close(): Promise<void>;
}

export async function startLoopbackServer(options: LoopbackServerOptions = {}): Promise<LoopbackServer> {
  const routes = options.routes ?? [];
  const state: LoopbackServer = {
    endpoint: "",
    port: 0,
    counts: { getObject: 0, putObject: 0, getItem: 0, rejected: 0 },
    uploaded: new Map(),
    close: async () => undefined,
  };
  let sequence = 0;
  const server: Server = createServer((request, response) => {
    const requestId = `BENCH${(++sequence).toString(16).padStart(11, "0")}`;
    routeWith(routes, request, response, requestId, state).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
      console.error(`loopback server: ${String(error)}`);
    });
  });
  // Long-lived keep-alive: a bench's pool must not see its sockets closed mid-run.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

async function routeWith(routes: readonly LoopbackRoute[], request: IncomingMessage, response: ServerResponse, requestId: string, state: LoopbackServer): Promise<void> {
  for (const extra of routes) if (await extra(request, response, requestId)) return;
  await route(request, response, requestId, state);
}

async function route(request: IncomingMessage, response: ServerResponse, requestId: string, state: LoopbackServer): Promise<void> {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  const target = request.headers["x-amz-target"];
  if (request.method === "POST" && path === "/" && target === "DynamoDB_20120810.GetItem") {
    await drain(request);
    state.counts.getItem++;
    response.writeHead(200, {
      "content-type": "application/x-amz-json-1.0",
      "content-length": ITEM_BODY.length,
      "x-amzn-requestid": requestId,
      "x-amz-crc32": ITEM_CRC,
    });
    response.end(ITEM_BODY);
    return;
  }
  const prefix = `/${BUCKET}/`;
  if (path.startsWith(prefix) && path.length > prefix.length) {
    const key = decodeURIComponent(path.slice(prefix.length));
    if (request.method === "GET") {
      state.counts.getObject++;
      await sendObject(response, key, requestId);
      return;
    }
    if (request.method === "PUT") {
      const bytes = await drain(request);
      state.uploaded.set(key, (state.uploaded.get(key) ?? 0) + bytes);
      state.counts.putObject++;
      response.writeHead(200, { etag: ETAG, "x-amz-request-id": requestId, "x-amz-id-2": requestId, "content-length": 0 });
      response.end();
      return;
    }
  }
  await drain(request);
  state.counts.rejected++;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRequest</Code><Message>the bench server does not answer ${request.method} ${path}</Message><RequestId>${requestId}</RequestId></Error>`;
  response.writeHead(400, { "content-type": "application/xml", "content-length": Buffer.byteLength(body), "x-amz-request-id": requestId });
  response.end(body);
}

async function sendObject(response: ServerResponse, key: string, requestId: string): Promise<void> {
  const sized = /^size-(\d+)/.exec(key);
  const length = sized ? Number(sized[1]) : SMALL_OBJECT_BYTES;
  response.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": length,
    etag: ETAG,
    "last-modified": LAST_MODIFIED,
    "accept-ranges": "bytes",
    "x-amz-request-id": requestId,
    "x-amz-id-2": requestId,
  });
  if (!sized) {
    response.end(SMALL_BODY);
    return;
  }
  let left = length;
  while (left > 0) {
    if (response.destroyed) return;
    const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
    left -= chunk.length;
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          response.off("drain", done);
          response.off("close", done);
          resolve();
        };
        response.on("drain", done);
        response.on("close", done);
      });
    }
  }
  response.end();
}

/** Reads a request body to its end and returns its length. */
export async function drain(request: IncomingMessage): Promise<number> {
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) bytes += chunk.length;
  return bytes;
}
