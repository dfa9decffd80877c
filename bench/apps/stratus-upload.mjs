// Stratus, S3 transfer manager: one upload() of a body of unknown length, as an
// application would write it. `config` comes from the bench (see bench/README.md).
import { S3, upload } from "@stratus/s3";

export function create(config) {
  const s3 = new S3({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    endpointParams: { ForcePathStyle: true },
    env: {}, // never the real environment or ~/.aws
  });
  return {
    async upload(key, body, { partSize, concurrency }) {
      await upload(s3, { Bucket: config.bucket, Key: key, Body: body }, { partSize, concurrency });
    },
    close: () => s3.destroy(),
  };
}
