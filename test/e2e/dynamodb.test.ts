// DynamoDB end to end against dynalite: a table through its waiter, put/get, query and
// scan pagination, and a failed condition caught as its modelled error class.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConditionalCheckFailedException, DynamoDB, ResourceNotFoundException } from "../../packages/dynamodb/src/index.ts";
import { LOCAL_CREDENTIALS, startDynalite, type RunningServer } from "../../scripts/local-servers.ts";
import { pkSkTable } from "../support/pk-sk-table.ts";

describe("DynamoDB against dynalite", () => {
  let server: RunningServer;
  let ddb: DynamoDB;

  before(async () => {
    server = await startDynalite();
    ddb = new DynamoDB({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, env: {} });
  });
  after(async () => {
    await ddb.destroy();
    await server.close();
  });

  it("creates a table and waits until it exists", async () => {
    await ddb.createTable(pkSkTable("stratus-e2e", "N"));
    const waited = await ddb.waitUntil.tableExists({ TableName: "stratus-e2e" }, { maxWait: 20_000 });
    assert.equal(waited.state, "success");
    const described = await ddb.describeTable({ TableName: "stratus-e2e" });
    assert.equal(described.Table?.TableStatus, "ACTIVE");
  });

  it("puts and gets an item", async () => {
    await ddb.putItem({ TableName: "stratus-e2e", Item: { pk: { S: "user#1" }, sk: { N: "0" }, name: { S: "Ada" }, tags: { SS: ["a", "b"] } } });
    const got = await ddb.getItem({ TableName: "stratus-e2e", Key: { pk: { S: "user#1" }, sk: { N: "0" } } });
    assert.deepEqual(got.Item, { pk: { S: "user#1" }, sk: { N: "0" }, name: { S: "Ada" }, tags: { SS: ["a", "b"] } });
    assert.ok(got.$metadata.requestId);
  });

  it("paginates query and scan results", async () => {
    for (let i = 1; i <= 25; i++) {
      await ddb.putItem({ TableName: "stratus-e2e", Item: { pk: { S: "orders" }, sk: { N: String(i) }, total: { N: String(i * 10) } } });
    }
    const sks: string[] = [];
    let pages = 0;
    for await (const page of ddb.paginate.query({
      TableName: "stratus-e2e",
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: "orders" } },
      Limit: 10,
    })) {
      pages++;
      for (const item of page.Items ?? []) sks.push(item["sk"]?.N ?? "");
    }
    assert.equal(pages, 3);
    assert.deepEqual(sks, Array.from({ length: 25 }, (_, i) => String(i + 1)));
    let scanned = 0;
    for await (const item of ddb.paginate.scan({ TableName: "stratus-e2e", Limit: 7 }).items()) {
      assert.ok(item["pk"]);
      scanned++;
    }
    assert.equal(scanned, 26);
  });

  it("raises a failed condition as ConditionalCheckFailedException", async () => {
    await assert.rejects(
      ddb.putItem({
        TableName: "stratus-e2e",
        Item: { pk: { S: "user#1" }, sk: { N: "0" } },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
      (error: unknown) => {
        assert.ok(error instanceof ConditionalCheckFailedException);
        assert.equal(error.code, "ConditionalCheckFailedException");
        assert.equal(error.$metadata.httpStatusCode, 400);
        assert.equal(error.$metadata.attempts, 1);
        return true;
      },
    );
    await assert.rejects(ddb.describeTable({ TableName: "missing-table" }), ResourceNotFoundException);
  });
});
