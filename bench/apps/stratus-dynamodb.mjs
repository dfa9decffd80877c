// Stratus, DynamoDB: one GetItem, as an application would call it.
import { DynamoDB } from "@stratus/dynamodb";

export function create(config) {
  const ddb = new DynamoDB({ region: config.region, endpoint: config.endpoint, credentials: config.credentials, env: {} });
  return {
    async getItem() {
      const { Item } = await ddb.getItem({ TableName: config.table, Key: { id: { S: "user-1" } } });
      return Item;
    },
    close: () => ddb.destroy(),
  };
}
