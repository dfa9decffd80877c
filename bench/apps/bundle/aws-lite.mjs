// The small app whose bundle the bench measures for aws-lite: S3 GetObject + PutObject and
// DynamoDB GetItem, through the same app modules the other benches run (../aws-lite-*.mjs).
import { create as createS3 } from "../aws-lite-s3.mjs";
import { create as createDynamoDB } from "../aws-lite-dynamodb.mjs";

export default async function app(config) {
  const s3 = await createS3(config);
  const dynamodb = await createDynamoDB(config);
  await s3.putObject("hello.txt", "hello", 5);
  const bytes = await s3.getObject("hello.txt");
  const item = await dynamodb.getItem();
  await Promise.all([s3.close(), dynamodb.close()]);
  return { bytes, item };
}
