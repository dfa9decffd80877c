// AWS SDK for JavaScript v3, DynamoDB: the same GetItem as stratus-dynamodb.mjs.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";

export function create(config) {
  const ddb = new DynamoDBClient({ region: config.region, endpoint: config.endpoint, credentials: config.credentials });
  return {
    async getItem() {
      const { Item } = await ddb.send(new GetItemCommand({ TableName: config.table, Key: { id: { S: "user-1" } } }));
      return Item;
    },
    close: async () => ddb.destroy(),
  };
}
