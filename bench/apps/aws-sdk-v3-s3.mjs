// AWS SDK for JavaScript v3, S3: the same calls as stratus-s3.mjs, with the SDK's defaults.
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

export function create(config) {
  const s3 = new S3Client({ region: config.region, endpoint: config.endpoint, credentials: config.credentials, forcePathStyle: true });
  return {
    async getObject(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
      return (await object.Body.transformToByteArray()).byteLength;
    },
    async streamObject(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
      let bytes = 0;
      for await (const chunk of object.Body) bytes += chunk.byteLength;
      return bytes;
    },
    async putObject(key, body, length) {
      await s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, ContentLength: length }));
    },
    close: async () => s3.destroy(),
  };
}
