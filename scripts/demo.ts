// The demo: what @stratus/core does today, with nothing but a throw-away home directory.
// It builds a profile whose credentials come from a `credential_process`, lets a Session
// resolve region and credentials through the chain, signs an S3 request and presigns a
// URL (printing the exact strings SigV4 signed), and shows the chain's error when nothing
// is configured. It never reads the real ~/.aws and makes no network call.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { CredentialsProviderError, presignRequest, Session, signRequest, UNSIGNED_PAYLOAD, type HttpRequest } from "@stratus/core";

const home = mkdtempSync(join(tmpdir(), "stratus-demo-"));
try {
  mkdirSync(join(home, ".aws"));
  const helper = join(home, "issue-credentials.mjs");
  writeFileSync(
    helper,
    `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIADEMO00000000", SecretAccessKey: "demo-secret-never-printed",
      SessionToken: "demo-token-never-printed", Expiration: new Date(Date.now() + 3600e3).toISOString() }));\n`,
  );
  writeFileSync(
    join(home, ".aws", "config"),
    [
      "[profile demo]",
      "region = eu-west-1",
      `credential_process = "${process.execPath}" "${helper}"`,
      "",
    ].join("\n"),
  );

  const env = { HOME: home, AWS_PROFILE: "demo", AWS_EC2_METADATA_DISABLED: "true" };
  const session = new Session({ env });
  const region = await session.region();
  const credentials = await session.credentials();
  section("session");
  console.log(`profile      ${session.profileName}`);
  console.log(`region       ${region}`);
  console.log(`credentials  from ${credentials.source}, expiring ${credentials.expiration?.toISOString()}`);
  console.log(`inspect      ${inspect(credentials)}`);

  const request: HttpRequest = {
    method: "GET",
    protocol: "https:",
    hostname: `demo-bucket.s3.${region}.amazonaws.com`,
    path: "/photos/2026/cat%20on%20a%20mat.jpg",
    query: [["versionId", "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"]],
    headers: {},
  };
  const signed = signRequest(request, {
    credentials,
    region: region ?? "us-east-1",
    service: "s3",
    payloadHash: UNSIGNED_PAYLOAD,
    uriEscapePath: false,
    normalizePath: false,
    addContentSha256Header: true,
  });
  section("SigV4: canonical request (S3 rules: path signed as sent)");
  console.log(signed.canonicalRequest);
  section("SigV4: string to sign");
  console.log(signed.stringToSign);
  section("SigV4: authorization header");
  console.log(signed.request.headers["authorization"]);

  const presigned = presignRequest(request, {
    credentials,
    region: region ?? "us-east-1",
    service: "s3",
    payloadHash: UNSIGNED_PAYLOAD,
    uriEscapePath: false,
    normalizePath: false,
    expiresIn: 900,
  });
  section("presigned URL (15 minutes; the session token is part of it, so it is cut here)");
  console.log(presigned.url.replace(/X-Amz-Security-Token=[^&]+/, "X-Amz-Security-Token=…"));

  section("an empty environment: every provider says why it had nothing");
  const empty = mkdtempSync(join(tmpdir(), "stratus-demo-empty-"));
  try {
    await new Session({ env: { HOME: empty, AWS_EC2_METADATA_DISABLED: "true" } }).credentials();
  } catch (error) {
    if (!(error instanceof CredentialsProviderError)) throw error;
    console.log(`${error.name}: ${error.message}`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

function section(title: string): void {
  console.log(`\n── ${title} ${"─".repeat(Math.max(0, 76 - title.length))}`);
}
