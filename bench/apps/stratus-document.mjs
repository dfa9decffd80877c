// Stratus, DynamoDB document layer: get, put and query with plain JavaScript values, as an
// application would write them. `config` comes from the bench (see bench/README.md).
import { DocumentClient, DynamoDB } from "@stratus/dynamodb";

export function create(config) {
  const ddb = new DynamoDB({ region: config.region, endpoint: config.endpoint, credentials: config.credentials, env: {} });
  const doc = new DocumentClient(ddb);
  return {
    async get(key) {
      const { Item } = await doc.get({ TableName: config.table, Key: key });
      return Item;
    },
    async put(item) {
      await doc.put({ TableName: config.table, Item: item });
    },
    async query(pk) {
      const { Items } = await doc.query({
        TableName: config.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": "order#" },
      });
      return Items;
    },
    close: () => ddb.destroy(),
  };
}
