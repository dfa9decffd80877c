// The Stubber with generated clients: DynamoDB and S3 calls answered from the queue, their
// modelled errors, paginators and waiters consuming several stubs, streamed bodies, every
// failure message, and proof that a stubbed client touches no network at all.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ServiceError, ValidationError } from "@stratus/core";
import {
  ANY,
  ANY_PARAMS,
  InvalidStubError,
  PendingStubsError,
  Stubber,
  StubberError,
  StubMismatchError,
  UnexpectedCallError,
  UnknownOperationError,
} from "@stratus/core/testing";
import {
  ConditionalCheckFailedException,
  DocumentClient,
  DynamoDB,
  DynamoDBServiceError,
  ResourceNotFoundException,
} from "../../packages/dynamodb/src/index.ts";
import { NoSuchKey, S3, S3ServiceError } from "../../packages/s3/src/index.ts";
import { BedrockRuntime } from "../../packages/bedrock-runtime/src/index.ts";
import { startLoopbackServer } from "../../packages/core/test/support/loopback-server.ts";
import { findSecrets, textsOfError } from "../support/secret-scanner.ts";

const CREDENTIALS = { accessKeyId: "AKIDSTUBBERTEST", secretAccessKey: "stubber-secret-key-never-shown-0123456789" };

/** Nothing to resolve from the environment, and nowhere to send. */
function ddbClient(): DynamoDB {
  return new DynamoDB({ env: {} });
}

/** Catches what `promise` rejects with (and fails when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail("expected the call to fail"),
    (error: unknown) => error,
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return assert.fail("expected a throw");
}

describe("Stubber: responses", () => {
  it("answers a call with the canned output and stubbed $metadata, checking expected parameters with ANY", async () => {
    const ddb = ddbClient();
    const stubber = new Stubber(ddb).activate();
    stubber.add("GetItem", {
      response: { Item: { id: { S: "ada" }, age: { N: "36" } } },
      expectedParams: { TableName: "users", Key: { id: ANY } },
    });
    const out = await ddb.getItem({ TableName: "users", Key: { id: { S: "anyone" } } });
    assert.deepEqual(out.Item, { id: { S: "ada" }, age: { N: "36" } });
    assert.deepEqual(out.$metadata, { httpStatusCode: 200, requestId: "stubbed", attempts: 1, totalRetryDelay: 0 });
    stubber.assertAllConsumed();
    stubber.deactivate();
  });

  it("takes the method name as well as the operation name, and ANY_PARAMS for any input", async () => {
    const ddb = ddbClient();
    const stubber = new Stubber(ddb).activate();
    stubber.add("putItem", { expectedParams: ANY_PARAMS });
    stubber.add("PutItem", { response: { ConsumedCapacity: { TableName: "t", CapacityUnits: 1 } } });
    assert.deepEqual(stubber.pending, ["PutItem", "PutItem"]);
    await ddb.putItem({ TableName: "a", Item: { x: { S: "1" } } });
    const second = await ddb.putItem({ TableName: "b", Item: { y: { BOOL: true } } });
    assert.equal(second.ConsumedCapacity?.CapacityUnits, 1);
    stubber.assertAllConsumed();
  });

  it("compares bytes, dates and numbers by what they mean", async () => {
    const s3 = new S3({ env: {} });
    using stubber = new Stubber(s3).activate();
    stubber.add("PutObject", {
      expectedParams: { Bucket: "b", Key: "k", Body: new TextEncoder().encode("hello"), Expires: new Date("2030-01-01T00:00:00Z"), ContentLength: 5 },
    });
    // A string body equals its UTF-8 bytes; an ISO string the same instant as the Date.
    await s3.putObject({ Bucket: "b", Key: "k", Body: "hello", Expires: "2030-01-01T00:00:00.000Z" as unknown as Date, ContentLength: 5 });
    stubber.add("PutObject", { expectedParams: { Bucket: "b", Key: "streamed", Body: "chunked body" } });
    // A streamed body is read and compared by its bytes.
    await s3.putObject({ Bucket: "b", Key: "streamed", Body: new Blob(["chunked ", "body"]) });
    stubber.assertAllConsumed();
  });

  it("gives a streamed output member (GetObject Body) as a live body, from a string, bytes or nothing", async () => {
    const s3 = new S3({ env: {} });
    using stubber = new Stubber(s3).activate();
    stubber.add("GetObject", { response: { Body: "hello, stubber", ContentType: "text/plain" } });
    stubber.add("GetObject", { response: { Body: new Uint8Array([1, 2, 3]) } });
    stubber.add("GetObject", { response: {} });

    const text = await s3.getObject({ Bucket: "b", Key: "text" });
    assert.equal(text.ContentType, "text/plain");
    assert.equal(await text.Body?.text(), "hello, stubber");

    const bytes = await s3.getObject({ Bucket: "b", Key: "bytes" });
    await using body = bytes.Body;
    const chunks: Uint8Array[] = [];
    for await (const chunk of body ?? []) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), Buffer.from([1, 2, 3]));

    const empty = await s3.getObject({ Bucket: "b", Key: "empty" });
    assert.equal(await empty.Body?.text(), "");
  });

  it("gives an event-stream member (Bedrock converseStream) as an async iterable of the listed events", async () => {
    const bedrock = new BedrockRuntime({ env: {} });
    using stubber = new Stubber(bedrock).activate();
    stubber.add("ConverseStream", {
      expectedParams: { modelId: "test-model", messages: [{ role: "user", content: [{ text: "hi" }] }] },
      response: {
        stream: [
          { messageStart: { role: "assistant" } },
          { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "hello" } } },
          { messageStop: { stopReason: "end_turn" } },
        ],
      },
    });
    const out = await bedrock.converseStream({ modelId: "test-model", messages: [{ role: "user", content: [{ text: "hi" }] }] });
    const texts: string[] = [];
    for await (const event of out.stream ?? []) if (event.contentBlockDelta?.delta?.text) texts.push(event.contentBlockDelta.delta.text);
    assert.deepEqual(texts, ["hello"]);
    assert.throws(() => stubber.add("ConverseStream", { response: { stream: "not events" as never } }), /response\.stream: expected the events as an array or an async iterable/);
  });

  it("types stubs from the client's methods: a typo is a compile error as well as a throw", () => {
    const stubber = new Stubber(ddbClient());
    // @ts-expect-error: GetItemOutput has no member Itemz
    assert.throws(() => stubber.add("GetItem", { response: { Itemz: {} } }), InvalidStubError);
    // @ts-expect-error: TableName is a string
    assert.throws(() => stubber.add("getItem", { expectedParams: { TableName: 1, Key: {} } }), InvalidStubError);
    // Members may be ANY anywhere.
    stubber.add("GetItem", { expectedParams: { TableName: "t", Key: { id: { S: ANY } }, ConsistentRead: ANY } });
  });

  it("deactivates at the end of a `using` block, leaving the class's own send", async () => {
    const ddb = ddbClient();
    {
      using stubber = new Stubber(ddb).activate();
      stubber.add("ListTables", { response: { TableNames: ["alpha"] } });
      assert.ok(Object.hasOwn(ddb, "send"));
      assert.deepEqual((await ddb.listTables({})).TableNames, ["alpha"]);
    }
    assert.equal(Object.hasOwn(ddb, "send"), false);
  });

  it("refuses a second active Stubber on the same client and a value that is no client", () => {
    const ddb = ddbClient();
    using first = new Stubber(ddb).activate();
    const error = thrown(() => new Stubber(ddb).activate());
    assert.ok(error instanceof StubberError);
    assert.match(error.message, /already stubbed/);
    assert.equal(first.service, "DynamoDB");
    assert.throws(() => new Stubber({} as DynamoDB), /a Stubber takes a service client/);
  });

  it("feeds the document layer: DocumentClient over a stubbed DynamoDB", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("GetItem", {
      expectedParams: { TableName: "users", Key: { id: { S: "ada" } } },
      response: { Item: { id: { S: "ada" }, visits: { N: "3" } } },
    });
    const doc = new DocumentClient(ddb);
    const got = await doc.get({ TableName: "users", Key: { id: "ada" } });
    assert.deepEqual(got.Item, { id: "ada", visits: 3 });
  });
});

describe("Stubber: errors", () => {
  it("throws the service's modelled class, with its fields, status and metadata", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.addError("PutItem", {
      code: "ConditionalCheckFailedException",
      message: "The conditional request failed",
      modeledFields: { Item: { id: { S: "ada" } } },
    });
    const error = await rejection(ddb.putItem({ TableName: "users", Item: { id: { S: "ada" } }, ConditionExpression: "attribute_not_exists(id)" }));
    assert.ok(error instanceof ConditionalCheckFailedException);
    assert.ok(error instanceof DynamoDBServiceError);
    assert.ok(error instanceof ServiceError);
    assert.equal(error.name, "ConditionalCheckFailedException");
    assert.equal(error.code, "ConditionalCheckFailedException");
    assert.equal(error.message, "The conditional request failed");
    assert.deepEqual(error.Item, { id: { S: "ada" } });
    assert.equal(error.$fault, "client");
    assert.deepEqual(error.$metadata, { httpStatusCode: 400, requestId: "stubbed", attempts: 1, totalRetryDelay: 0 });
  });

  it("uses the service's base class for a code it does not model, and the status given", async () => {
    const s3 = new S3({ env: {} });
    using stubber = new Stubber(s3).activate();
    stubber.addError("GetObject", { code: "SlowDown", httpStatusCode: 503 });
    stubber.addError("GetObject", { code: "NoSuchKey" });
    const slow = await rejection(s3.getObject({ Bucket: "b", Key: "k" }));
    assert.ok(slow instanceof S3ServiceError);
    assert.equal(slow.constructor, S3ServiceError);
    assert.equal(slow.code, "SlowDown");
    assert.equal(slow.$fault, "server");
    assert.equal(slow.$metadata.httpStatusCode, 503);
    const missing = await rejection(s3.getObject({ Bucket: "b", Key: "k" }));
    assert.ok(missing instanceof NoSuchKey);
    assert.equal(missing.$metadata.httpStatusCode, 404, "the model's status for NoSuchKey");
  });

  it("checks an error's modelled fields against its shape", () => {
    using stubber = new Stubber(ddbClient());
    const bad = thrown(() => stubber.addError("PutItem", { code: "ConditionalCheckFailedException", modeledFields: { Itme: {} } }));
    assert.ok(bad instanceof InvalidStubError);
    assert.match(bad.message, /invalid stubbed error ConditionalCheckFailedException for PutItem \(1 problem\):\n {2}- modeledFields\.Itme: unknown member of ConditionalCheckFailedException \(did you mean Item\?\)/);
    const unmodelled = thrown(() => stubber.addError("PutItem", { code: "Teapot", modeledFields: { x: 1 } }));
    assert.ok(unmodelled instanceof InvalidStubError);
    assert.match(unmodelled.message, /Teapot is not an error DynamoDB models/);
    assert.deepEqual(stubber.pending, []);
  });
});

describe("Stubber: failures, each with a message that says what was expected", () => {
  it("an unknown operation names close matches", () => {
    const stubber = new Stubber(ddbClient());
    const error = thrown(() => stubber.add("GetItems", {}));
    assert.ok(error instanceof UnknownOperationError);
    assert.equal(error.message, 'DynamoDB has no operation "GetItems" (did you mean GetItem, TransactGetItems?)');
    assert.deepEqual(error.suggestions, ["GetItem", "TransactGetItems"]);
    assert.match(String(thrown(() => stubber.add("getitem", {}))), /did you mean GetItem/);
  });

  it("expected parameters that do not fit the input shape are refused when added, every problem listed", () => {
    const stubber = new Stubber(ddbClient());
    const error = thrown(() => stubber.add("GetItem", { expectedParams: { TableNam: "users", Key: { id: { S: 42 } } } as never }));
    assert.ok(error instanceof InvalidStubError);
    assert.equal(
      error.message,
      "invalid expected parameters for GetItem (3 problems):\n" +
        "  - input.TableNam: unknown member of GetItemInput (did you mean TableName?)\n" +
        "  - input.TableName: required member is missing\n" +
        "  - input.Key.id.S: expected a string, got a number",
    );
    // ANY stands for a value of any shape, even a required structure.
    stubber.add("GetItem", { expectedParams: { TableName: ANY, Key: ANY } });
  });

  it("a canned response that does not fit the output shape is refused when added", () => {
    const stubber = new Stubber(ddbClient());
    const error = thrown(() => stubber.add("GetItem", { response: { Itemz: {}, ConsumedCapacity: "lots" } as never }));
    assert.ok(error instanceof InvalidStubError);
    assert.equal(
      error.message,
      "invalid stubbed response for GetItem (2 problems):\n" +
        "  - response.Itemz: unknown member of GetItemOutput (did you mean Item?)\n" +
        "  - response.ConsumedCapacity: expected an object (ConsumedCapacity), got a string",
    );
    assert.deepEqual(stubber.pending, []);
  });

  it("a call with nothing queued names what was called and what was consumed", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("ListTables", {});
    await ddb.listTables({});
    const error = await rejection(ddb.getItem({ TableName: "t", Key: { id: { S: "a" } } }));
    assert.ok(error instanceof UnexpectedCallError);
    assert.equal(error.message, "unexpected call: DynamoDB.GetItem was called, but no stubbed response is queued (1 consumed before: ListTables)");
    assert.equal(error.operation, "GetItem");
    assert.equal(error.expected, undefined);
  });

  it("a call of another operation than the next stub's names both, and leaves the queue as it was", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("PutItem", {}).add("GetItem", {});
    const error = await rejection(ddb.getItem({ TableName: "t", Key: { id: { S: "a" } } }));
    assert.ok(error instanceof UnexpectedCallError);
    assert.equal(error.message, "unexpected call: DynamoDB.GetItem was called, but the next stubbed response is for PutItem, then GetItem");
    assert.equal(error.expected, "PutItem");
    assert.deepEqual(stubber.pending, ["PutItem", "GetItem"]);
  });

  it("a mismatch lists every differing path with expected and actual values", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("Query", {
      expectedParams: {
        TableName: "orders",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "user#1" }, ":n": { N: "10" } },
        Limit: 5,
      },
    });
    const error = await rejection(
      ddb.query({
        TableName: "orders",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "user#2" } },
        ScanIndexForward: false,
      }),
    );
    assert.ok(error instanceof StubMismatchError);
    assert.equal(
      error.message,
      "DynamoDB.Query was called with other parameters than the stub expected (4 differences):\n" +
        '  - input.ExpressionAttributeValues[":pk"].S: expected "user#1", got "user#2"\n' +
        '  - input.ExpressionAttributeValues[":n"]: expected {"N":"10"}, got nothing (the member is absent)\n' +
        "  - input.Limit: expected 5, got nothing (the member is absent)\n" +
        "  - input.ScanIndexForward: expected nothing (the member absent), got false",
    );
    assert.deepEqual(stubber.pending, ["Query"], "a mismatched stub stays queued");
  });

  it("a mismatch on a sensitive member shows neither value, and no message shows the client's credentials", async () => {
    const s3 = new S3({ env: {}, region: "us-east-1", credentials: CREDENTIALS });
    using stubber = new Stubber(s3).activate();
    const key = "customer-key-32-bytes-long-aaaaaaaa";
    stubber.add("PutObject", { expectedParams: { Bucket: "b", Key: "k", SSECustomerKey: key, SSECustomerAlgorithm: "AES256" } });
    const other = "another-customer-key-32-bytes-bbbb";
    const error = await rejection(s3.putObject({ Bucket: "b", Key: "k", SSECustomerKey: other, SSECustomerAlgorithm: "AES256" }));
    assert.ok(error instanceof StubMismatchError);
    assert.equal(
      error.message,
      "S3.PutObject was called with other parameters than the stub expected (1 difference):\n" +
        "  - input.SSECustomerKey: the values differ (not shown: the member is sensitive)",
    );
    assert.deepEqual(findSecrets(textsOfError(error), [key, other, CREDENTIALS.secretAccessKey]), []);
  });

  it("stubs never consumed are reported by assertAllConsumed", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("GetItem", {}).add("PutItem", {}).addError("DeleteItem", { code: "ResourceNotFoundException" });
    await ddb.getItem({ TableName: "t", Key: {} });
    const error = thrown(() => stubber.assertAllConsumed());
    assert.ok(error instanceof PendingStubsError);
    assert.equal(error.message, "2 stubbed responses were never consumed: PutItem, DeleteItem");
    assert.deepEqual(error.pending, ["PutItem", "DeleteItem"]);
  });

  it("runs the real input validation first: the same ValidationError as an unstubbed client, and no stub consumed", async () => {
    const bad = { TableName: "t", Key: { id: { S: 1 } }, Limit: "x" } as never;
    const real = await rejection(ddbClient().getItem(bad));
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("GetItem", {});
    const stubbed = await rejection(ddb.getItem(bad));
    assert.ok(real instanceof ValidationError && stubbed instanceof ValidationError);
    assert.equal(stubbed.message, real.message);
    assert.deepEqual(stubbed.problems, real.problems);
    assert.deepEqual(stubber.pending, ["GetItem"]);
  });

  it("an aborted call rejects with the signal's reason", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.add("ListTables", {});
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(ddb.listTables({}, { signal: controller.signal }), /stop/);
    assert.deepEqual(stubber.pending, ["ListTables"]);
  });
});

describe("Stubber with paginators and waiters", () => {
  it("a paginator consumes one stub per page, with the tokens it sends checked", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    const key = (n: number) => ({ pk: { S: "p" }, sk: { N: String(n) } });
    stubber.add("Scan", { expectedParams: { TableName: "t" }, response: { Items: [key(1), key(2)], Count: 2, LastEvaluatedKey: key(2) } });
    stubber.add("Scan", { expectedParams: { TableName: "t", ExclusiveStartKey: key(2) }, response: { Items: [key(3)], Count: 1, LastEvaluatedKey: key(3) } });
    stubber.add("Scan", { expectedParams: { TableName: "t", ExclusiveStartKey: key(3) }, response: { Items: [], Count: 0 } });
    const items = [];
    for await (const item of ddb.paginate.scan({ TableName: "t" }).items()) items.push(item);
    assert.deepEqual(items, [key(1), key(2), key(3)]);
    stubber.assertAllConsumed();

    const s3 = new S3({ env: {} });
    using s3Stubber = new Stubber(s3).activate();
    s3Stubber.add("ListObjectsV2", { response: { Contents: [{ Key: "a" }], IsTruncated: true, NextContinuationToken: "t1" } });
    s3Stubber.add("ListObjectsV2", { expectedParams: { Bucket: "b", ContinuationToken: "t1" }, response: { Contents: [{ Key: "b" }], IsTruncated: false } });
    const keys = [];
    for await (const object of s3.paginate.listObjectsV2({ Bucket: "b" }).items()) keys.push(object.Key);
    assert.deepEqual(keys, ["a", "b"]);
    s3Stubber.assertAllConsumed();
  });

  it("a waiter polls through queued outputs and errors until its success state", async () => {
    const ddb = ddbClient();
    using stubber = new Stubber(ddb).activate();
    stubber.addError("DescribeTable", { code: "ResourceNotFoundException", expectedParams: { TableName: "t" } });
    stubber.add("DescribeTable", { response: { Table: { TableName: "table", TableStatus: "CREATING" } } });
    stubber.add("DescribeTable", { response: { Table: { TableName: "table", TableStatus: "ACTIVE" } } });
    const waited = await ddb.waitUntil.tableExists({ TableName: "t" }, { sleep: async () => {} });
    assert.equal(waited.state, "success");
    assert.equal(waited.attempts, 3);
    assert.equal(waited.result?.Table?.TableStatus, "ACTIVE");

    stubber.addError("DescribeTable", { code: "ResourceNotFoundException" });
    const gone = await ddb.waitUntil.tableNotExists({ TableName: "t" }, { sleep: async () => {} });
    assert.ok(gone.error instanceof ResourceNotFoundException);
    stubber.assertAllConsumed();
  });
});

describe("Stubber sends nothing", () => {
  it("a client whose endpoint is a closed port answers from the stubs, and fails for real once deactivated", async () => {
    const server = await startLoopbackServer((_req, res) => {
      res.end();
    });
    const endpoint = server.url;
    await server.close();
    const ddb = new DynamoDB({ env: {}, region: "us-east-1", credentials: CREDENTIALS, endpoint, maxAttempts: 1 });
    const stubber = new Stubber(ddb).activate();
    stubber.add("ListTables", { response: { TableNames: ["stubbed"] } });
    assert.deepEqual((await ddb.listTables({})).TableNames, ["stubbed"]);
    stubber.deactivate();
    const real = await rejection(ddb.listTables({}));
    assert.equal((real as { isConnectionError?: boolean }).isConnectionError, true, "the endpoint really is unreachable");
    await ddb.destroy();
  });

  it("an open server sees no request from a stubbed client", async () => {
    const server = await startLoopbackServer((_req, res) => {
      res.end("{}");
    });
    try {
      const ddb = new DynamoDB({ env: {}, region: "us-east-1", credentials: CREDENTIALS, endpoint: server.url });
      {
        using stubber = new Stubber(ddb).activate();
        stubber.add("ListTables", {}).add("DescribeTable", { response: { Table: { TableStatus: "ACTIVE" } } });
        await ddb.listTables({});
        await ddb.waitUntil.tableExists({ TableName: "t" });
      }
      assert.equal(server.requests.length, 0);
      await ddb.listTables({});
      assert.equal(server.requests.length, 1, "the same client reaches the server once deactivated");
      await ddb.destroy();
    } finally {
      await server.close();
    }
  });
});
