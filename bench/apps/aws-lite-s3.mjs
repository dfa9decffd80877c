// aws-lite, S3: the same calls as stratus-s3.mjs. aws-lite's client is created by an async
// factory; a 127.0.0.1 host makes its S3 plugin use path-style URLs.
import awsLite from "@aws-lite/client";
import s3Plugin from "@aws-lite/s3";

export async function create(config) {
  const aws = await awsLite({
    region: config.region,
    endpoint: config.endpoint,
    accessKeyId: config.credentials.accessKeyId,
    secretAccessKey: config.credentials.secretAccessKey,
    plugins: [s3Plugin],
  });
  return {
    // aws-lite buffers response payloads unless asked to stream them.
    async getObject(key) {
      const { Body } = await aws.S3.GetObject({ Bucket: config.bucket, Key: key });
      return Body.byteLength;
    },
    async streamObject(key) {
      const { Body } = await aws.S3.GetObject({ Bucket: config.bucket, Key: key, streamResponsePayload: true });
      let bytes = 0;
      for await (const chunk of Body) bytes += chunk.byteLength;
      return bytes;
    },
    // aws-lite reads a stream Body into one Buffer before sending (its put-object.mjs).
    async putObject(key, body, length) {
      await aws.S3.PutObject({ Bucket: config.bucket, Key: key, Body: body, ContentLength: String(length) });
    },
    close: async () => undefined,
  };
}
