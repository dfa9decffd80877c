// AWS SDK for JavaScript v3, DynamoDB document layer (@aws-sdk/lib-dynamodb): the same
// get, put and query as stratus-document.mjs, with the SDK's defaults.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

export function create(config) {
  const ddb = new DynamoDBClient({ region: config.region, endpoint: config.endpoint, credentials: config.credentials });
  const doc = DynamoDBDocumentClient.from(ddb);
  return {
    async get(key) {
      const { Item } = await doc.send(new GetCommand({ TableName: config.table, Key: key }));
      return Item;
    },
    async put(item) {
      await doc.send(new PutCommand({ TableName: config.table, Item: item }));
    },
    async query(pk) {
      const { Items } = await doc.send(
        new QueryCommand({
          TableName: config.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": "order#" },
        }),
      );
      return Items;
    },
    close: async () => ddb.destroy(),
  };
}
