/**
 * A loopback proxy in front of s3rver for the transfer manager's failure tests. It forwards
 * every request to s3rver as it came and adds the two things s3rver lacks:
 *
 *   fault injection   `intercept` sees each request first and may answer it instead
 *                     (a 500 for UploadPart of part 3, twice; a 400 for it, always)
 *   a multipart ledger  s3rver 3.7 implements neither AbortMultipartUpload nor
 *                     ListMultipartUploads. The proxy records each upload s3rver created,
 *                     drops it on a successful CompleteMultipartUpload or on
 *                     AbortMultipartUpload (answered 204 here, as S3 does), and answers
 *                     ListMultipartUploads from that record: S3's rule that an upload lives
 *                     from Create until Complete or Abort.
 *
 * `requests` lists what reached the proxy (method, path, query, headers, body size; the
 * small XML body of CompleteMultipartUpload in full), and `peakInFlight` how many requests
 * of one kind were open at once. `reset()` forgets both and the interception (not the ledger).
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage["headers"];
  /** Bytes of the request body (known once it was read). */
  bodyBytes: number;
  /** The text of a Complete request's body. */
  text?: string;
  /** The status the client got. */
  status?: number;
}

export interface InjectedResponse {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface LiveUpload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
}

export interface MultipartProxy {
  readonly endpoint: string;
  readonly requests: ProxiedRequest[];
  /** Answer a request here instead of forwarding it (undefined: forward). */
  intercept: ((request: ProxiedRequest) => InjectedResponse | undefined) | undefined;
  /** Hold a request until the promise settles, then handle it as usual (undefined: at once). */
  hold: ((request: ProxiedRequest) => Promise<void> | undefined) | undefined;
  /** Resolves when the next request of `operation` has been answered. */
  answered(operation: string): Promise<ProxiedRequest>;
  /** The most requests of one operation that were open at once (from arrival to the response's end). */
  peakInFlight(operation: string): number;
  /** Uploads created and neither completed nor aborted. */
  liveUploads(): LiveUpload[];
  /** The requests of one kind: "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload", "PutObject", "GetObject". */
  sent(operation: string): ProxiedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export function operationOf(request: Pick<ProxiedRequest, "method" | "query" | "path">): string {
  const { method, query } = request;
  const hasKey = request.path.split("/").filter(Boolean).length > 1;
  if (method === "POST" && query.has("uploads")) return "CreateMultipartUpload";
  if (method === "PUT" && query.has("uploadId")) return "UploadPart";
  if (method === "POST" && query.has("uploadId")) return "CompleteMultipartUpload";
  if (method === "DELETE" && query.has("uploadId")) return "AbortMultipartUpload";
  if (method === "GET" && !hasKey && query.has("uploads")) return "ListMultipartUploads";
  if (method === "PUT" && hasKey) return "PutObject";
  if (method === "GET" && hasKey) return "GetObject";
  return `${method} ${request.path}`;
}

export async function startMultipartProxy(upstream: string): Promise<MultipartProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const live = new Map<string, LiveUpload>();
  const open = new Map<string, number>();
  const peaks = new Map<string, number>();
  const waiters: { operation: string; resolve: (request: ProxiedRequest) => void }[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const record: ProxiedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, bodyBytes: 0 };
    requests.push(record);
    const operation = operationOf(record);
    open.set(operation, (open.get(operation) ?? 0) + 1);
    peaks.set(operation, Math.max(peaks.get(operation) ?? 0, open.get(operation) ?? 0));
    res.on("close", () => {
      open.set(operation, (open.get(operation) ?? 1) - 1);
      for (const waiter of waiters.filter((w) => w.operation === operation)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(record);
      }
    });
    req.on("data", (chunk: Buffer) => {
      record.bodyBytes += chunk.length;
    });
    const held = proxy.hold?.(record);
    if (held === undefined) handle(req, res, record, url, operation);
    else {
      req.pause();
      void held.finally(() => handle(req, res, record, url, operation));
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse, record: ProxiedRequest, url: URL, operation: string): void {
    const injected = proxy.intercept?.(record);
    if (injected !== undefined) {
      record.status = injected.status;
      // The body is read (and dropped) first, as a server that failed after receiving it would.
      req.resume();
      req.on("end", () => answerXml(res, injected.status, errorXml(injected.code, injected.message)));
      return;
    }
    if (operation === "AbortMultipartUpload") {
      req.resume();
      req.on("end", () => {
        const uploadId = url.searchParams.get("uploadId") ?? "";
        const known = live.delete(uploadId);
        record.status = known ? 204 : 404;
        if (known) {
          res.writeHead(204).end();
        } else {
          answerXml(res, 404, errorXml("NoSuchUpload", "The specified upload does not exist."));
        }
      });
      return;
    }
    if (operation === "ListMultipartUploads") {
      req.resume();
      req.on("end", () => {
        const bucket = url.pathname.split("/").filter(Boolean)[0] ?? "";
        record.status = 200;
        answerXml(res, 200, listXml(bucket, [...live.values()].filter((u) => u.bucket === bucket)));
      });
      return;
    }

    const textBody: Buffer[] = [];
    if (operation === "CompleteMultipartUpload") req.on("data", (chunk: Buffer) => textBody.push(chunk));
    const upstreamRequest = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upstreamResponse) => {
        record.status = upstreamResponse.statusCode ?? 0;
        const ok = record.status >= 200 && record.status < 300;
        if (operation === "CreateMultipartUpload" && ok) {
          const chunks: Buffer[] = [];
          upstreamResponse.on("data", (chunk: Buffer) => chunks.push(chunk));
          upstreamResponse.on("end", () => {
            const xml = Buffer.concat(chunks).toString("utf8");
            const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1];
            const [bucket = "", ...key] = url.pathname.split("/").filter(Boolean);
            if (uploadId !== undefined) live.set(uploadId, { bucket, key: decodeURIComponent(key.join("/")), uploadId });
            res.writeHead(record.status ?? 200, upstreamResponse.headers).end(xml);
          });
          return;
        }
        if (operation === "CompleteMultipartUpload" && ok) live.delete(url.searchParams.get("uploadId") ?? "");
        res.writeHead(record.status, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on("error", () => res.destroy());
    req.on("end", () => {
      if (textBody.length > 0) record.text = Buffer.concat(textBody).toString("utf8");
    });
    // The client went away (an aborted part): stop the upstream request too.
    res.on("close", () => {
      if (!res.writableFinished) upstreamRequest.destroy();
    });
    req.pipe(upstreamRequest);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: MultipartProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    intercept: undefined,
    hold: undefined,
    answered: (operation) => new Promise((resolve) => waiters.push({ operation, resolve })),
    liveUploads: () => [...live.values()],
    peakInFlight: (operation) => peaks.get(operation) ?? 0,
    sent: (operation) => requests.filter((r) => operationOf(r) === operation),
    reset: () => {
      proxy.intercept = undefined;
      proxy.hold = undefined;
      requests.length = 0;
      peaks.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

function answerXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { "content-type": "application/xml", "x-amz-request-id": "PROXY" }).end(xml);
}

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>PROXY</RequestId></Error>`;
}

function listXml(bucket: string, uploads: readonly LiveUpload[]): string {
  const entries = uploads.map((u) => `<Upload><Key>${u.key}</Key><UploadId>${u.uploadId}</UploadId><StorageClass>STANDARD</StorageClass></Upload>`).join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Bucket>${bucket}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
    `${entries}</ListMultipartUploadsResult>`
  );
}
