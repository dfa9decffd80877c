// DynamoDB with plain JavaScript values: @stratus/dynamodb's document layer (DocumentClient,
// what lib-dynamodb's DynamoDBDocument and boto3's Table are) for create, read, update,
// query and delete, each write guarded by a condition built with Key()/Attr() (boto3's
// `boto3.dynamodb.conditions`), and a failed condition caught as its typed error.
//
//   node examples/dynamodb-document-crud.ts
//
// Region, credentials and endpoint come from the environment (AWS_REGION,
// AWS_ACCESS_KEY_ID…, AWS_ENDPOINT_URL_DYNAMODB for a local DynamoDB); the table from
// STRATUS_EXAMPLE_TABLE (default "stratus-example-users"), created if it is missing.
import { Attr, ConditionalCheckFailedException, DocumentClient, DynamoDB, Key, ResourceInUseException } from "@stratus/dynamodb";

const TableName = process.env["STRATUS_EXAMPLE_TABLE"] ?? "stratus-example-users";

interface User {
  pk: string;
  sk: string;
  name: string;
  plan: "free" | "pro";
  version: number;
  tags?: Set<string>;
}

interface Order {
  pk: string;
  sk: string;
  total: number;
}

await using ddb = new DynamoDB();
try {
  await ddb.createTable({
    TableName,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  });
} catch (error) {
  if (!(error instanceof ResourceInUseException)) throw error;
}
await ddb.waitUntil.tableExists({ TableName }, { maxWait: 60_000 });
const doc = new DocumentClient(ddb);

// Create, only if nobody has taken the id: a second identical put fails its condition.
const ada: User = { pk: "user#ada", sk: "profile", name: "Ada", plan: "free", version: 1, tags: new Set(["math", "engines"]) };
await doc.put({ TableName, Item: ada, ConditionExpression: Attr("pk").notExists() });
console.log("put user#ada");
try {
  await doc.put({ TableName, Item: ada, ConditionExpression: Attr("pk").notExists() });
} catch (error) {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  console.log(`put user#ada again: ${error.name} (the condition kept the first one)`);
}

// Read.
const { Item } = await doc.get<User>({ TableName, Key: { pk: "user#ada", sk: "profile" } });
console.log(`get user#ada: ${Item?.name}, plan ${Item?.plan}, version ${Item?.version}, tags ${[...(Item?.tags ?? [])].sort().join(",")}`);

// Update with optimistic locking: only the version we read may be replaced.
const { Attributes } = await doc.update<User>({
  TableName,
  Key: { pk: "user#ada", sk: "profile" },
  UpdateExpression: "SET #plan = :plan ADD #version :one",
  ExpressionAttributeNames: { "#plan": "plan", "#version": "version" },
  ExpressionAttributeValues: { ":plan": "pro", ":one": 1 },
  ConditionExpression: Attr("version").eq(Item?.version ?? 0),
  ReturnValues: "ALL_NEW",
});
console.log(`update user#ada: plan ${Attributes?.plan}, version ${Attributes?.version}`);
try {
  await doc.update({
    TableName,
    Key: { pk: "user#ada", sk: "profile" },
    UpdateExpression: "SET #plan = :plan",
    ExpressionAttributeNames: { "#plan": "plan" },
    ExpressionAttributeValues: { ":plan": "free" },
    ConditionExpression: Attr("version").eq(1), // stale: the version is 2 now
  });
} catch (error) {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  console.log("update with a stale version: ConditionalCheckFailedException");
}

// Query: the user's orders, through every page (two items a page here, to show paging).
for (const [n, total] of [[1, 25], [2, 140], [3, 60]] as const) {
  await doc.put({ TableName, Item: { pk: "user#ada", sk: `order#${n}`, total } satisfies Order });
}
const orders: Order[] = [];
const pages = doc.paginate.query<Order>({ TableName, KeyConditionExpression: Key("pk").eq("user#ada").and(Key("sk").beginsWith("order#")), Limit: 2 });
for await (const order of pages.items()) orders.push(order);
console.log(`query orders of user#ada: ${orders.map((o) => `${o.sk}=${o.total}`).join(", ")}`);
const { Items: big } = await doc.query<Order>({
  TableName,
  KeyConditionExpression: Key("pk").eq("user#ada").and(Key("sk").beginsWith("order#")),
  FilterExpression: Attr("total").gte(50),
});
console.log(`query orders of 50 or more: ${(big ?? []).map((o) => o.sk).join(", ")}`);

// Delete, only if it is the version we expect; then it is gone.
await doc.delete({ TableName, Key: { pk: "user#ada", sk: "profile" }, ConditionExpression: Attr("version").eq(2).and(Attr("plan").eq("pro")) });
const after = await doc.get({ TableName, Key: { pk: "user#ada", sk: "profile" } });
console.log(`delete user#ada: ${after.Item === undefined ? "gone" : "still there"}`);
