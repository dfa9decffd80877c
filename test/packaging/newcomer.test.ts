/**
 * A newcomer's first ten minutes, from the published form: @stratus/core and @stratus/s3
 * built and packed (pack-support.ts), installed with plain `npm install <tarballs>` into an
 * empty folder outside the repo (no package.json: npm makes one, as for anyone starting
 * out), the README's S3 quick start pasted into `quickstart.mts` exactly as the README shows
 * it, and run with `node quickstart.mts` (Node 24), its endpoint and keys given only through
 * environment variables, against s3rver on loopback. It must print what the README says it
 * prints. (Its types are checked in the workspace by test/docs/readme-snippets.test.ts, and
 * the shipped .d.ts by pack-install.test.ts.)
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { S3RVER_CREDENTIALS, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { readmeSnippet } from "../support/readme-snippets.ts";
import { childEnv, NODE, npmInstall, packPackages, run, scratchDir, stepTimer } from "./pack-support.ts";

let scratch: string;
let server: RunningServer;

before(async () => {
  scratch = scratchDir("stratus-newcomer-");
  server = await startS3rver();
});

after(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the README's S3 quick start, pasted into a fresh npm project, prints what the README says", async (t) => {
  const { timed, summary } = stepTimer();
  const { code, output } = readmeSnippet("s3");
  assert.match(code, /from "@stratus\/s3"/, "the quick start imports the package by its name");

  const { core, s3 } = await timed("build + pnpm pack", () => packPackages(["core", "s3"], join(scratch, "tarballs")));
  const project = join(scratch, "my-app");
  mkdirSync(project);
  await timed("npm install", () => npmInstall(project, [core, s3]));
  const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}).sort(), ["@stratus/core", "@stratus/s3"]);
  writeFileSync(join(project, "quickstart.mts"), code);

  // What a newcomer's shell would hold: keys, a region, the endpoint; an empty home.
  const home = mkdtempSync(join(scratch, "home-"));
  const env: NodeJS.ProcessEnv = {
    ...childEnv(),
    HOME: home,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: server.endpoint,
  };
  for (const name of ["AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "QUICKSTART_BUCKET"]) delete env[name];

  const ran = await timed("node quickstart.mts", () => run(NODE, ["quickstart.mts"], { cwd: project, env }));
  assert.equal(ran.stdout, output, "what the quick start printed");
  t.diagnostic(summary());
});
