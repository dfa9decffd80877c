// The wire log (`logHttp`) through a real client and a loopback server: off unless both a
// debug logger and logHttp are there; each attempt's request and response lines with
// what they promise (method, URL, headers, body size, status, request id, attempt,
// duration), redacted; bodies only with `bodies: true`; a streamed payload never read for
// the log; a throwing logger harmless; and consoleLogger's line format.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceClient } from "../../src/client/service-client.ts";
import type { ClientConfig, Logger } from "../../src/client/config.ts";
import type { ResponseBody } from "../../src/http/response-body.ts";
import { consoleLogger } from "../../src/logging/console-logger.ts";
import { REDACTED } from "../../src/logging/redact.ts";
import { sendJson, startLoopbackServer } from "../support/loopback-server.ts";
import { fastRetry, loadService, loopbackConfig, op } from "../client/service-fixtures.ts";

const dynamodb = loadService("dynamodb", "2012-08-10");
const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789abcdefghijkl";
const SESSION_CREDENTIALS = { accessKeyId: "ASIAEXAMPLELOGTEST", secretAccessKey: SECRET, sessionToken: TOKEN };

interface Line {
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

function capture(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  return { lines, logger: { debug: (message, details = {}) => lines.push({ message, details }) } };
}

async function withDynamo<T>(config: ClientConfig, body: (client: ServiceClient, requests: number) => Promise<T>): Promise<T> {
  const server = await startLoopbackServer((req, res) => {
    res.setHeader("x-amzn-requestid", `req-${server.requests.length}`);
    res.setHeader("set-cookie", `AWSALB=${TOKEN}; Path=/`);
    if (server.requests.length === 1) return sendJson(res, { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError" }, 500);
    sendJson(res, { Item: { id: { S: "1" }, note: { S: "hello" }, password: { S: "hunter2" } } });
  });
  const client = new ServiceClient(dynamodb.definition, loopbackConfig(server.url, { credentials: SESSION_CREDENTIALS, ...config }));
  try {
    return await body(client, server.requests.length);
  } finally {
    await client.destroy();
    await server.close();
  }
}

const getItem = { TableName: "t", Key: { id: { S: "1" } } };

test("nothing is logged without logHttp, nor with logHttp but a logger without debug", async () => {
  const { logger, lines } = capture();
  await withDynamo({ logger }, (client) => client.send(op(dynamodb, "GetItem"), getItem));
  // The pipeline's own attempt-failure line is there (it was before logHttp); no wire lines.
  assert.deepEqual(lines.map((l) => l.message), ["DynamoDB.GetItem attempt 1 failed", "DynamoDB.GetItem succeeded"]);

  let warned = 0;
  await withDynamo({ logger: { warn: () => warned++ }, logHttp: true }, (client) => client.send(op(dynamodb, "GetItem"), getItem));
  assert.equal(warned, 0);
});

test("each attempt's request and response are logged, redacted, with attempt, status, request id and duration", async () => {
  const { logger, lines } = capture();
  await withDynamo({ logger, logHttp: true, retryStrategy: fastRetry(3) }, (client) => client.send(op(dynamodb, "GetItem"), getItem));
  const wire = lines.filter((l) => / (request|response \d+)$/.test(l.message));
  assert.deepEqual(wire.map((l) => l.message), [
    "DynamoDB.GetItem attempt 1 request",
    "DynamoDB.GetItem attempt 1 response 500",
    "DynamoDB.GetItem attempt 2 request",
    "DynamoDB.GetItem attempt 2 response 200",
  ]);
  const [request, failed, , response] = wire as [Line, Line, Line, Line];
  assert.equal(request.details["method"], "POST");
  assert.match(String(request.details["url"]), /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const headers = request.details["headers"] as Record<string, string>;
  assert.equal(headers["authorization"], "AWS4-HMAC-SHA256 Credential=<redacted>");
  assert.equal(headers["x-amz-security-token"], REDACTED);
  assert.equal(headers["x-amz-target"], "DynamoDB_20120810.GetItem");
  assert.match(headers["x-amz-date"] ?? "", /^\d{8}T\d{6}Z$/);
  assert.equal(headers["amz-sdk-request"], "attempt=1; max=3");
  assert.equal(request.details["body"], `${JSON.stringify(getItem).length} bytes`);

  assert.equal(failed.details["statusCode"], 500);
  assert.equal(failed.details["requestId"], "req-1");
  assert.equal(response.details["statusCode"], 200);
  assert.equal(response.details["requestId"], "req-2");
  assert.equal(typeof response.details["durationMs"], "number");
  assert.equal((response.details["headers"] as Record<string, string>)["set-cookie"], REDACTED);
  assert.match(String(response.details["body"]), /^\d+ bytes$/);

  const everything = JSON.stringify(lines);
  for (const secret of [SECRET, TOKEN, "ASIAEXAMPLELOGTEST"]) assert.ok(!everything.includes(secret), `${secret} leaked`);
});

test("bodies: true shows textual bodies, redacted; member values appear, secret-named fields do not", async () => {
  const { logger, lines } = capture();
  await withDynamo({ logger, logHttp: { bodies: true } }, (client) => client.send(op(dynamodb, "GetItem"), getItem));
  const request = lines.find((l) => l.message === "DynamoDB.GetItem attempt 2 request");
  assert.deepEqual(JSON.parse(String(request?.details["body"])), getItem);
  const response = lines.find((l) => l.message === "DynamoDB.GetItem attempt 2 response 200");
  assert.deepEqual(JSON.parse(String(response?.details["body"])), { Item: { id: { S: "1" }, note: { S: "hello" }, password: REDACTED } });
  assert.ok(!JSON.stringify(lines).includes("hunter2"));
});

test("a streamed payload is described, never read for the log; a binary body stays a size even with bodies on", async () => {
  const server = await startLoopbackServer((req, res) => {
    if (req.method === "PUT") {
      res.writeHead(200, { etag: '"e"' });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": "5", "x-amz-request-id": "s3-req", "x-amz-id-2": "host-id" });
    res.end("12345");
  });
  const { logger, lines } = capture();
  const client = new ServiceClient(s3.definition, loopbackConfig(server.url, { logger, logHttp: { bodies: true }, requestChecksumCalculation: "when_required" }));
  try {
    const got = await client.send<{ Body: ResponseBody }>(op(s3, "GetObject"), { Bucket: "b", Key: "k" });
    assert.equal(await got.Body.text(), "12345", "the log did not consume the caller's stream");
    await client.send(op(s3, "PutObject"), { Bucket: "b", Key: "k", Body: new Uint8Array([0, 159, 146, 150]), ContentType: "application/octet-stream" });
  } finally {
    await client.destroy();
    await server.close();
  }
  const response = lines.find((l) => l.message === "S3.GetObject attempt 1 response 200");
  assert.equal(response?.details["body"], "a stream of 5 bytes, left to the caller");
  assert.equal(response?.details["requestId"], "s3-req");
  assert.equal(response?.details["extendedRequestId"], "host-id");
  const put = lines.find((l) => l.message === "S3.PutObject attempt 1 request");
  assert.equal(put?.details["body"], "4 bytes (not text)");
  assert.match(String(put?.details["url"]), /\/b\/k$/);
});

test("a logger that throws on a wire line does not fail the call", async () => {
  const logger: Logger = {
    debug(message) {
      if (/ (request|response \d+)$/.test(message)) throw new Error("the log sink is full");
    },
  };
  const out = await withDynamo({ logger, logHttp: true }, (client) => client.send(op(dynamodb, "GetItem"), getItem)).catch((error: unknown) => error);
  assert.ok(!(out instanceof Error), String(out));
});

test("a logger that always throws fails no call: the pipeline's own lines (succeeded, attempt failed) are guarded too", async () => {
  const logger: Logger = {
    debug() {
      throw new Error("the log sink is gone");
    },
  };
  const out = await withDynamo({ logger }, (client) => client.send(op(dynamodb, "GetItem"), getItem)).catch((error: unknown) => error);
  assert.ok(!(out instanceof Error), String(out));
});

test("consoleLogger: one line a message, details as JSON; debug only at level debug", () => {
  const written: string[] = [];
  const now = () => new Date("2030-05-06T07:08:09.123Z");
  const debug = consoleLogger({ level: "debug", write: (line) => written.push(line), now });
  debug.debug?.("S3.GetObject attempt 1 response 200", { statusCode: 200, requestId: "r" });
  debug.warn?.("careful");
  assert.deepEqual(written, [
    '2030-05-06T07:08:09.123Z stratus debug: S3.GetObject attempt 1 response 200 {"statusCode":200,"requestId":"r"}',
    "2030-05-06T07:08:09.123Z stratus warn: careful",
  ]);
  const quiet = consoleLogger({ write: (line) => written.push(line), now });
  assert.equal(quiet.debug, undefined, "a warn-level logger has no debug, so logHttp stays off");
  const cyclic: Record<string, unknown> = {};
  cyclic["self"] = cyclic;
  quiet.warn?.("odd", cyclic);
  assert.equal(written.at(-1), "2030-05-06T07:08:09.123Z stratus warn: odd {self: not printable as JSON}");
});
