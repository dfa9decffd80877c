// Stratus, S3: the calls every S3 bench makes, written as an application would.
// `config` comes from the bench (loopback endpoint, fixed keys); see bench/README.md.
import { S3 } from "@stratus/s3";

export function create(config) {
  const s3 = new S3({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    endpointParams: { ForcePathStyle: true },
    env: {}, // never the real environment or ~/.aws
  });
  return {
    /** The whole (small) body in memory; resolves to its length. */
    async getObject(key) {
      const object = await s3.getObject({ Bucket: config.bucket, Key: key });
      return (await object.Body.bytes()).byteLength;
    },
    /** Streams the body and drops every chunk; resolves to the byte count. */
    async streamObject(key) {
      const object = await s3.getObject({ Bucket: config.bucket, Key: key });
      let bytes = 0;
      for await (const chunk of object.Body) bytes += chunk.byteLength;
      return bytes;
    },
    async putObject(key, body, length) {
      await s3.putObject({ Bucket: config.bucket, Key: key, Body: body, ContentLength: length });
    },
    close: () => s3.destroy(),
  };
}
