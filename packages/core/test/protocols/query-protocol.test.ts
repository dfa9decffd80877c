// awsQuery beyond the conformance suite: botocore-style model names, caller collections,
// request ids, and how errors and broken answers come out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError } from "../../src/errors/index.ts";
import { queryProtocol, queryResponseMetadata } from "../../src/protocols/query.ts";
import type { Endpoint, ParseCall } from "../../src/protocols/protocol.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = { serviceId: "SQS", apiVersion: "2012-11-05", protocol: "query", signingName: "sqs", endpointPrefix: "sqs" };
const endpoint: Endpoint = { protocol: "https:", hostname: "sqs.us-east-1.amazonaws.com", path: "" };
const str = { type: "string" } as const;

const notFound: StructureShape = {
  type: "structure",
  name: "QueueDoesNotExist",
  members: { message: { target: str } },
  exception: true,
  error: { code: "AWS.SimpleQueueService.NonExistentQueue", httpStatusCode: 400, senderFault: true },
};

const operation: OperationSchema = {
  name: "ReceiveMessage",
  http: { method: "POST", requestUri: "/" },
  input: {
    type: "structure",
    name: "ReceiveMessageRequest",
    members: {
      QueueUrl: { target: str },
      // botocore's SQS model: the list's member names the flattened keys.
      AttributeNames: { target: { type: "list", member: { target: str, locationName: "AttributeName" }, flattened: true } },
      Tags: { target: { type: "map", key: { target: str, locationName: "Key" }, value: { target: str, locationName: "Value" }, flattened: true }, locationName: "Tag" },
      Token: { target: str, idempotencyToken: true },
    },
  },
  output: {
    type: "structure",
    name: "ReceiveMessageResult",
    members: {
      Messages: {
        target: {
          type: "list",
          member: { target: { type: "structure", name: "Message", members: { Body: { target: str } } }, locationName: "Message" },
          flattened: true,
        },
      },
    },
  },
  errors: [notFound],
};

function form(body: unknown): Array<[string, string]> {
  return String(body).split("&").map((pair) => pair.split("=").map(decodeURIComponent) as [string, string]);
}

function call(status: number, body: string, headers: Record<string, string> = {}): ParseCall {
  return { service, operation, response: { statusCode: status, headers, body: new TextEncoder().encode(body) } };
}

test("form body: botocore list-member names, flattened renamed maps, Sets and Maps, idempotency token", () => {
  const request = queryProtocol.serializeRequest({
    service,
    operation,
    endpoint,
    input: { QueueUrl: "https://q/1 2", AttributeNames: new Set(["All", "SentTimestamp"]), Tags: new Map([["env", "prod"]]) },
    idempotencyToken: () => "tok-1",
  });
  assert.equal(request.method, "POST");
  assert.equal(request.path, "/");
  assert.equal(request.headers["content-type"], "application/x-www-form-urlencoded");
  assert.equal(request.headers["content-length"], String(Buffer.byteLength(String(request.body))));
  assert.deepEqual(form(request.body), [
    ["Action", "ReceiveMessage"],
    ["Version", "2012-11-05"],
    ["QueueUrl", "https://q/1 2"],
    ["AttributeName.1", "All"],
    ["AttributeName.2", "SentTimestamp"],
    ["Tag.1.Key", "env"],
    ["Tag.1.Value", "prod"],
    ["Token", "tok-1"],
  ]);
  assert.match(String(request.body), /QueueUrl=https%3A%2F%2Fq%2F1%202&/);
});

test("response: <OpResult> unwrapped, flattened list named after the list member, request id from the body", () => {
  const body = `<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">
    <ReceiveMessageResult>
      <Message><Body>one &amp; two</Body></Message>
      <Message><Body>three</Body></Message>
    </ReceiveMessageResult>
    <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
  </ReceiveMessageResponse>`;
  assert.deepEqual(queryProtocol.parseResponse(call(200, body)), { Messages: [{ Body: "one & two" }, { Body: "three" }] });
  assert.deepEqual(queryResponseMetadata(call(200, body)), { requestId: "req-1" });
  assert.deepEqual(queryResponseMetadata(call(200, "", { "x-amzn-requestid": "hdr-1" })), { requestId: "hdr-1" });
});

test("errors: code, message, type, request id and the modelled shape by its query code", () => {
  const body = `<ErrorResponse><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>
    <Message>The specified queue does not exist.</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`;
  const error = queryProtocol.parseError(call(400, body));
  assert.equal(error.code, "AWS.SimpleQueueService.NonExistentQueue");
  assert.equal(error.message, "The specified queue does not exist.");
  assert.equal(error.type, "Sender");
  assert.equal(error.requestId, "req-2");
  assert.equal(error.shape, notFound);
});

test("an error answer that is empty or not XML still gives an error named after the status", () => {
  const empty = queryProtocol.parseError(call(503, "", { "x-amzn-requestid": "r" }));
  assert.equal(empty.code, "ServiceUnavailable");
  assert.equal(empty.requestId, "r");
  const html = queryProtocol.parseError(call(502, "<html><body>Bad Gateway<br></body></html>"));
  assert.equal(html.code, "502");
  assert.deepEqual(html.fields, {});
});

test("a broken success answer is a ParseError, never anything else", () => {
  const good = "<ReceiveMessageResponse><ReceiveMessageResult><Message><Body>x</Body></Message></ReceiveMessageResult></ReceiveMessageResponse>";
  for (let cut = 1; cut < good.length - 1; cut += 3) {
    assert.throws(() => queryProtocol.parseResponse(call(200, good.slice(0, cut))), ParseError, `cut at ${cut}`);
  }
  assert.throws(() => queryProtocol.parseResponse(call(200, "{\"json\": true}")), ParseError);
});

test("an error member that does not parse costs the fields, not the error", () => {
  const throttled: StructureShape = { type: "structure", name: "Throttled", members: { RetryAfter: { target: { type: "integer" } } }, exception: true };
  const body = "<ErrorResponse><Error><Code>Throttled</Code><Message>slow down</Message><RetryAfter>soon</RetryAfter></Error></ErrorResponse>";
  const error = queryProtocol.parseError({ ...call(400, body), operation: { ...operation, errors: [throttled] } });
  assert.equal(error.code, "Throttled");
  assert.equal(error.message, "slow down");
  assert.equal(error.shape, throttled);
  assert.deepEqual(error.fields, {});
});
