/**
 * The table the DynamoDB document tests use: a string partition key `pk` and a string sort
 * key `sk`, on demand. Plain data, so the edge scenario (bundled for workerd) can use it too.
 */
import type { CreateTableInput } from "../../packages/dynamodb/src/index.ts";

export function pkSkTable(name: string): CreateTableInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  };
}
