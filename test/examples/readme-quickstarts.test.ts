// The README's S3 and DynamoDB quick starts, exactly as written there, run in the workspace
// against s3rver and dynalite with only environment variables pointing them there: each
// must print what the README says it prints. (test/packaging/newcomer.test.ts runs the S3
// one again from the packed tarballs; test/docs/readme-snippets.test.ts type-checks both.)
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS, startDynalite, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { readmeSnippet } from "../support/readme-snippets.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

describe("README quick starts", { concurrency: true }, () => {
  let s3rver: RunningServer;
  let dynalite: RunningServer;
  let dir: string;
  let home: string;

  before(async () => {
    [s3rver, dynalite] = await Promise.all([startS3rver(), startDynalite()]);
    // Inside the repo (gitignored), so "@stratus/…" resolves to the workspace's packages.
    mkdirSync(join(ROOT, ".stratus-tmp"), { recursive: true });
    dir = mkdtempSync(join(ROOT, ".stratus-tmp", "quickstart-"));
    home = mkdtempSync(join(tmpdir(), "stratus-quickstart-home-"));
    for (const name of ["s3", "dynamodb"]) writeFileSync(join(dir, `quickstart-${name}.ts`), readmeSnippet(name).code);
  });
  after(async () => {
    await Promise.all([s3rver?.close(), dynalite?.close()]);
    for (const folder of [dir, home]) if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const env = (vars: Record<string, string>) => ({ PATH: process.env["PATH"] ?? "", HOME: home, AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true", ...vars });

  it("S3: prints what the README says", async () => {
    const { stdout } = await run(process.execPath, ["quickstart-s3.ts"], {
      cwd: dir,
      env: env({ AWS_ENDPOINT_URL_S3: s3rver.endpoint, AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey }),
    });
    assert.equal(stdout, readmeSnippet("s3").output);
  });

  it("DynamoDB: prints what the README says", async () => {
    const { stdout } = await run(process.execPath, ["quickstart-dynamodb.ts"], {
      cwd: dir,
      env: env({ AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey }),
    });
    assert.equal(stdout, readmeSnippet("dynamodb").output);
  });
});
