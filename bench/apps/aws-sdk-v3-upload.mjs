// AWS SDK for JavaScript v3, S3 transfer manager: the same upload as stratus-upload.mjs,
// through @aws-sdk/lib-storage's Upload, with the SDK's defaults otherwise.
import { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

export function create(config) {
  const s3 = new S3Client({ region: config.region, endpoint: config.endpoint, credentials: config.credentials, forcePathStyle: true });
  return {
    async upload(key, body, { partSize, concurrency }) {
      const upload = new Upload({ client: s3, params: { Bucket: config.bucket, Key: key, Body: body }, partSize, queueSize: concurrency });
      await upload.done();
    },
    close: async () => s3.destroy(),
  };
}
