// A streamed upload with a progress bar, then a download into a file, with @stratus/s3's
// transfer manager: upload() sends a body of any size (here a stream whose length nobody
// knows in advance) as a multipart upload with parts in parallel and bounded memory;
// download() fetches ranged parts in parallel and writes them to the file in order.
//
//   node examples/s3-upload-download.ts [MiB]      (default 24)
//
// Region, credentials and endpoint come from the environment like any client's (AWS_REGION,
// AWS_ACCESS_KEY_ID…, AWS_ENDPOINT_URL_S3 for an S3-compatible server); the bucket from
// STRATUS_EXAMPLE_BUCKET (default "stratus-examples"), created if it is missing.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BucketAlreadyOwnedByYou, download, S3, upload, type TransferProgress } from "@stratus/s3";

const MiB = 1024 * 1024;
const size = Number(process.argv[2] ?? 24) * MiB;
const Bucket = process.env["STRATUS_EXAMPLE_BUCKET"] ?? "stratus-examples";
const Key = "examples/random.bin";

/** `total` bytes of noise in 1 MiB chunks, hashed as they go by: a body of unknown length. */
async function* noise(total: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += MiB) {
    const chunk = new Uint8Array(randomBytes(Math.min(MiB, total - sent)));
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * `label [#########---------------------]  30%  7.2/24.0 MiB`: redrawn in place on a
 * terminal, else (a log, a pipe) one line per tenth of the way (per event while the
 * size is unknown: the stream has not ended yet).
 */
function progressBar(label: string): (event: TransferProgress) => void {
  let printedTenth = -1;
  return ({ loaded, total }) => {
    const width = 30;
    const fraction = total ? loaded / total : 0;
    const done = Math.round(fraction * width);
    const percent = total ? `${Math.floor(fraction * 100)}%` : "?%";
    const line = `${label} [${"#".repeat(done)}${"-".repeat(width - done)}] ${percent.padStart(4)}  ${(loaded / MiB).toFixed(1)}/${total ? (total / MiB).toFixed(1) : "?"} MiB`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}${loaded === total ? "\n" : ""}`);
    } else if (total === undefined || Math.floor(fraction * 10) > printedTenth) {
      printedTenth = Math.floor(fraction * 10);
      console.log(line);
    }
  };
}

await using s3 = new S3();
try {
  await s3.createBucket({ Bucket });
} catch (error) {
  if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
}

const sent = createHash("sha256");
const uploaded = await upload(s3, { Bucket, Key, Body: noise(size, sent), ContentType: "application/octet-stream" }, {
  partSize: 5 * MiB,
  concurrency: 4,
  onProgress: progressBar("upload  "),
});
console.log(`uploaded s3://${uploaded.Bucket}/${uploaded.Key} in ${uploaded.parts} parts`);

const folder = mkdtempSync(join(tmpdir(), "stratus-example-"));
try {
  const file = join(folder, "random.bin");
  const downloaded = await download(s3, { Bucket, Key }, file, { partSize: 4 * MiB, concurrency: 4, onProgress: progressBar("download") });
  const same = createHash("sha256").update(readFileSync(file)).digest("hex") === sent.digest("hex");
  console.log(`downloaded ${downloaded.bytes} bytes to ${file}: ${same ? "identical to what was uploaded" : "DIFFERENT from what was uploaded"}`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
  await s3.deleteObject({ Bucket, Key });
}
