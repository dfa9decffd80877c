// aws-lite, S3 transfer manager: the same upload as stratus-upload.mjs, through the S3
// plugin's Upload (a multipart upload even for a small body). A 127.0.0.1 host makes the
// plugin use path-style URLs.
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
    async upload(key, body, { partSize, concurrency }) {
      await aws.S3.Upload({ Bucket: config.bucket, Key: key, Body: body, ChunkSize: partSize, Concurrency: concurrency });
    },
    close: async () => undefined,
  };
}
