/**
 * S3's multipart upload calls for the bench's loopback server (a `LoopbackRoute`), enough
 * for an upload manager to go through them, and strict where it matters to the bench:
 *
 *   POST   /<bucket>/<key>?uploads                      CreateMultipartUpload → an UploadId
 *   PUT    /<bucket>/<key>?partNumber=N&uploadId=U      UploadPart: the body read to its end and
 *                                                       counted (aws-chunked framing decoded, so
 *                                                       the count is the payload's), 200 + ETag
 *                                                       and the part's checksum header echoed
 *   POST   /<bucket>/<key>?uploadId=U                   CompleteMultipartUpload: every listed part
 *                                                       must have arrived, in ascending order, all
 *                                                       but the last at least 5 MiB (S3's rules);
 *                                                       the object's size is then the sum of them
 *   DELETE /<bucket>/<key>?uploadId=U                   AbortMultipartUpload
 *
 * `completed` holds each completed object's size by key: the bench checks it against what
 * it sent, so an upload that only claims to have happened fails the bench.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsChunkedCounter, isAwsChunked } from "./aws-chunked-counter.ts";
import { BUCKET, drain, type LoopbackRoute } from "./loopback-server.ts";

const MIN_PART_BYTES = 5 * 1024 * 1024;
const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

export interface MultipartRoutes {
  readonly route: LoopbackRoute;
  /** Bytes of each completed object, by key. */
  readonly completed: Map<string, number>;
  readonly counts: { create: number; part: number; complete: number; abort: number };
}

interface OpenUpload {
  readonly key: string;
  /** Payload bytes of each part received, by part number (a part sent again replaces the old one). */
  readonly parts: Map<number, number>;
}

export function multipartRoutes(): MultipartRoutes {
  const uploads = new Map<string, OpenUpload>();
  const completed = new Map<string, number>();
  const counts = { create: 0, part: 0, complete: 0, abort: 0 };
  let nextId = 0;

  const route: LoopbackRoute = async (request, response, requestId) => {
    const url = new URL(request.url ?? "/", "http://loopback");
    const prefix = `/${BUCKET}/`;
    if (!url.pathname.startsWith(prefix) || url.pathname.length === prefix.length) return false;
    const key = decodeURIComponent(url.pathname.slice(prefix.length));
    const query = url.searchParams;
    const uploadId = query.get("uploadId");

    if (request.method === "POST" && query.has("uploads")) {
      await drain(request);
      const id = `bench-upload-${++nextId}`;
      uploads.set(id, { key, parts: new Map() });
      counts.create++;
      const algorithm = header(request, "x-amz-checksum-algorithm");
      sendXml(response, requestId, `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${BUCKET}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`, {
        ...(algorithm ? { "x-amz-checksum-algorithm": algorithm } : {}),
      });
      return true;
    }
    if (uploadId === null) return false;
    const upload = uploads.get(uploadId);
    if (upload === undefined || upload.key !== key) {
      await drain(request);
      sendError(response, requestId, 404, "NoSuchUpload", `no upload ${uploadId} for ${key}`);
      return true;
    }

    if (request.method === "PUT" && query.has("partNumber")) {
      const partNumber = Number(query.get("partNumber"));
      if (!(Number.isInteger(partNumber) && partNumber >= 1 && partNumber <= 10_000)) {
        await drain(request);
        sendError(response, requestId, 400, "InvalidArgument", `bad partNumber ${query.get("partNumber")}`);
        return true;
      }
      const { bytes, trailers } = await readPart(request);
      upload.parts.set(partNumber, bytes);
      counts.part++;
      // S3 answers with the part's checksum (from a header or the aws-chunked trailer).
      const checksums: Record<string, string> = {};
      for (const [name, value] of [...Object.entries(request.headers), ...trailers]) {
        if (name.startsWith("x-amz-checksum-") && name !== "x-amz-checksum-algorithm" && typeof value === "string") checksums[name] = value;
      }
      response.writeHead(200, { etag: `"part-${partNumber}-${bytes}"`, "x-amz-request-id": requestId, "x-amz-id-2": requestId, "content-length": 0, ...checksums });
      response.end();
      return true;
    }
    if (request.method === "POST") {
      const body = Buffer.concat(await collect(request)).toString("utf8");
      const listed = [...body.matchAll(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/g)].map((m) => Number(m[1]));
      const problem = partsProblem(listed, upload.parts);
      if (problem !== undefined) {
        sendError(response, requestId, 400, "InvalidPart", problem);
        return true;
      }
      const size = listed.reduce((sum, n) => sum + (upload.parts.get(n) ?? 0), 0);
      uploads.delete(uploadId);
      completed.set(key, size);
      counts.complete++;
      const location = `http://${request.headers.host ?? "127.0.0.1"}/${BUCKET}/${escapeXml(key)}`;
      sendXml(
        response,
        requestId,
        `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>${location}</Location><Bucket>${BUCKET}</Bucket><Key>${escapeXml(key)}</Key><ETag>"bench-${listed.length}"</ETag></CompleteMultipartUploadResult>`,
      );
      return true;
    }
    if (request.method === "DELETE") {
      await drain(request);
      uploads.delete(uploadId);
      counts.abort++;
      response.writeHead(204, { "x-amz-request-id": requestId, "x-amz-id-2": requestId });
      response.end();
      return true;
    }
    return false;
  };
  return { route, completed, counts };
}

/** Why CompleteMultipartUpload must fail for these parts, or undefined when S3 would accept them. */
function partsProblem(listed: readonly number[], received: ReadonlyMap<number, number>): string | undefined {
  if (listed.length === 0) return "no parts listed";
  for (const [i, n] of listed.entries()) {
    if (i > 0 && n <= (listed[i - 1] ?? 0)) return `part ${n} listed after part ${listed[i - 1]}: parts must be in ascending order`;
    const bytes = received.get(n);
    if (bytes === undefined) return `part ${n} was never uploaded`;
    if (i < listed.length - 1 && bytes < MIN_PART_BYTES) return `part ${n} has ${bytes} bytes: every part but the last must have at least ${MIN_PART_BYTES}`;
  }
  return undefined;
}

async function readPart(request: IncomingMessage): Promise<{ bytes: number; trailers: ReadonlyMap<string, string> }> {
  if (!isAwsChunked(request.headers)) return { bytes: await drain(request), trailers: new Map() };
  const counter = new AwsChunkedCounter();
  for await (const chunk of request as AsyncIterable<Buffer>) counter.push(chunk);
  const bytes = counter.end();
  const declared = header(request, "x-amz-decoded-content-length");
  if (declared !== undefined && Number(declared) !== bytes) throw new Error(`aws-chunked body of ${bytes} bytes, x-amz-decoded-content-length says ${declared}`);
  return { bytes, trailers: counter.trailers };
}

async function collect(request: IncomingMessage): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return chunks;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function sendXml(response: ServerResponse, requestId: string, xml: string, headers: Record<string, string> = {}): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  response.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body), "x-amz-request-id": requestId, "x-amz-id-2": requestId, ...headers });
  response.end(body);
}

function sendError(response: ServerResponse, requestId: string, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`;
  response.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body), "x-amz-request-id": requestId });
  response.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
