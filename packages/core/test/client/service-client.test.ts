// ServiceClient end to end against loopback fakes, with real schemas and endpoint rule sets:
// a json (SQS, DynamoDB), a rest-xml (S3) and a query (STS) round trip; error mapping to
// modelled and base classes; hooks; buildRequest; validation before anything is sent;
// nothing done at construction.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceClient } from "../../src/client/service-client.ts";
import { AbortError, ValidationError } from "../../src/errors/index.ts";
import { ServiceError } from "../../src/errors/service-error.ts";
import type { ResponseBody } from "../../src/http/response-body.ts";
import { sendJson, startLoopbackServer } from "../support/loopback-server.ts";
import { loadService, loopbackConfig, op } from "./service-fixtures.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STRATUS_VERSION } from "../../src/client/steps/user-agent.ts";

const sqs = loadService("sqs", "2012-11-05");
const dynamodb = loadService("dynamodb", "2012-08-10");
const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });
const sts = loadService("sts", "2011-06-15");

test("json round trip (SQS SendMessage): the signed request on the wire and the parsed output with $metadata", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("x-amzn-requestid", "req-123");
    sendJson(res, { MessageId: "m-1", MD5OfMessageBody: "5d41402abc4b2a76b9719d911017c592" });
  });
  await using client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    const out = await client.send<{ MessageId?: string; MD5OfMessageBody?: string }>(op(sqs, "SendMessage"), {
      QueueUrl: `${server.url}/123456789012/q`,
      MessageBody: "hello",
    });
    assert.equal(out.MessageId, "m-1");
    assert.deepEqual(out.$metadata, { httpStatusCode: 200, requestId: "req-123", extendedRequestId: undefined, attempts: 1, totalRetryDelay: 0 });

    assert.equal(server.requests.length, 1);
    const [req] = server.requests;
    assert.ok(req);
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/");
    assert.equal(req.headers["x-amz-target"], "AmazonSQS.SendMessage");
    assert.equal(req.headers["content-type"], "application/x-amz-json-1.0");
    assert.deepEqual(JSON.parse(req.body), { QueueUrl: `${server.url}/123456789012/q`, MessageBody: "hello" });
    assert.match(String(req.headers["authorization"]), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/sqs\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
    assert.match(String(req.headers["amz-sdk-invocation-id"]), /^[0-9a-f-]{36}$/);
    assert.equal(req.headers["amz-sdk-request"], "attempt=1; max=3");
    assert.match(String(req.headers["user-agent"]), new RegExp(`^stratus/${STRATUS_VERSION.replace(/\./g, "\\.")} ua/2\\.1 .*api/sqs#`));
    assert.equal(req.headers["x-amz-user-agent"], req.headers["user-agent"]);
    assert.equal(req.headers["host"], `127.0.0.1:${server.port}`);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("the user agent's version is the package's", () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string };
  assert.equal(STRATUS_VERSION, pkg.version);
});

test("rest-xml round trip (S3): PutObject bytes, ListObjectsV2 XML, GetObject's Body handed back live", async () => {
  const objects = new Map<string, string>();
  const server = await startLoopbackServer((req, res) => {
    res.setHeader("x-amz-request-id", "s3-req");
    res.setHeader("x-amz-id-2", "s3-host-id");
    const url = new URL(req.url, "http://x");
    if (req.method === "PUT") {
      objects.set(url.pathname, req.body);
      res.setHeader("etag", '"abc"');
      res.end();
    } else if (url.searchParams.get("list-type") === "2") {
      res.setHeader("content-type", "application/xml");
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
          `<Name>bucket</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>` +
          `<Contents><Key>dir/a b.txt</Key><Size>11</Size></Contents></ListBucketResult>`,
      );
    } else {
      const body = objects.get(url.pathname);
      if (body === undefined) {
        res.writeHead(404, { "content-type": "application/xml" });
        res.end(`<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>x</Key><RequestId>r404</RequestId><HostId>h404</HostId></Error>`);
        return;
      }
      res.setHeader("content-type", "text/plain");
      res.setHeader("content-length", String(Buffer.byteLength(body)));
      res.end(body);
    }
  });
  const client = new ServiceClient(s3.definition, loopbackConfig(server.url));
  try {
    const put = await client.send<{ ETag?: string }>(op(s3, "PutObject"), { Bucket: "bucket", Key: "dir/a b.txt", Body: "hello world" });
    assert.equal(put.ETag, '"abc"');
    assert.equal(put.$metadata.requestId, "s3-req");
    assert.equal(put.$metadata.extendedRequestId, "s3-host-id");
    const putReq = server.requests[0];
    assert.ok(putReq);
    assert.equal(putReq.url, "/bucket/dir/a%20b.txt");
    assert.equal(putReq.body, "hello world");
    // S3 signs with the payload hash in x-amz-content-sha256.
    assert.equal(putReq.headers["x-amz-content-sha256"], "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    assert.match(String(putReq.headers["authorization"]), /\/us-east-1\/s3\/aws4_request/);

    const list = await client.send<{ Contents?: Array<{ Key?: string; Size?: number }>; KeyCount?: number }>(op(s3, "ListObjectsV2"), { Bucket: "bucket" });
    assert.deepEqual(list.Contents, [{ Key: "dir/a b.txt", Size: 11 }]);
    assert.equal(server.requests[1]?.url, "/bucket?list-type=2");

    {
      await using got = await client.send<{ Body: ResponseBody; ContentLength?: number; ContentType?: string } & AsyncDisposable>(op(s3, "GetObject"), { Bucket: "bucket", Key: "dir/a b.txt" });
      assert.equal(got.ContentLength, 11);
      assert.equal(got.ContentType, "text/plain");
      assert.equal(got.$metadata.httpStatusCode, 200);
      assert.equal(await got.Body.text(), "hello world");
    }
    {
      // A streamed body can be iterated, and disposing of an unread one releases it.
      const got = await client.send<{ Body: ResponseBody }>(op(s3, "GetObject"), { Bucket: "bucket", Key: "dir/a b.txt" });
      const chunks: Uint8Array[] = [];
      for await (const chunk of got.Body) chunks.push(chunk);
      assert.equal(Buffer.concat(chunks).toString(), "hello world");
      const again = await client.send<{ Body: ResponseBody }>(op(s3, "GetObject"), { Bucket: "bucket", Key: "dir/a b.txt" });
      await again.Body.cancel();
      assert.equal(again.Body.bodyUsed, true);
    }

    // The error of a streaming operation is buffered and parsed like any other.
    const NoSuchKey = s3.errors["NoSuchKey"];
    assert.ok(NoSuchKey);
    await assert.rejects(client.send(op(s3, "GetObject"), { Bucket: "bucket", Key: "missing" }), (error: unknown) => {
      assert.ok(error instanceof NoSuchKey);
      assert.ok(error instanceof s3.baseError);
      assert.ok(error instanceof ServiceError);
      assert.equal(error.code, "NoSuchKey");
      assert.equal(error.$fault, "client");
      assert.deepEqual(error.$metadata, { httpStatusCode: 404, requestId: "r404", extendedRequestId: "s3-host-id", attempts: 1, totalRetryDelay: 0 });
      return true;
    });
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("query round trip (STS GetCallerIdentity): form body, result wrapper, request id from the body", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("content-type", "text/xml");
    res.end(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDA</UserId><Account>123456789012</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>sts-req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  });
  const client = new ServiceClient(sts.definition, loopbackConfig(server.url));
  try {
    const out = await client.send<{ Account?: string; Arn?: string }>(op(sts, "GetCallerIdentity"), {});
    assert.equal(out.Account, "123456789012");
    assert.equal(out.Arn, "arn:aws:iam::123456789012:user/alice");
    assert.equal(out.$metadata.requestId, "sts-req-1");
    const req = server.requests[0];
    assert.ok(req);
    assert.equal(req.body, "Action=GetCallerIdentity&Version=2011-06-15");
    assert.match(String(req.headers["authorization"]), /\/us-east-1\/sts\/aws4_request/);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("a modelled error becomes its class, with code, fields, $fault and $metadata", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("x-amzn-requestid", "ddb-req");
    sendJson(
      res,
      {
        __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        message: "The conditional request failed",
        Item: { id: { S: "1" }, n: { N: "2" } },
      },
      400,
    );
  });
  const client = new ServiceClient(dynamodb.definition, loopbackConfig(server.url));
  const Conditional = dynamodb.errors["ConditionalCheckFailedException"];
  assert.ok(Conditional);
  try {
    await assert.rejects(
      client.send(op(dynamodb, "PutItem"), { TableName: "t", Item: { id: { S: "1" } }, ConditionExpression: "attribute_not_exists(id)" }),
      (error: unknown) => {
        assert.ok(error instanceof Conditional);
        assert.ok(error instanceof dynamodb.baseError);
        assert.equal(error.name, "ConditionalCheckFailedException");
        assert.equal(error.code, "ConditionalCheckFailedException");
        assert.equal(error.message, "The conditional request failed");
        assert.deepEqual((error as unknown as { Item: unknown }).Item, { id: { S: "1" }, n: { N: "2" } });
        assert.equal(error.$fault, "client");
        assert.deepEqual(error.$metadata, { httpStatusCode: 400, requestId: "ddb-req", extendedRequestId: undefined, attempts: 1, totalRetryDelay: 0 });
        assert.equal(error.$response.headers["x-amzn-requestid"], "ddb-req");
        return true;
      },
    );
    assert.equal(server.requests.length, 1, "a client error is not retried");
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("an awsQuery-compatible error keeps the query code and still finds its class (SQS)", async () => {
  const server = await startLoopbackServer((_req, res) => {
    res.setHeader("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
    sendJson(res, { __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." }, 400);
  });
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  const QueueDoesNotExist = sqs.errors["QueueDoesNotExist"];
  assert.ok(QueueDoesNotExist);
  try {
    await assert.rejects(client.send(op(sqs, "GetQueueUrl"), { QueueName: "nope" }), (error: unknown) => {
      assert.ok(error instanceof QueueDoesNotExist);
      assert.equal(error.code, "AWS.SimpleQueueService.NonExistentQueue");
      assert.equal((error as unknown as { message: string }).message, "The specified queue does not exist.");
      return true;
    });
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("an unmodelled code becomes the service's base class; a 5xx one is a server fault", async () => {
  let status = 400;
  const server = await startLoopbackServer((_req, res) => sendJson(res, { __type: "BrandNewException", message: "new" }, status));
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url, { maxAttempts: 1, retryStrategy: undefined }));
  try {
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}), (error: unknown) => {
      assert.ok(error instanceof sqs.baseError);
      assert.equal(Object.values(sqs.errors).some((cls) => error instanceof cls), false);
      assert.equal((error as ServiceError).code, "BrandNewException");
      assert.equal((error as ServiceError).$fault, "client");
      return true;
    });
    status = 500;
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}), (error: unknown) => {
      assert.ok(error instanceof sqs.baseError);
      assert.equal((error as ServiceError).$fault, "server");
      assert.equal((error as ServiceError).$metadata.attempts, 1);
      return true;
    });
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("validation: every problem at once, one ValidationError, nothing sent", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, {}));
  const client = new ServiceClient(dynamodb.definition, loopbackConfig(server.url));
  try {
    await assert.rejects(
      client.send(op(dynamodb, "PutItem"), { Item: { name: { S: 5 }, tags: { SS: "a" } }, ReturnValue: "ALL_OLD" }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.operation, "PutItem");
        assert.deepEqual(
          error.problems.map((p) => p.path).sort(),
          ["input.Item.name.S", "input.Item.tags.SS", "input.ReturnValue", "input.TableName"],
        );
        assert.match(error.message, /input\.ReturnValue: unknown member of PutItemInput \(did you mean ReturnValues\?\)/);
        assert.match(error.message, /input\.TableName: required member is missing/);
        assert.match(error.message, /input\.Item\.name\.S: expected a string, got a number/);
        assert.deepEqual(error.$metadata, { attempts: 0, totalRetryDelay: 0 });
        return true;
      },
    );
    // An empty URI label is caught too (S3 GetObject with Key "").
    const s3client = new ServiceClient(s3.definition, loopbackConfig(server.url));
    await assert.rejects(s3client.send(op(s3, "GetObject"), { Bucket: "b", Key: "" }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems.map((p) => p.path), ["input.Key", "input.Key"]);
      return true;
    });
    await s3client.destroy();
    assert.equal(server.requests.length, 0);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("a client constructed and never used reads nothing and opens nothing", async () => {
  const before = process.getActiveResourcesInfo().length;
  const client = new ServiceClient(sqs.definition, { region: "us-east-1", env: { HOME: "/nonexistent-stratus-home" } });
  assert.equal(process.getActiveResourcesInfo().length, before);
  await client.destroy();
  // After destroy, calls fail clearly.
  await assert.rejects(client.send(op(sqs, "ListQueues"), {}), /destroyed/);
});

test("hooks run in order: endpointParams, beforeSign (may replace the request), afterResponse (may fail a 200), afterParse", async () => {
  const seen: string[] = [];
  let answerWithError = false;
  const server = await startLoopbackServer((_req, res) => sendJson(res, answerWithError ? { __type: "InternalFailure" } : { QueueUrls: ["u1"] }));
  const client = new ServiceClient({
    ...sqs.definition,
    hooks: {
      beforeSign(request, context) {
        seen.push(`service.beforeSign#${context.attempt}`);
        request.headers["x-service-hook"] = "1";
      },
      afterResponse(response) {
        seen.push("service.afterResponse");
        if (answerWithError && response.statusCode === 200) return { statusCode: 500 };
      },
    },
  }, loopbackConfig(server.url, {
    maxAttempts: 1,
    retryStrategy: undefined,
    hooks: {
      endpointParams(params, context) {
        seen.push(`client.endpointParams#${context.attempt}:${String(params["Region"])}`);
      },
      beforeSign(request) {
        seen.push("client.beforeSign");
        return { ...request, headers: { ...request.headers, "x-client-hook": request.headers["x-service-hook"] ?? "missing" } };
      },
      afterParse(output) {
        seen.push("client.afterParse");
        output["Extra"] = true;
      },
    },
  }));
  try {
    const out = await client.send<{ QueueUrls?: string[]; Extra?: boolean }>(op(sqs, "ListQueues"), {});
    assert.deepEqual(out.QueueUrls, ["u1"]);
    assert.equal(out.Extra, true);
    assert.deepEqual(seen, [
      "client.endpointParams#0:us-east-1",
      "service.beforeSign#1",
      "client.beforeSign",
      "service.afterResponse",
      "client.afterParse",
    ]);
    const req = server.requests[0];
    assert.equal(req?.headers["x-client-hook"], "1");
    // Headers added before signing are signed.
    assert.match(String(req?.headers["authorization"]), /x-client-hook;x-service-hook/);

    answerWithError = true;
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.$metadata.httpStatusCode, 500);
      return true;
    });
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("buildRequest stops before send: the signed request, and nothing on the wire", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, {}));
  const client = new ServiceClient(s3.definition, loopbackConfig(server.url, { endpointParams: { ForcePathStyle: true } }));
  try {
    const built = await client.buildRequest(op(s3, "GetObject"), { Bucket: "my-bucket", Key: "a/b.txt" });
    assert.equal(built.request.method, "GET");
    assert.equal(built.request.hostname, "127.0.0.1");
    assert.equal(built.request.port, server.port);
    assert.equal(built.request.path, "/my-bucket/a/b.txt");
    assert.match(built.request.headers["authorization"] ?? "", /^AWS4-HMAC-SHA256 /);
    assert.equal(built.request.headers["amz-sdk-request"], "attempt=1; max=3");
    assert.equal(built.prepared.endpoint.signing.scheme, "sigv4");
    // The prepared request is unsigned: presigning starts from it.
    assert.equal(built.prepared.request.headers["authorization"], undefined);
    assert.equal(server.requests.length, 0);
  } finally {
    await client.destroy();
    await server.close();
  }
});

test("endpoint resolution without an endpoint override: the real rule set picks the AWS host (nothing sent)", async () => {
  const client = new ServiceClient(sqs.definition, { ...loopbackConfig("http://unused"), endpoint: undefined, region: "eu-west-3" });
  try {
    const built = await client.buildRequest(op(sqs, "ListQueues"), {});
    assert.equal(built.request.protocol, "https:");
    assert.equal(built.request.hostname, "sqs.eu-west-3.amazonaws.com");
    assert.match(built.request.headers["authorization"] ?? "", /\/eu-west-3\/sqs\/aws4_request/);

    // Without a `partitions` option the core's generated copy is used.
    const builtIn = new ServiceClient(sqs.definition, { ...loopbackConfig("http://unused"), endpoint: undefined, partitions: undefined, region: "ap-southeast-2" });
    assert.equal((await builtIn.buildRequest(op(sqs, "ListQueues"), {})).request.hostname, "sqs.ap-southeast-2.amazonaws.com");
    await builtIn.destroy();

    const fips = new ServiceClient(sqs.definition, { ...loopbackConfig("http://unused"), endpoint: undefined, useFipsEndpoint: true });
    assert.equal((await fips.buildRequest(op(sqs, "ListQueues"), {})).request.hostname, "sqs-fips.us-east-1.amazonaws.com");
    await fips.destroy();

    // S3 virtual-hosted style, with the signing name and region from the rule set's authSchemes.
    const s3client = new ServiceClient(s3.definition, { ...loopbackConfig("http://unused"), endpoint: undefined, region: "eu-central-1" });
    const got = await s3client.buildRequest(op(s3, "GetObject"), { Bucket: "my-bucket", Key: "k" });
    assert.equal(got.request.hostname, "my-bucket.s3.eu-central-1.amazonaws.com");
    assert.equal(got.request.path, "/k");
    assert.match(got.request.headers["authorization"] ?? "", /\/eu-central-1\/s3\/aws4_request/);
    await s3client.destroy();
  } finally {
    await client.destroy();
  }
});

test("an already-aborted signal fails the call before anything is sent", async () => {
  const server = await startLoopbackServer((_req, res) => sendJson(res, {}));
  const client = new ServiceClient(sqs.definition, loopbackConfig(server.url));
  try {
    const controller = new AbortController();
    controller.abort("stop");
    await assert.rejects(client.send(op(sqs, "ListQueues"), {}, { signal: controller.signal }), (error: unknown) => {
      assert.ok(error instanceof AbortError);
      assert.equal(error.reason, "stop");
      return true;
    });
    assert.equal(server.requests.length, 0);
  } finally {
    await client.destroy();
    await server.close();
  }
});
