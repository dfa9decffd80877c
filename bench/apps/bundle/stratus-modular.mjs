// The same small app as stratus.mjs, written in Stratus's modular form: the core's
// ServiceClient with each service's definition and only the operation schemas it calls
// (the v3 SDK's Client + Command style). A bundler then keeps those operations alone.
import { ServiceClient } from "@stratus/core";
import { definition as s3Definition } from "@stratus/s3";
import { GetObject, PutObject } from "@stratus/s3/schema";
import { definition as dynamodbDefinition } from "@stratus/dynamodb";
import { GetItem } from "@stratus/dynamodb/schema";

export default async function app(config) {
  const s3 = new ServiceClient(s3Definition, {
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    endpointParams: { ForcePathStyle: true },
    env: {},
  });
  const dynamodb = new ServiceClient(dynamodbDefinition, { region: config.region, endpoint: config.endpoint, credentials: config.credentials, env: {} });
  await s3.send(PutObject, { Bucket: config.bucket, Key: "hello.txt", Body: "hello", ContentLength: 5 });
  const object = await s3.send(GetObject, { Bucket: config.bucket, Key: "hello.txt" });
  const bytes = (await object.Body.bytes()).byteLength;
  const { Item: item } = await dynamodb.send(GetItem, { TableName: config.table, Key: { id: { S: "user-1" } } });
  await Promise.all([s3.destroy(), dynamodb.destroy()]);
  return { bytes, item };
}
