/**
 * The table the DynamoDB tests use: a string partition key `pk` and a sort key `sk` (a
 * string unless asked otherwise), on demand. Plain data, so the edge scenario (bundled for workerd) can use it too.
 */
import type { CreateTableInput } from "../../packages/dynamodb/src/index.ts";

export function pkSkTable(name: string, sortKeyType: "S" | "N" = "S"): CreateTableInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: sortKeyType },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  };
}
