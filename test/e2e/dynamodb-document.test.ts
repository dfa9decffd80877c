// The DynamoDB document layer end to end against dynalite: every value type through put and
// get, a number no JavaScript number can hold surviving the round trip exactly, Key/Attr
// expressions in query, scan, update and conditional writes, the paginators, and the batch
// helpers resending unprocessed items.
//
// Two things dynalite cannot do are simulated, and only those: it never answers with
// UnprocessedItems/UnprocessedKeys, so a client hook holds some requests back from the
// request dynalite sees (beforeSign) and reports them unprocessed in the answer
// (afterParse), as DynamoDB does under throttling; and it has no transactions, so
// transactGet/transactWrite run against an in-process stub transport that checks what was
// sent and answers as DynamoDB would.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { bodyFromBytes, type HttpHandler, type HttpRequest, type HookContext } from "../../packages/core/src/index.ts";
import {
  Attr,
  ConditionalCheckFailedException,
  DocumentClient,
  DynamoDB,
  Key,
  NumberValue,
  TransactionCanceledException,
  UnprocessedItemsError,
  type DocumentItem,
} from "../../packages/dynamodb/src/index.ts";
import { LOCAL_CREDENTIALS, startDynalite, type RunningServer } from "../../scripts/local-servers.ts";
import { pkSkTable } from "../support/pk-sk-table.ts";

const TABLE = "doc-e2e";
const BIG = "12345678901234567890.123";

/** What the hooks do to the next BatchWriteItem / BatchGetItem calls. */
const flaky = { dropWrites: 0, dropKeys: 0, reportAllWrites: false };
const held = new WeakMap<object, { items?: Record<string, unknown[]>; keys?: Record<string, { Keys: unknown[] }> }>();
const utf8 = new TextDecoder();

type Json = Record<string, unknown>;

function rewriteBody(request: HttpRequest, body: Json): HttpRequest {
  const text = JSON.stringify(body);
  return { ...request, headers: { ...request.headers, "content-length": String(Buffer.byteLength(text)) }, body: text };
}

const unprocessedHooks = {
  beforeSign(request: HttpRequest, context: HookContext): HttpRequest | void {
    const name = context.operation.name;
    if (name !== "BatchWriteItem" && name !== "BatchGetItem") return;
    const count = name === "BatchWriteItem" ? flaky.dropWrites : flaky.dropKeys;
    if (count === 0) return;
    const text = typeof request.body === "string" ? request.body : request.body instanceof Uint8Array ? utf8.decode(request.body) : undefined;
    if (text === undefined) return;
    const body = JSON.parse(text) as { RequestItems: Record<string, unknown> };
    let left = count;
    const taken: Record<string, unknown[]> = {};
    for (const [table, entry] of Object.entries(body.RequestItems)) {
      const list = (Array.isArray(entry) ? entry : (entry as { Keys: unknown[] }).Keys) as unknown[];
      while (left > 0 && list.length > 1) {
        (taken[table] ??= []).unshift(list.pop());
        left--;
      }
    }
    if (name === "BatchWriteItem") {
      flaky.dropWrites = 0;
      held.set(context.input, { items: taken });
    } else {
      flaky.dropKeys = 0;
      const keys: Record<string, { Keys: unknown[] }> = {};
      for (const [table, list] of Object.entries(taken)) keys[table] = { ...(body.RequestItems[table] as Json), Keys: list };
      held.set(context.input, { keys });
    }
    return rewriteBody(request, body);
  },
  afterParse(output: Record<string, unknown>, context: HookContext): void {
    const name = context.operation.name;
    if (name === "BatchWriteItem" && flaky.reportAllWrites) {
      output["UnprocessedItems"] = (context.input as { RequestItems: unknown }).RequestItems;
      return;
    }
    const taken = held.get(context.input);
    if (taken?.items) output["UnprocessedItems"] = taken.items;
    if (taken?.keys) output["UnprocessedKeys"] = taken.keys;
  },
};

describe("DynamoDB document layer against dynalite", () => {
  let server: RunningServer;
  let ddb: DynamoDB;
  let doc: DocumentClient;

  before(async () => {
    server = await startDynalite();
    ddb = new DynamoDB({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, env: {}, hooks: unprocessedHooks });
    doc = new DocumentClient(ddb);
    await ddb.createTable(pkSkTable(TABLE));
    await ddb.waitUntil.tableExists({ TableName: TABLE }, { maxWait: 20_000 });
  });
  after(async () => {
    await ddb.destroy();
    await server.close();
  });

  const user = {
    pk: "user#1",
    sk: "profile",
    name: "Ada",
    exact: new NumberValue(BIG),
    big: 2n ** 70n,
    score: 9.75,
    visits: 3,
    active: true,
    nothing: null,
    empty: "",
    avatar: Uint8Array.of(0, 1, 2, 255),
    tags: new Set(["a", "b"]),
    lucky: new Set([7, 12345678901234567890n]),
    blobs: new Set([Uint8Array.of(1), Uint8Array.of(2)]),
    profile: { address: { city: "Paris", zip: "75001" }, langs: ["fr", "en"], since: 1815 },
  };

  it("puts and gets every value type; a number a JS number cannot hold comes back exactly", async () => {
    const put = await doc.put({ TableName: TABLE, Item: user });
    assert.equal(put.$metadata.httpStatusCode, 200);
    const { Item } = await doc.get({ TableName: TABLE, Key: { pk: "user#1", sk: "profile" }, ConsistentRead: true });
    assert.ok(Item);
    assert.ok(Item["exact"] instanceof NumberValue);
    assert.equal(Item["exact"].value, BIG);
    assert.ok(Item["big"] instanceof NumberValue);
    assert.equal(Item["big"].toBigInt(), 2n ** 70n);
    const lucky = [...(Item["lucky"] as Set<unknown>)].map(String).sort();
    assert.deepEqual(lucky, ["12345678901234567890", "7"]);
    const { exact: _e, big: _b, lucky: _l, ...rest } = Item;
    const { exact: _e2, big: _b2, lucky: _l2, ...expected } = user;
    assert.deepEqual(rest, expected);
    // On the wire, as DynamoDB (here dynalite) stores it: the exact decimal.
    const raw = await ddb.getItem({ TableName: TABLE, Key: { pk: { S: "user#1" }, sk: { S: "profile" } } });
    assert.equal(raw.Item?.["exact"]?.N, BIG);
    // And written back from what was read, it is still exact.
    await doc.put({ TableName: TABLE, Item: { ...Item, sk: "copy" } });
    const copy = await ddb.getItem({ TableName: TABLE, Key: { pk: { S: "user#1" }, sk: { S: "copy" } } });
    assert.equal(copy.Item?.["exact"]?.N, BIG);
    // A projection by paths.
    const projected = await doc.get({ TableName: TABLE, Key: { pk: "user#1", sk: "profile" }, ProjectionExpression: ["name", "profile.address.city"] });
    assert.deepEqual(projected.Item, { name: "Ada", profile: { address: { city: "Paris" } } });
  });

  it("guards a put with a built condition", async () => {
    await assert.rejects(
      doc.put({ TableName: TABLE, Item: { pk: "user#1", sk: "profile" }, ConditionExpression: Attr("pk").notExists() }),
      ConditionalCheckFailedException,
    );
    await doc.put({ TableName: TABLE, Item: { pk: "user#2", sk: "profile", name: "Grace" }, ConditionExpression: Attr("pk").notExists() });
    const replaced = await doc.put({
      TableName: TABLE,
      Item: { pk: "user#2", sk: "profile", name: "Grace Hopper" },
      ConditionExpression: Attr("name").eq("Grace").and(Attr("tags").notExists()),
      ReturnValues: "ALL_OLD",
    });
    assert.deepEqual(replaced.Attributes, { pk: "user#2", sk: "profile", name: "Grace" });
  });

  it("updates with an UpdateExpression of its own names and values plus a built condition", async () => {
    const updated = await doc.update({
      TableName: TABLE,
      Key: { pk: "user#1", sk: "profile" },
      UpdateExpression: "SET #visits = #visits + :one, #profile.#address.#city = :city ADD #tags :more REMOVE #empty",
      ExpressionAttributeNames: { "#visits": "visits", "#profile": "profile", "#address": "address", "#city": "city", "#tags": "tags", "#empty": "empty" },
      ExpressionAttributeValues: { ":one": 1, ":city": "Lyon", ":more": new Set(["c"]) },
      ConditionExpression: Attr("active").eq(true).and(Attr("tags").contains("a")).and(Attr("tags").size().gte(2)),
      ReturnValues: "ALL_NEW",
    });
    const after = updated.Attributes;
    assert.ok(after);
    assert.equal(after["visits"], 4);
    assert.deepEqual(after["tags"], new Set(["a", "b", "c"]));
    assert.deepEqual((after["profile"] as DocumentItem)["address"], { city: "Lyon", zip: "75001" });
    assert.equal("empty" in after, false);
    assert.equal((after["exact"] as NumberValue).value, BIG);

    await assert.rejects(
      doc.update({
        TableName: TABLE,
        Key: { pk: "user#1", sk: "profile" },
        UpdateExpression: "SET visits = :zero",
        ExpressionAttributeValues: { ":zero": 0 },
        ConditionExpression: Attr("score").gt(100).or(Attr("name").in(["Grace", "Edsger"])),
      }),
      ConditionalCheckFailedException,
    );
  });

  it("queries with key conditions, filters and projections, and paginates", async () => {
    const writes = Array.from({ length: 30 }, (_, i) => {
      const n = i + 1;
      return { PutRequest: { Item: { pk: "orders", sk: `order#${String(n).padStart(2, "0")}`, total: n * 10, status: n % 3 === 0 ? "shipped" : "open" } } };
    });
    await doc.batchWrite({ RequestItems: { [TABLE]: writes } });

    const begins = await doc.query({ TableName: TABLE, KeyConditionExpression: Key("pk").eq("orders").and(Key("sk").beginsWith("order#1")) });
    assert.deepEqual(begins.Items?.map((item) => item["sk"]), Array.from({ length: 10 }, (_, i) => `order#1${i}`));

    const filtered = await doc.query({
      TableName: TABLE,
      KeyConditionExpression: Key("pk").eq("orders").and(Key("sk").between("order#05", "order#20")),
      FilterExpression: Attr("status").eq("shipped"),
      ProjectionExpression: ["sk", "total"],
    });
    assert.deepEqual(filtered.Items, [6, 9, 12, 15, 18].map((n) => ({ sk: `order#${String(n).padStart(2, "0")}`, total: n * 10 })));
    assert.equal(filtered.ScannedCount, 16);

    let pages = 0;
    const seen: string[] = [];
    for await (const page of doc.paginate.query({ TableName: TABLE, KeyConditionExpression: Key("pk").eq("orders"), ScanIndexForward: false }, { pageSize: 7 })) {
      pages++;
      for (const item of page.Items ?? []) seen.push(String(item["sk"]));
      if (page.LastEvaluatedKey) assert.equal(page.LastEvaluatedKey["pk"], "orders");
    }
    assert.ok(pages >= 5, `${pages} pages`);
    assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => `order#${String(30 - i).padStart(2, "0")}`));

    const items: DocumentItem[] = [];
    for await (const item of doc.paginate.query<{ sk: string; total: number }>(
      { TableName: TABLE, KeyConditionExpression: Key("pk").eq("orders").and(Key("sk").gt("order#24")) },
      { pageSize: 2 },
    ).items()) {
      items.push(item);
    }
    assert.deepEqual(items.map((item) => item["total"]), [250, 260, 270, 280, 290, 300]);
  });

  it("scans with filters built from or/in/size/not, one page or all", async () => {
    const big: string[] = [];
    for await (const item of doc.paginate.scan({ TableName: TABLE, FilterExpression: Attr("total").gt(270).or(Attr("status").in(["cancelled"])) }, { pageSize: 4 }).items()) {
      big.push(String(item["sk"]));
    }
    assert.deepEqual(big.sort(), ["order#28", "order#29", "order#30"]);
    const users = await doc.scan({ TableName: TABLE, FilterExpression: Attr("tags").size().gte(2).and(Attr("pk").beginsWith("user#").not().not()) });
    assert.deepEqual(users.Items?.map((item) => `${item["pk"]}/${item["sk"]}`).sort(), ["user#1/copy", "user#1/profile"]);
  });

  it("deletes with a condition and returns the old item", async () => {
    await assert.rejects(doc.delete({ TableName: TABLE, Key: { pk: "user#2", sk: "profile" }, ConditionExpression: Attr("name").eq("nobody") }), ConditionalCheckFailedException);
    const deleted = await doc.delete({ TableName: TABLE, Key: { pk: "user#2", sk: "profile" }, ConditionExpression: Attr("name").beginsWith("Grace"), ReturnValues: "ALL_OLD" });
    assert.equal(deleted.Attributes?.["name"], "Grace Hopper");
    const gone = await doc.get({ TableName: TABLE, Key: { pk: "user#2", sk: "profile" } });
    assert.equal(gone.Item, undefined);
  });

  it("batchWrite splits into 25-write requests and resends what came back unprocessed", async () => {
    const writes = Array.from({ length: 60 }, (_, i) => ({ PutRequest: { Item: { pk: "batch", sk: `item#${String(i).padStart(3, "0")}`, n: i, exact: new NumberValue(`${BIG}${i}1`) } } }));
    flaky.dropWrites = 5;
    const out = await doc.batchWrite({ RequestItems: { [TABLE]: writes } }, { baseDelayMs: 1 });
    assert.equal(out.requests, 4); // 25 (5 held back) + 25 + 10, then the 5 again
    assert.equal(flaky.dropWrites, 0);
    const count = await doc.query({ TableName: TABLE, KeyConditionExpression: Key("pk").eq("batch"), Select: "COUNT" });
    assert.equal(count.Count, 60);
  });

  it("batchGet splits into 100-key requests and resends unprocessed keys", async () => {
    const keys = Array.from({ length: 60 }, (_, i) => ({ pk: "batch", sk: `item#${String(i).padStart(3, "0")}` }));
    const orderKeys = Array.from({ length: 30 }, (_, i) => ({ pk: "orders", sk: `order#${String(i + 1).padStart(2, "0")}` }));
    const many = [...keys, ...orderKeys, ...keys.map((k) => ({ ...k, sk: `${k.sk}-missing` }))];
    assert.equal(many.length, 150);
    flaky.dropKeys = 10;
    const out = await doc.batchGet({ RequestItems: { [TABLE]: { Keys: many, ProjectionExpression: ["pk", "sk", "exact"], ConsistentRead: true } } }, { baseDelayMs: 1 });
    assert.equal(out.requests, 3); // 100 (10 held back) + 50, then the 10 again
    const got = out.Responses[TABLE] ?? [];
    assert.equal(got.length, 90);
    const batch = got.filter((item) => item["pk"] === "batch").sort((a, b) => String(a["sk"]).localeCompare(String(b["sk"])));
    assert.equal(batch.length, 60);
    batch.forEach((item, i) => assert.equal((item["exact"] as NumberValue).value, `${BIG}${i}1`));
    assert.deepEqual(Object.keys(got.find((item) => item["pk"] === "orders") ?? {}).sort(), ["pk", "sk"]);
  });

  it("gives up after maxAttempts with UnprocessedItemsError naming what was left", async () => {
    flaky.reportAllWrites = true;
    try {
      await assert.rejects(
        doc.batchWrite(
          {
            RequestItems: {
              [TABLE]: [{ PutRequest: { Item: { pk: "stuck", sk: "1" } } }, { PutRequest: { Item: { pk: "stuck", sk: "2" } } }, { DeleteRequest: { Key: { pk: "stuck", sk: "3" } } }],
            },
          },
          { maxAttempts: 3, baseDelayMs: 1 },
        ),
        (error: unknown) => {
          assert.ok(error instanceof UnprocessedItemsError);
          assert.equal(error.operation, "BatchWriteItem");
          assert.equal(error.attempts, 3);
          assert.equal(error.message, `BatchWriteItem: 3 write requests still unprocessed after 3 attempts: ${TABLE} (3)`);
          assert.deepEqual(error.unprocessedItems, {
            [TABLE]: [{ PutRequest: { Item: { pk: "stuck", sk: "1" } } }, { PutRequest: { Item: { pk: "stuck", sk: "2" } } }, { DeleteRequest: { Key: { pk: "stuck", sk: "3" } } }],
          });
          return true;
        },
      );
    } finally {
      flaky.reportAllWrites = false;
    }
  });
});

describe("DynamoDB document transactions (stub transport: dynalite has no transactions)", () => {
  const sent: Array<{ target: string; body: Json }> = [];
  const answers: Record<string, { status: number; body: Json }> = {};
  const stub: HttpHandler = {
    async handle(request) {
      const target = (request.headers["x-amz-target"] ?? "").replace("DynamoDB_20120810.", "");
      sent.push({ target, body: JSON.parse(String(request.body)) as Json });
      const answer = answers[target] ?? { status: 200, body: {} };
      return {
        statusCode: answer.status,
        headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "stub-1" },
        body: bodyFromBytes(JSON.stringify(answer.body)),
      };
    },
  };
  const ddb = new DynamoDB({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: LOCAL_CREDENTIALS, env: {}, maxAttempts: 1, http: { handler: stub } });
  const doc = new DocumentClient(ddb);
  after(() => ddb.destroy());

  it("transactWrite marshals every kind of item and renders each one's expressions", async () => {
    await doc.transactWrite({
      TransactItems: [
        { Put: { TableName: "t", Item: { pk: "a", n: new NumberValue(BIG) }, ConditionExpression: Attr("pk").notExists() } },
        { Update: { TableName: "t", Key: { pk: "b" }, UpdateExpression: "SET #c = #c + :one", ExpressionAttributeNames: { "#c": "count" }, ExpressionAttributeValues: { ":one": 1 }, ConditionExpression: Attr("count").lt(10) } },
        { Delete: { TableName: "t", Key: { pk: "c" } } },
        { ConditionCheck: { TableName: "t", Key: { pk: "d" }, ConditionExpression: Attr("state").eq("ready") } },
      ],
      ClientRequestToken: "token-1",
    });
    const request = sent.at(-1);
    assert.equal(request?.target, "TransactWriteItems");
    assert.deepEqual(request?.body, {
      TransactItems: [
        { Put: { TableName: "t", Item: { pk: { S: "a" }, n: { N: BIG } }, ConditionExpression: "attribute_not_exists(#n0)", ExpressionAttributeNames: { "#n0": "pk" } } },
        {
          Update: {
            TableName: "t",
            Key: { pk: { S: "b" } },
            UpdateExpression: "SET #c = #c + :one",
            ConditionExpression: "#n0 < :v0",
            ExpressionAttributeNames: { "#c": "count", "#n0": "count" },
            ExpressionAttributeValues: { ":one": { N: "1" }, ":v0": { N: "10" } },
          },
        },
        { Delete: { TableName: "t", Key: { pk: { S: "c" } } } },
        { ConditionCheck: { TableName: "t", Key: { pk: { S: "d" } }, ConditionExpression: "#n0 = :v0", ExpressionAttributeNames: { "#n0": "state" }, ExpressionAttributeValues: { ":v0": { S: "ready" } } } },
      ],
      ClientRequestToken: "token-1",
    });
  });

  it("transactGet returns plain items, exact numbers included", async () => {
    answers["TransactGetItems"] = { status: 200, body: { Responses: [{ Item: { pk: { S: "a" }, n: { N: BIG } } }, {}] } };
    const out = await doc.transactGet({ TransactItems: [{ Get: { TableName: "t", Key: { pk: "a" }, ProjectionExpression: ["pk", "n"] } }, { Get: { TableName: "t", Key: { pk: "z" } } }] });
    assert.deepEqual(sent.at(-1)?.body, {
      TransactItems: [
        { Get: { TableName: "t", Key: { pk: { S: "a" } }, ProjectionExpression: "#n0, #n1", ExpressionAttributeNames: { "#n0": "pk", "#n1": "n" } } },
        { Get: { TableName: "t", Key: { pk: { S: "z" } } } },
      ],
    });
    assert.equal(out.Responses?.length, 2);
    assert.equal((out.Responses?.[0]?.Item?.["n"] as NumberValue).value, BIG);
    assert.deepEqual(out.Responses?.[1], {});
    assert.equal(out.$metadata.requestId, "stub-1");
  });

  it("a cancelled transaction is TransactionCanceledException", async () => {
    answers["TransactWriteItems"] = {
      status: 400,
      body: { __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", message: "Transaction cancelled", CancellationReasons: [{ Code: "ConditionalCheckFailed" }] },
    };
    await assert.rejects(doc.transactWrite({ TransactItems: [{ Delete: { TableName: "t", Key: { pk: "a" } } }] }), (error: unknown) => {
      assert.ok(error instanceof TransactionCanceledException);
      assert.deepEqual(error.CancellationReasons, [{ Code: "ConditionalCheckFailed" }]);
      return true;
    });
  });
});
