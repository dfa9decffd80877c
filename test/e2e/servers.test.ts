// The real local servers start, answer a signed request made with the core's own signer
// and stop without leaving a handle: the ground the end-to-end suites stand on.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { signRequest, type HttpRequest } from "@stratus/core";
import { simpleRequest } from "../../packages/core/src/http/simple-request.ts";
import { requestUrl } from "../../packages/core/src/http/http-request.ts";
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS, startDynalite, startKinesalite, startS3rver, startSqs, type RunningServer } from "../../scripts/local-servers.ts";

async function signedCall(server: RunningServer, service: string, credentials: { accessKeyId: string; secretAccessKey: string }, request: Omit<HttpRequest, "protocol" | "hostname" | "port">) {
  const url = new URL(server.endpoint);
  const unsigned: HttpRequest = { ...request, protocol: "http:", hostname: url.hostname, port: Number(url.port) };
  const signed = signRequest(unsigned, { credentials, region: "us-east-1", service, ...(service === "s3" ? { uriEscapePath: false, normalizePath: false, addContentSha256Header: true } : {}) });
  const body = signed.request.body;
  return simpleRequest({ method: signed.request.method as "GET" | "POST", url: requestUrl(signed.request), headers: signed.request.headers, ...(body !== undefined ? { body } : {}), timeoutMs: 10_000 });
}

function jsonCall(target: string, contentType: string, body: object): Omit<HttpRequest, "protocol" | "hostname" | "port"> {
  return { method: "POST", path: "/", query: [], headers: { "x-amz-target": target, "content-type": contentType }, body: JSON.stringify(body) };
}

describe("real local AWS servers", () => {
  it("s3rver answers ListBuckets", async () => {
    const server = await startS3rver();
    try {
      const res = await signedCall(server, "s3", S3RVER_CREDENTIALS, { method: "GET", path: "/", query: [], headers: {} });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<ListAllMyBucketsResult/);
    } finally {
      await server.close();
    }
  });

  it("dynalite answers ListTables", async () => {
    const server = await startDynalite();
    try {
      const res = await signedCall(server, "dynamodb", LOCAL_CREDENTIALS, jsonCall("DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", {}));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(JSON.parse(res.body), { TableNames: [] });
    } finally {
      await server.close();
    }
  });

  it("kinesalite answers ListStreams", async () => {
    const server = await startKinesalite();
    try {
      const res = await signedCall(server, "kinesis", LOCAL_CREDENTIALS, jsonCall("Kinesis_20131202.ListStreams", "application/x-amz-json-1.1", {}));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(JSON.parse(res.body).StreamNames, []);
    } finally {
      await server.close();
    }
  });

  it("local-aws-sqs answers ListQueues over JSON", async () => {
    const server = await startSqs();
    try {
      const res = await signedCall(server, "sqs", LOCAL_CREDENTIALS, jsonCall("AmazonSQS.ListQueues", "application/x-amz-json-1.0", {}));
      assert.equal(res.statusCode, 200);
      assert.ok(typeof JSON.parse(res.body) === "object");
    } finally {
      await server.close();
    }
  });
});
