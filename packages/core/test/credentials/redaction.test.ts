/**
 * No secret ever shows: for every provider of the default chain, the credentials it
 * returns and the errors of its failure paths are rendered every way a program might print
 * them (util.inspect at any depth, `%o`, JSON.stringify, String, a template string, the
 * error's message, stack and cause chain) and searched for the distinctive fake secrets
 * each test planted. Each success case also checks the secret really is in the
 * credentials, so a test cannot pass by returning the wrong thing.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { format, inspect } from "node:util";
import { loadSharedConfig } from "../../src/config/index.ts";
import type { Credentials } from "../../src/credentials/credentials.ts";
import { defaultCredentialChain } from "../../src/credentials/default-chain.ts";
import { fromConfigFile } from "../../src/credentials/providers/config-file.ts";
import { fromContainerEndpoint } from "../../src/credentials/providers/container.ts";
import { fromCredentialsFile } from "../../src/credentials/providers/credentials-file.ts";
import { fromEnvironment } from "../../src/credentials/providers/environment.ts";
import { fromInstanceMetadata } from "../../src/credentials/providers/imds.ts";
import { fromProcess } from "../../src/credentials/providers/process.ts";
import { fromSso } from "../../src/credentials/providers/sso.ts";
import { fromStatic } from "../../src/credentials/providers/static.ts";
import { fromWebIdentity } from "../../src/credentials/providers/web-identity.ts";
import { ssoTokenCachePath } from "../../src/credentials/sso-token.ts";
import { startFakeImds } from "../support/fake-imds.ts";
import { startFakeSso } from "../support/fake-sso.ts";
import { startFakeSts, type FakeSts, type StsCall, type StsReply } from "../support/fake-sts.ts";
import { sendJson, startLoopbackServer } from "../support/loopback-server.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

/** Every planted secret, by provider; all are searched for in everything. */
const S = {
  staticKey: "SECRETKEY-static-q1w2e3r4",
  staticToken: "SESSIONTOKEN-static-t5y6u7i8",
  envKey: "SECRETKEY-env-a9s8d7f6",
  envToken: "SESSIONTOKEN-env-g5h4j3k2",
  jwt: "eyJWEBIDENTITY-secret-z1x2c3v4",
  stsKey: "SECRETKEY-sts-b5n6m7q8",
  stsToken: "SESSIONTOKEN-sts-w9e8r7t6",
  fileKey: "SECRETKEY-credfile-y5u4i3o2",
  fileToken: "SESSIONTOKEN-credfile-p1a2s3d4",
  confKey: "SECRETKEY-config-f5g6h7j8",
  confToken: "SESSIONTOKEN-config-k9l8z7x6",
  sourceKey: "SECRETKEY-source-c5v4b3n2",
  sourceToken: "SESSIONTOKEN-source-m1q2w3e4",
  procKey: "SECRETKEY-process-r5t6y7u8",
  procToken: "SESSIONTOKEN-process-i9o8p7a6",
  containerKey: "SECRETKEY-container-s5d4f3g2",
  containerToken: "SESSIONTOKEN-container-h1j2k3l4",
  containerAuth: "AUTHTOKEN-container-z5x6c7v8",
  imdsKey: "SECRETKEY-imds-b9n8m7q6",
  imdsToken: "SESSIONTOKEN-imds-w5e4r3t2",
  ssoAccess: "ACCESSTOKEN-sso-y1u2i3o4",
  ssoKey: "SECRETKEY-sso-p5a6s7d8",
  ssoToken: "SESSIONTOKEN-sso-f9g8h7j6",
};
const ALL = Object.values(S);
const NOW = Date.parse("2030-02-03T04:05:06Z");
const LATER = "2030-02-03T10:05:06Z";

function renderings(value: unknown): string[] {
  const out = [
    inspect(value, { depth: Infinity }),
    inspect(value, { depth: Infinity, showHidden: true }),
    format("%o %O %s", value, value, value),
    String(value),
    `${String(value)}`,
  ];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // an error with a circular cause: inspect above covers it
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? "");
    for (let cause: unknown = value.cause; cause !== undefined; cause = (cause as Error).cause) {
      out.push(inspect(cause, { depth: Infinity }), String(cause));
      if (!(cause instanceof Error)) break;
    }
  }
  return out;
}

function assertClean(value: unknown): void {
  for (const text of renderings(value)) {
    for (const secret of ALL) assert.ok(!text.includes(secret), `a secret (${secret.split("-")[0]}…) leaked into:\n${text}`);
  }
}

/** The credentials carry the secret, and nothing printable shows it. */
function assertCarriesButHides(credentials: Credentials, secretKey: string, token: string | undefined): void {
  assert.equal(credentials.secretAccessKey, secretKey);
  assert.equal(credentials.sessionToken, token);
  assertClean(credentials);
  assertClean({ nested: { deeper: [credentials] } });
  assertClean({ ...credentials });
}

async function rejectsClean(promise: Promise<unknown>, expected: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, "expected a rejection");
  assert.match(caught.message, expected);
  assertClean(caught);
}

function throwsClean(fn: () => unknown, expected: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, "expected a throw");
  assert.match(caught.message, expected);
  assertClean(caught);
}

describe("no secret in any rendering of credentials or errors", () => {
  let home: TempHome;
  let sts: FakeSts;
  let stsReply: (call: StsCall) => StsReply | Promise<StsReply>;
  const granted = (): StsReply => ({
    credentials: { accessKeyId: "ASIASTS", secretAccessKey: S.stsKey, sessionToken: S.stsToken, expiration: new Date(LATER) },
  });
  before(async () => {
    sts = await startFakeSts((call) => stsReply(call));
  });
  after(() => sts.close());
  afterEach(() => {
    home?.remove();
    stsReply = granted;
  });
  stsReply = granted;

  it("static keys", async () => {
    const credentials = await fromStatic({ accessKeyId: "AKIDSTATIC", secretAccessKey: S.staticKey, sessionToken: S.staticToken }).resolve();
    assertCarriesButHides(credentials, S.staticKey, S.staticToken);
    throwsClean(() => fromStatic({ accessKeyId: "", secretAccessKey: S.staticKey, sessionToken: S.staticToken }), /accessKeyId is missing/);
  });

  it("environment", async () => {
    const env = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: S.envKey, AWS_SESSION_TOKEN: S.envToken };
    assertCarriesButHides(await fromEnvironment({ env }).resolve(), S.envKey, S.envToken);
    await rejectsClean(fromEnvironment({ env: { AWS_SECRET_ACCESS_KEY: S.envKey, AWS_SESSION_TOKEN: S.envToken } }).resolve(), /AWS_ACCESS_KEY_ID is not/);
    await rejectsClean(fromEnvironment({ env: { ...env, AWS_CREDENTIAL_EXPIRATION: "never" } }).resolve(), /not an ISO 8601 date/);
  });

  it("web identity (the token is a secret too)", async () => {
    home = tempHome();
    const tokenFile = home.write("token", S.jwt);
    const env = { ...home.env, ...sts.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/r" };
    assertCarriesButHides(await fromWebIdentity({ env }).resolve(), S.stsKey, S.stsToken);
    // An endpoint that echoes what it was sent.
    stsReply = (call) => ({ error: { code: "InvalidIdentityToken", message: `bad token ${call.params.WebIdentityToken}` } });
    await rejectsClean(fromWebIdentity({ env }).resolve(), /InvalidIdentityToken: bad token <redacted>/);
    stsReply = () => ({ raw: { status: 200, body: `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>${S.stsKey}</SecretAccessKey></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>` } });
    await rejectsClean(fromWebIdentity({ env }).resolve(), /answer has no Credentials\/SessionToken/);
    const closed = await startFakeSts(granted);
    await closed.close();
    await rejectsClean(fromWebIdentity({ env: { ...env, ...closed.env } }).resolve(), /request failed/);
  });

  it("credentials file", async () => {
    home = tempHome({
      credentials:
        `[ok]\naws_access_key_id = AKIDFILE\naws_secret_access_key = ${S.fileKey}\naws_session_token = ${S.fileToken}\n` +
        `[nokey]\naws_secret_access_key = ${S.fileKey}\naws_session_token = ${S.fileToken}\n` +
        `[nosecret]\naws_access_key_id = AKIDHALF\naws_session_token = ${S.fileToken}\n`,
    });
    assertCarriesButHides(await fromCredentialsFile({ env: home.env, profile: "ok" }).resolve(), S.fileKey, S.fileToken);
    await rejectsClean(fromCredentialsFile({ env: home.env, profile: "nokey" }).resolve(), /has no aws_access_key_id/);
    await rejectsClean(fromCredentialsFile({ env: home.env, profile: "nosecret" }).resolve(), /has no matching aws_secret_access_key/);
  });

  it("config file static keys", async () => {
    home = tempHome({
      config:
        `[profile ok]\naws_access_key_id = AKIDCONF\naws_secret_access_key = ${S.confKey}\naws_session_token = ${S.confToken}\n` +
        `[profile nokey]\naws_secret_access_key = ${S.confKey}\naws_session_token = ${S.confToken}\n`,
    });
    assertCarriesButHides(await fromConfigFile({ env: home.env, profile: "ok" }).resolve(), S.confKey, S.confToken);
    await rejectsClean(fromConfigFile({ env: home.env, profile: "nokey" }).resolve(), /has no matching aws_access_key_id/);
  });

  it("assume role", async () => {
    home = tempHome({
      config: "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\n",
      credentials: `[src]\naws_access_key_id = AKIDSRC\naws_secret_access_key = ${S.sourceKey}\naws_session_token = ${S.sourceToken}\n`,
    });
    const provider = (timeoutMs?: number) => fromConfigFile({ env: { ...home.env, ...sts.env }, profile: "role", timeoutMs });
    assertCarriesButHides(await provider().resolve(), S.stsKey, S.stsToken);
    // The source session token is sent (x-amz-security-token), so an endpoint could echo it.
    stsReply = (call) => ({ error: { code: "ExpiredToken", message: `token ${String(call.headers["x-amz-security-token"])} expired`, status: 403 } });
    await rejectsClean(provider().resolve(), /ExpiredToken: token <redacted> expired/);
    stsReply = () => ({ raw: { status: 500, body: `<oops>${S.sourceToken}</oops>` } });
    await rejectsClean(provider().resolve(), /HTTP 500 without an STS error document/);
    stsReply = () => new Promise<StsReply>(() => {});
    await rejectsClean(provider(100).resolve(), /no answer within 100 ms/);
  });

  it("credential_process", async () => {
    home = tempHome();
    const node = process.execPath;
    const script = (name: string, body: string): string => `${node} ${home.write(`bin/${name}.mjs`, body)}`;
    const doc = (extra: Record<string, unknown>) => JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROC", SecretAccessKey: S.procKey, SessionToken: S.procToken, ...extra });
    const ok = script("ok", `process.stdout.write(${JSON.stringify(doc({}))});`);
    assertCarriesButHides(await fromProcess({ command: ok, env: home.env }).resolve(), S.procKey, S.procToken);
    const cases: Array<[string, string, RegExp]> = [
      ["exit1", `process.stdout.write(${JSON.stringify(doc({}))}); process.stderr.write("login needed"); process.exit(1);`, /exited with status 1: login needed/],
      ["notjson", `process.stdout.write(${JSON.stringify(`{"SecretAccessKey": "${S.procKey}", "SessionToken": "${S.procToken}"`)});`, /not valid JSON/],
      ["version", `process.stdout.write(${JSON.stringify(doc({ Version: 2 }))});`, /unsupported Version 2/],
      ["keytype", `process.stdout.write(${JSON.stringify(doc({ AccessKeyId: 7 }))});`, /AccessKeyId is not a string/],
      ["expiry", `process.stdout.write(${JSON.stringify(doc({ Expiration: "tomorrow" }))});`, /Expiration is not an ISO 8601 date/],
      ["slow", `process.stdout.write(${JSON.stringify(doc({}))}); setTimeout(() => {}, 30000);`, /did not finish within 300 ms/],
    ];
    for (const [name, body, expected] of cases) {
      const timeoutMs = name === "slow" ? 300 : 20_000; // a loaded machine may take seconds to start Node
      await rejectsClean(fromProcess({ command: script(name, body), env: home.env, timeoutMs }).resolve(), expected);
    }
  });

  it("container endpoint", async () => {
    let answer: { status: number; body: unknown } = {
      status: 200,
      body: { AccessKeyId: "ASIACONT", SecretAccessKey: S.containerKey, Token: S.containerToken, Expiration: LATER },
    };
    const agent = await startLoopbackServer((_req, res) => sendJson(res, answer.body, answer.status));
    try {
      const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: S.containerAuth };
      const provider = fromContainerEndpoint({ env, maxAttempts: 1, timeoutMs: 5000 });
      assertCarriesButHides(await provider.resolve(), S.containerKey, S.containerToken);
      answer = { status: 403, body: { code: "AccessDenied", message: `token ${S.containerAuth} / ${S.containerToken} refused` } };
      await rejectsClean(provider.resolve(), /HTTP 403/);
      answer = { status: 200, body: { AccessKeyId: "A", SecretAccessKey: S.containerKey, Expiration: LATER } };
      await rejectsClean(provider.resolve(), /lack Token/);
    } finally {
      await agent.close();
    }
  });

  it("instance metadata", async () => {
    const good = { Code: "Success", AccessKeyId: "ASIAIMDS", SecretAccessKey: S.imdsKey, Token: S.imdsToken, Expiration: LATER };
    const ok = await startFakeImds({ credentials: good });
    const refused = await startFakeImds({ credentials: { ...good, Code: "AssumeRoleUnauthorizedAccess", Message: `no ${S.imdsToken}` } });
    try {
      const provider = (url: string) => fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: url }, now: () => NOW, timeoutMs: 5000 });
      assertCarriesButHides(await provider(ok.url).resolve(), S.imdsKey, S.imdsToken);
      await rejectsClean(provider(refused.url).resolve(), /could not provide credentials/);
    } finally {
      await ok.close();
      await refused.close();
    }
  });

  it("SSO", async () => {
    home = tempHome({
      config:
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n" +
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    });
    home.write(
      ssoTokenCachePath(home.dir, "corp").slice(home.dir.length + 1),
      JSON.stringify({ accessToken: S.ssoAccess, expiresAt: "2030-02-03T12:00:00Z" }),
    );
    const roleCredentials = { accessKeyId: "ASIASSO", secretAccessKey: S.ssoKey, sessionToken: S.ssoToken, expiration: Date.parse(LATER) };
    const good = await startFakeSso({ portal: { status: 200, body: { roleCredentials } } });
    const denied = await startFakeSso({ portal: { status: 401, body: { message: `token ${S.ssoAccess} is expired` } } });
    try {
      const config = await loadSharedConfig({ env: home.env });
      const provider = (env: Record<string, string>) =>
        fromSso({ profileName: "dev", profile: config.profile("dev")!, config, env: { ...home.env, ...env }, homeDir: home.dir, now: () => NOW });
      assertCarriesButHides(await provider(good.env).resolve(), S.ssoKey, S.ssoToken);
      await rejectsClean(provider(denied.env).resolve(), /did not accept the cached access token/);
    } finally {
      await good.close();
      await denied.close();
    }
  });

  it("the default chain's own errors (nothing found, a broken link)", async () => {
    home = tempHome({ config: `[profile broken]\naws_secret_access_key = ${S.confKey}\n` });
    const base = { ...home.env, AWS_EC2_METADATA_DISABLED: "true" };
    await rejectsClean(defaultCredentialChain({ env: { ...base, AWS_SESSION_TOKEN: S.envToken } }).resolve(), /no credentials were found/);
    await rejectsClean(defaultCredentialChain({ env: base, profile: "broken" }).resolve(), /has no matching aws_access_key_id/);
  });
});
