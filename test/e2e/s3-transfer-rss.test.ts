// Memory stays flat whatever the object's size: 200 MiB up through upload() and down through
// getObject's streamed Body, each measured as peak RSS above a baseline in a child process
// that does nothing else (test/e2e/fixtures/s3-transfer-rss-child.ts says how it measures).
// s3rver runs here, in the parent, so its own memory is not counted.
//
// The bound, 64 MiB: upload() holds at most (concurrency + 1) parts of 8 MiB (40 MiB with
// the defaults) plus the transport's buffers; a streamed download holds a few socket chunks.
// A transfer that buffered the object would cost 200 MiB or more.
//
// Node flags. The upload child runs with none. The download child runs with
// --max-semi-space-size=1, and this is why: a streamed download holds almost nothing, but
// every socket read allocates a fresh 64 KiB buffer that is dead as soon as it was hashed,
// and with V8's default young generation those dead buffers are only freed when a
// collection comes, which V8 lets wait until tens of MiB of them piled up. With default
// flags the download measured +42 to +62 MiB over five runs (a bare undici request
// streaming 200 MiB, no SDK at all, +29 to +40), so the assertion would measure V8's GC
// timing and fail at random; with a 1 MiB semi-space V8 collects them young and the same
// download measures +1 to +6 MiB. (The upload, whose memory is the part buffers it holds,
// measures about the same either way: +37 to +50 MiB by default, +39 with the flag.)
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { S3 } from "../../packages/s3/src/index.ts";
import { S3RVER_CREDENTIALS, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";

const BUCKET = "stratus-transfer-rss";
const LIMIT_MIB = 64;
const root = join(import.meta.dirname, "..", "..");

interface ChildReport {
  readonly peakMiB: number;
  readonly baselineMiB: number;
  readonly sha256: string;
  /** Upload: parts of the multipart upload. */
  readonly parts?: number;
  /** Download: bytes read. */
  readonly bytes?: number;
}

/** Node flags per phase (see the header for the download's). */
const FLAGS: Readonly<Record<"upload" | "download", readonly string[]>> = { upload: [], download: ["--max-semi-space-size=1"] };

/** Runs one phase in its own process (async: s3rver answers from this process's event loop). */
function runChild(endpoint: string, mode: "upload" | "download"): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const script = join(import.meta.dirname, "fixtures", "s3-transfer-rss-child.ts");
    const child = spawn(join(root, "node_modules", ".bin", "node"), [...FLAGS[mode], script, endpoint, BUCKET, mode], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the child exited with ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as ChildReport);
      } catch (error) {
        reject(new Error(`the child printed no report: ${stdout} ${stderr}`, { cause: error }));
      }
    });
  });
}

describe("transfer memory (RSS) for 200 MiB", () => {
  let server: RunningServer;

  before(async () => {
    server = await startS3rver();
    const s3 = new S3({ region: "us-east-1", endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS, endpointParams: { ForcePathStyle: true }, env: {} });
    await s3.createBucket({ Bucket: BUCKET });
    await s3.destroy();
  });
  after(async () => {
    await server.close();
  });

  it(`uploads and downloads 200 MiB with less than ${LIMIT_MIB} MiB above the baseline`, async () => {
    const up = await runChild(server.endpoint, "upload");
    const down = await runChild(server.endpoint, "download");
    console.log(`s3 200MiB upload: peak RSS +${Math.round(up.peakMiB)} MiB`);
    console.log(`s3 200MiB download: peak RSS +${Math.round(down.peakMiB)} MiB`);
    assert.equal(up.parts, 25, "200 MiB of unknown length in parts of 8 MiB");
    assert.equal(down.bytes, 200 * 1024 * 1024);
    assert.equal(down.sha256, up.sha256, "the download has the uploaded bytes");
    assert.ok(up.peakMiB < LIMIT_MIB, `upload: +${up.peakMiB.toFixed(1)} MiB above ${up.baselineMiB.toFixed(0)} MiB`);
    assert.ok(down.peakMiB < LIMIT_MIB, `download: +${down.peakMiB.toFixed(1)} MiB above ${down.baselineMiB.toFixed(0)} MiB`);
  });
});
