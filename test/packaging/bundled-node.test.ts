/**
 * An S3 app bundled for Node into one file and run from a folder with no node_modules, as
 * a Lambda function or a single-file CLI ships: undici is not in the bundle (the core
 * imports it by a specifier bundlers leave alone) and not beside it, so the Node transport
 * runs on node:http. The app must still work end to end against s3rver, and say which
 * engine it used.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3RVER_CREDENTIALS, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { bundleApp } from "./bundle-app.ts";

const APP = `
import { S3 } from "@stratus/s3";
import { createDefaultHttpHandler } from "@stratus/core";
const handler = createDefaultHttpHandler();
const s3 = new S3({
  region: "us-east-1",
  endpoint: process.env.S3_ENDPOINT,
  credentials: { accessKeyId: process.env.KEY_ID, secretAccessKey: process.env.SECRET },
  endpointParams: { ForcePathStyle: true },
  requestChecksumCalculation: "when_required",
  http: { handler },
  env: {},
});
await s3.createBucket({ Bucket: "bundled" });
await s3.putObject({ Bucket: "bundled", Key: "k.txt", Body: "from a bundle" });
const got = await s3.getObject({ Bucket: "bundled", Key: "k.txt" });
console.log(JSON.stringify({ text: await got.Body.text(), transport: await handler.transport() }));
await handler.destroy();
`;

let server: RunningServer;
let dir: string;

before(async () => {
  server = await startS3rver();
  dir = mkdtempSync(join(tmpdir(), "stratus-bundled-"));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a Node bundle without node_modules runs on node:http against s3rver", async () => {
  const result = await bundleApp(APP);
  const inputs = Object.keys(result.metafile.inputs);
  assert.deepEqual(inputs.filter((path) => /node_modules\/(\.pnpm\/)?undici/.test(path)), [], "undici is not bundled");
  const [output] = result.outputFiles;
  assert.ok(output);
  const file = join(dir, "app.mjs");
  writeFileSync(file, output.contents);
  // Asynchronously: s3rver runs in this process and must keep answering.
  const run = await promisify(execFile)(process.execPath, [file], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", S3_ENDPOINT: server.endpoint, KEY_ID: S3RVER_CREDENTIALS.accessKeyId, SECRET: S3RVER_CREDENTIALS.secretAccessKey },
    timeout: 60_000,
  });
  assert.deepEqual(JSON.parse(run.stdout.trim()), { text: "from a bundle", transport: "node:http" });
});
