// aws-lite, DynamoDB: the same GetItem as stratus-dynamodb.mjs. The plugin takes and
// returns plain JavaScript values (it marshals for you), as its users write it.
import awsLite from "@aws-lite/client";
import dynamodbPlugin from "@aws-lite/dynamodb";

export async function create(config) {
  const aws = await awsLite({
    region: config.region,
    endpoint: config.endpoint,
    accessKeyId: config.credentials.accessKeyId,
    secretAccessKey: config.credentials.secretAccessKey,
    plugins: [dynamodbPlugin],
  });
  return {
    async getItem() {
      const { Item } = await aws.DynamoDB.GetItem({ TableName: config.table, Key: { id: "user-1" } });
      return Item;
    },
    close: async () => undefined,
  };
}
