// The small app whose bundle the bench measures for stratus: S3 GetObject + PutObject and
// DynamoDB GetItem, through the same app modules the other benches run (../stratus-*.mjs).
import { create as createS3 } from "../stratus-s3.mjs";
import { create as createDynamoDB } from "../stratus-dynamodb.mjs";

export default async function app(config) {
  const s3 = await createS3(config);
  const dynamodb = await createDynamoDB(config);
  await s3.putObject("hello.txt", "hello", 5);
  const bytes = await s3.getObject("hello.txt");
  const item = await dynamodb.getItem();
  await Promise.all([s3.close(), dynamodb.close()]);
  return { bytes, item };
}
