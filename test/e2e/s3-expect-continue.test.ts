// S3 uploads with Expect: 100-continue, end to end through the generated client. First
// S3's rule on its own (which operations, from which size). Then against s3rver, behind a
// small TCP proxy that records the bytes each way: a 3 MiB PutObject (and
// UploadPart) goes out with the header, only its head crosses before s3rver's 100 Continue,
// and GetObject returns the same bytes; a small body goes without the header. Against a
// loopback fake (no real server refuses on cue): a 403 before any 100 reaches the caller as
// a typed S3 error, and not one byte of the body was sent.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import { ServiceError, type HttpRequest } from "@stratus/core";
import { RequestBody } from "../../packages/core/src/http/request-body.ts";
import { definition, EXPECT_CONTINUE_THRESHOLD_BYTES, S3, S3ServiceError } from "../../packages/s3/src/index.ts";
import * as schema from "../../packages/s3/src/generated/schema.ts";
import { S3RVER_CREDENTIALS, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";

const BIG = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) % 256);

/** One connection's bytes as they crossed the proxy, in order: "up" to the server, "down" back. */
type Flow = Array<{ readonly direction: "up" | "down"; readonly bytes: Buffer }>;

interface RecordingProxy {
  readonly endpoint: string;
  readonly connections: Flow[];
  close(): Promise<void>;
}

/** A TCP proxy to `target` that keeps every byte it forwards. */
async function startRecordingProxy(target: URL): Promise<RecordingProxy> {
  const connections: Flow[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((client) => {
    const flow: Flow = [];
    connections.push(flow);
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("data", (bytes: Buffer) => flow.push({ direction: "up", bytes }));
    upstream.on("data", (bytes: Buffer) => flow.push({ direction: "down", bytes }));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What crossed for the exchange whose request line starts with `requestLine`. */
function exchangeOf(proxy: RecordingProxy, requestLine: string): { head: string; upBeforeFirstAnswer: string; firstAnswer: string } {
  for (const flow of proxy.connections) {
    const start = flow.findIndex((step) => step.direction === "up" && step.bytes.toString("latin1").startsWith(requestLine));
    if (start === -1) continue;
    let up = "";
    let index = start;
    for (; index < flow.length && flow[index]?.direction === "up"; index++) up += flow[index]?.bytes.toString("latin1") ?? "";
    const head = up.slice(0, up.indexOf("\r\n\r\n") + 4);
    return { head, upBeforeFirstAnswer: up, firstAnswer: flow[index]?.bytes.toString("latin1") ?? "" };
  }
  assert.fail(`no request starting with ${requestLine} crossed the proxy`);
}

describe("S3's rule: who asks for 100-continue", () => {
  const ask = (operation: typeof schema.PutObject, body: HttpRequest["body"], headers: Record<string, string> = {}): string | undefined => {
    const request: HttpRequest = { method: "PUT", protocol: "https:", hostname: "b.s3.amazonaws.com", path: "/k", query: [], headers, body };
    const hook = definition.hooks?.beforeSign;
    assert.ok(hook, "S3's definition carries its hooks");
    const out = hook(request, { operation, input: {}, attempt: 1 }) ?? request;
    assert.equal(request.headers["expect"], undefined, "the hook's input request is left as it was");
    return out.headers["expect"];
  };
  const at = (size: number): Record<string, string> => ({ "content-length": String(size) });

  it("PutObject and UploadPart from 2 MiB (by Content-Length or the body's own size), or of unknown length", () => {
    assert.equal(EXPECT_CONTINUE_THRESHOLD_BYTES, 2 * 1024 * 1024);
    const limit = EXPECT_CONTINUE_THRESHOLD_BYTES;
    assert.equal(ask(schema.PutObject, new Uint8Array(limit), at(limit)), "100-continue");
    assert.equal(ask(schema.PutObject, new Uint8Array(limit - 1), at(limit - 1)), undefined);
    assert.equal(ask(schema.UploadPart, new Uint8Array(limit)), "100-continue");
    assert.equal(ask(schema.UploadPart, "x".repeat(limit - 1)), undefined);
    assert.equal(ask(schema.PutObject, RequestBody.fromStream((async function* () {})())), "100-continue", "unknown length");
    assert.equal(ask(schema.PutObject, RequestBody.fromStream((async function* () {})(), { length: 10 })), undefined);
    // aws-chunked: the object's size decides, not the framed length.
    assert.equal(ask(schema.PutObject, new Uint8Array(0), { "content-length": String(limit + 100), "x-amz-decoded-content-length": "5" }), undefined);
  });

  it("not for other operations, nor without a body", () => {
    const big = new Uint8Array(EXPECT_CONTINUE_THRESHOLD_BYTES);
    assert.equal(ask(schema.PutBucketPolicy, big), undefined);
    assert.equal(ask(schema.PutObjectAcl, big), undefined);
    assert.equal(ask(schema.PutObject, undefined), undefined);
  });
});

describe("S3 Expect: 100-continue against s3rver", { timeout: 60_000 }, () => {
  let server: RunningServer;
  let proxy: RecordingProxy;
  let s3: S3;

  before(async () => {
    server = await startS3rver();
    proxy = await startRecordingProxy(new URL(server.endpoint));
    s3 = new S3({
      region: "us-east-1",
      endpoint: proxy.endpoint,
      credentials: S3RVER_CREDENTIALS,
      endpointParams: { ForcePathStyle: true },
      env: {},
    });
    await s3.createBucket({ Bucket: "expect-continue" });
  });
  after(async () => {
    await s3.destroy();
    await proxy.close();
    await server.close();
  });

  it("a 3 MiB PutObject carries the header, waits for s3rver's 100, and reads back the same bytes", async () => {
    assert.ok(BIG.byteLength >= EXPECT_CONTINUE_THRESHOLD_BYTES);
    const put = await s3.putObject({ Bucket: "expect-continue", Key: "big.bin", Body: BIG });
    assert.ok(put.ETag);
    assert.equal(put.$metadata.attempts, 1);

    const wire = exchangeOf(proxy, "PUT /expect-continue/big.bin");
    assert.match(wire.head, /\r\nexpect: 100-continue\r\n/i);
    assert.match(wire.head, new RegExp(`\\r\\ncontent-length: ${BIG.byteLength}\\r\\n`, "i"));
    assert.equal(wire.upBeforeFirstAnswer, wire.head, "nothing but the head went up before the server answered");
    assert.match(wire.firstAnswer, /^HTTP\/1\.1 100 Continue\r\n/);

    const got = await s3.getObject({ Bucket: "expect-continue", Key: "big.bin" });
    assert.deepEqual(await got.Body?.bytes(), BIG);
  });

  it("UploadPart of 3 MiB carries it too; a small PutObject does not", async () => {
    const upload = await s3.createMultipartUpload({ Bucket: "expect-continue", Key: "parts.bin" });
    const part = await s3.uploadPart({ Bucket: "expect-continue", Key: "parts.bin", UploadId: upload.UploadId ?? "", PartNumber: 1, Body: BIG });
    assert.ok(part.ETag);
    assert.match(exchangeOf(proxy, "PUT /expect-continue/parts.bin?").head, /\r\nexpect: 100-continue\r\n/i);
    // (s3rver has no AbortMultipartUpload: completing the upload ends it.)
    await s3.completeMultipartUpload({
      Bucket: "expect-continue",
      Key: "parts.bin",
      UploadId: upload.UploadId ?? "",
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
    });
    const whole = await s3.getObject({ Bucket: "expect-continue", Key: "parts.bin" });
    assert.deepEqual(await whole.Body?.bytes(), BIG);

    await s3.putObject({ Bucket: "expect-continue", Key: "small.txt", Body: "small body" });
    const small = exchangeOf(proxy, "PUT /expect-continue/small.txt");
    assert.doesNotMatch(small.head, /\r\nexpect:/i);
    const got = await s3.getObject({ Bucket: "expect-continue", Key: "small.txt" });
    assert.equal(await got.Body?.text(), "small body");
  });
});

describe("S3 Expect: 100-continue refused before the body", { timeout: 30_000 }, () => {
  let fake: { endpoint: string; received: number[]; closed: Array<Promise<void>>; close(): Promise<void> };
  let s3: S3;

  before(async () => {
    const received: number[] = [];
    const closed: Array<Promise<void>> = [];
    const server = createHttpServer();
    // Every upload is refused at once, as S3 does for a caller its policy denies (with or
    // without the expectation, so that a client that does not ask fails this test quickly).
    const refuse = (req: IncomingMessage, res: ServerResponse): void => {
      const index = received.push(0) - 1;
      req.on("data", (chunk: Buffer) => (received[index] = (received[index] ?? 0) + chunk.byteLength));
      closed.push(new Promise((resolve) => req.socket.once("close", () => resolve())));
      res.writeHead(403, { "content-type": "application/xml", "x-amz-request-id": "DENIED1", "x-amz-id-2": "HOST1" });
      res.end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>DENIED1</RequestId><HostId>HOST1</HostId></Error>");
    };
    server.on("checkContinue", refuse);
    server.on("request", refuse);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake = {
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      received,
      closed,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
    s3 = new S3({
      region: "us-east-1",
      endpoint: fake.endpoint,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" },
      endpointParams: { ForcePathStyle: true },
      env: {},
    });
  });
  after(async () => {
    await s3.destroy();
    await fake.close();
  });

  it("a 403 before any 100 is a typed S3 error, and no byte of the body was sent", async () => {
    const error = await s3.putObject({ Bucket: "b", Key: "denied.bin", Body: BIG }).then(
      () => assert.fail("expected AccessDenied"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof S3ServiceError);
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "AccessDenied");
    assert.equal(error.message, "Access Denied");
    assert.equal(error.$metadata.httpStatusCode, 403);
    assert.equal(error.$metadata.requestId, "DENIED1");
    assert.equal(error.$metadata.attempts, 1);

    assert.equal(fake.received.length, 1);
    // The client closes the connection it did not send the body on; by then nothing came.
    await fake.closed[0];
    assert.equal(fake.received[0], 0);
  });
});
