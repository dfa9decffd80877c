/**
 * The SSO provider end to end over a temporary home: a real config file loaded with
 * loadSharedConfig, a token cache written where `aws sso login` would leave it, and fake
 * portal and OIDC endpoints on loopback (support/fake-sso.ts). Every failure path checks
 * that no token, client secret or key reaches the message or `util.inspect` of the error.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { inspect } from "node:util";
import { loadSharedConfig, type SharedConfig } from "../../src/config/index.ts";
import { CredentialsError, CredentialsNotFound } from "../../src/errors/index.ts";
import { fromSso } from "../../src/credentials/providers/sso.ts";
import { loadSsoToken, ssoTokenCachePath } from "../../src/credentials/sso-token.ts";
import { OIDC_NEW_TOKEN, SSO_ROLE_CREDENTIALS, startFakeSso, type FakeSso, type FakeSsoOptions } from "../support/fake-sso.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

const ACCESS_TOKEN = "ACCESSTOKEN-sso-aa11bb";
const REFRESH_TOKEN = "REFRESHTOKEN-sso-cc22dd";
const CLIENT_SECRET = "CLIENTSECRET-sso-ee33ff";
const CLIENT_ID = "CLIENTID-sso-0099zz";
const SECRETS = [
  ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, CLIENT_ID,
  OIDC_NEW_TOKEN.accessToken, OIDC_NEW_TOKEN.refreshToken,
  SSO_ROLE_CREDENTIALS.roleCredentials.secretAccessKey, SSO_ROLE_CREDENTIALS.roleCredentials.sessionToken,
];

const NOW = Date.parse("2030-01-01T00:00:00Z");
const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

const CONFIG = `
[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session my-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = Admin

[profile partial]
sso_account_id = 777788889999

[profile partial-session]
sso_session = no-region
sso_account_id = 777788889999
sso_role_name = ReadOnly

[sso-session no-region]
sso_start_url = https://example.awsapps.com/start

[profile dangling]
sso_session = nowhere
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile clash]
sso_session = my-sso
sso_region = eu-central-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile agree]
sso_session = my-sso
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile token-only]
sso_session = my-sso

[profile bad-region]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1.evil.example
sso_account_id = 444455556666
sso_role_name = Admin

[profile via-services]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly
services = local-sso
`;

function assertNoSecrets(value: unknown): void {
  const texts = [value instanceof Error ? value.message : String(value), inspect(value, { depth: 10 })];
  for (const text of texts) for (const secret of SECRETS) assert.ok(!text.includes(secret), `leaked ${secret} in: ${text}`);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail("expected a rejection");
}

const sessionCache = (expiresAt: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  startUrl: "https://example.awsapps.com/start",
  region: "us-east-1",
  accessToken: ACCESS_TOKEN,
  expiresAt: iso(expiresAt),
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  registrationExpiresAt: iso(NOW + 30 * 24 * 60 * MINUTE),
  refreshToken: REFRESH_TOKEN,
  ...extra,
});

describe("fromSso", () => {
  let home: TempHome;
  let config: SharedConfig;
  let fake: FakeSso | undefined;
  const warnings: string[] = [];
  const logger = { warn: (message: string) => void warnings.push(message) };

  beforeEach(async () => {
    home = tempHome({ config: CONFIG });
    config = await loadSharedConfig({ env: home.env, homeDir: home.dir });
    warnings.length = 0;
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    home.remove();
  });

  const writeCache = (key: string, contents: unknown): string =>
    home.write(join(".aws", "sso", "cache", `${createHash("sha1").update(key).digest("hex")}.json`),
      typeof contents === "string" ? contents : JSON.stringify(contents));

  async function provider(profileName: string, fakeOptions: FakeSsoOptions = {}, now = NOW) {
    fake = await startFakeSso(fakeOptions);
    return fromSso({
      profileName,
      profile: config.profile(profileName)!,
      config,
      env: { ...home.env, ...fake.env },
      homeDir: home.dir,
      now: () => now,
      logger,
    });
  }

  it("exchanges a valid sso-session token for role credentials", async () => {
    writeCache("my-sso", sessionCache(NOW + 60 * MINUTE));
    const sso = await provider("dev");
    assert.equal(sso.name, "sso:dev");
    const creds = await sso.resolve();
    assert.equal(creds.accessKeyId, "ASIASSOFAKE");
    assert.equal(creds.secretAccessKey, SSO_ROLE_CREDENTIALS.roleCredentials.secretAccessKey);
    assert.equal(creds.sessionToken, SSO_ROLE_CREDENTIALS.roleCredentials.sessionToken);
    assert.equal(creds.expiration?.toISOString(), "2030-01-01T12:00:00.000Z");
    assert.equal(creds.accountId, "111122223333");
    assert.equal(creds.source, "sso:dev");
    assert.equal(fake!.portal.requests.length, 1);
    const request = fake!.portal.requests[0]!;
    assert.equal(request.method, "GET");
    assert.equal(request.url, "/federation/credentials?account_id=111122223333&role_name=ReadOnly");
    assert.equal(request.headers["x-amz-sso_bearer_token"], ACCESS_TOKEN);
    assert.equal(request.headers["authorization"], undefined);
    assert.equal(fake!.oidc.requests.length, 0);
    assertNoSecrets(creds);
  });

  it("reads the legacy form's token by start URL and never refreshes it", async () => {
    // Refresh data and a near expiry: still no CreateToken for the legacy form.
    writeCache("https://legacy.awsapps.com/start", sessionCache(NOW + 5 * MINUTE));
    const sso = await provider("legacy");
    const creds = await sso.resolve();
    assert.equal(creds.accountId, "444455556666");
    assert.equal(creds.source, "sso:legacy");
    assert.equal(fake!.portal.requests[0]!.url, "/federation/credentials?account_id=444455556666&role_name=Admin");
    assert.equal(fake!.portal.requests[0]!.headers["x-amz-sso_bearer_token"], ACCESS_TOKEN);
    assert.equal(fake!.oidc.requests.length, 0);
  });

  it("names cache files by the SHA-1 of the session name or start URL", () => {
    // sha1("admin") is a well-known vector; the second is sha1 of the start URL.
    assert.equal(ssoTokenCachePath("/h", "admin"), join("/h", ".aws", "sso", "cache", "d033e22ae348aeb5660fc2140aec35850c4da997.json"));
    assert.equal(
      ssoTokenCachePath("/h", "https://legacy.awsapps.com/start"),
      join("/h", ".aws", "sso", "cache", `${createHash("sha1").update("https://legacy.awsapps.com/start").digest("hex")}.json`),
    );
  });

  it("reads the expiresAt format of older CLIs", async () => {
    writeCache("https://legacy.awsapps.com/start", { accessToken: ACCESS_TOKEN, expiresAt: "2030-01-01T01:00:00UTC" });
    const token = await loadSsoToken({
      provider: "sso:legacy", profileName: "legacy", homeDir: home.dir, startUrl: "https://legacy.awsapps.com/start",
      region: "eu-west-1", now: () => NOW, timeoutMs: 1000,
    });
    assert.equal(token.expiresAt.toISOString(), "2030-01-01T01:00:00.000Z");
    assert.equal(token.token, ACCESS_TOKEN);
    assertNoSecrets(token);
    assert.ok(!JSON.stringify(token).includes(ACCESS_TOKEN));
  });

  it("tells the user to log in when the cache is missing or unusable", async () => {
    const missing = await rejection((await provider("dev")).resolve());
    assert.ok(missing instanceof CredentialsError);
    const file = ssoTokenCachePath(home.dir, "my-sso");
    assert.equal(
      missing.message,
      `sso:dev: there is no cached SSO token for sso-session "my-sso" at ${file}; ` +
        'run "aws sso login --profile dev" (or "aws sso login --sso-session my-sso") to log in again',
    );
    await fake!.close();

    const legacyMissing = await rejection((await provider("legacy")).resolve());
    assert.match(legacyMissing.message, /^sso:legacy: there is no cached SSO token for start URL https:\/\/legacy\.awsapps\.com\/start at .*; run "aws sso login --profile legacy" to log in again$/);
    await fake!.close();

    const cases: [unknown, RegExp][] = [
      [`{"accessToken": "${ACCESS_TOKEN}", `, /is not a JSON object; run "aws sso login --profile dev"/],
      ["[]", /is not a JSON object/],
      [{ expiresAt: iso(NOW + 60 * MINUTE), refreshToken: REFRESH_TOKEN }, /has no accessToken; run/],
      [{ accessToken: ACCESS_TOKEN }, /has no expiresAt; run/],
      [{ accessToken: ACCESS_TOKEN, expiresAt: "tomorrow" }, /has an expiresAt that is not a date; run/],
    ];
    for (const [contents, expected] of cases) {
      writeCache("my-sso", contents);
      const error = await rejection((await provider("dev")).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, expected);
      assertNoSecrets(error);
      assert.equal(fake!.portal.requests.length, 0);
      await fake!.close();
    }
  });

  it("refuses an expired legacy token without calling anything", async () => {
    writeCache("https://legacy.awsapps.com/start", { accessToken: ACCESS_TOKEN, expiresAt: iso(NOW - MINUTE) });
    const error = await rejection((await provider("legacy")).resolve());
    assert.ok(error instanceof CredentialsError);
    assert.equal(
      error.message,
      'sso:legacy: the cached SSO token for start URL https://legacy.awsapps.com/start expired at 2029-12-31T23:59:00.000Z; ' +
        'run "aws sso login --profile legacy" to log in again',
    );
    assert.equal(fake!.portal.requests.length, 0);
    assertNoSecrets(error);
  });

  it("refreshes a token that expires within 15 minutes and writes the cache atomically", async () => {
    const file = writeCache("my-sso", sessionCache(NOW + 14 * MINUTE, { customField: "kept" }));
    const sso = await provider("dev");
    const creds = await sso.resolve();
    assert.equal(creds.accessKeyId, "ASIASSOFAKE");

    assert.equal(fake!.oidc.requests.length, 1);
    const call = fake!.oidc.requests[0]!;
    assert.equal(call.method, "POST");
    assert.equal(call.url, "/token");
    assert.equal(call.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(call.body), {
      grantType: "refresh_token", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN,
    });
    assert.equal(fake!.portal.requests[0]!.headers["x-amz-sso_bearer_token"], OIDC_NEW_TOKEN.accessToken);

    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), {
      startUrl: "https://example.awsapps.com/start",
      region: "us-east-1",
      accessToken: OIDC_NEW_TOKEN.accessToken,
      expiresAt: "2030-01-01T08:00:00Z",
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      registrationExpiresAt: iso(NOW + 30 * 24 * 60 * MINUTE),
      refreshToken: OIDC_NEW_TOKEN.refreshToken,
      customField: "kept",
    });
    if (process.platform !== "win32") assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(home.dir, ".aws", "sso", "cache")), [file.split(/[\\/]/).pop()]);
    assert.deepEqual(warnings, []);
  });

  it("drops the refresh token when CreateToken returns none, as botocore", async () => {
    const file = writeCache("my-sso", sessionCache(NOW - MINUTE));
    const sso = await provider("dev", { oidc: { status: 200, body: { accessToken: OIDC_NEW_TOKEN.accessToken, expiresIn: 3600 } } });
    await sso.resolve();
    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    assert.equal(saved["accessToken"], OIDC_NEW_TOKEN.accessToken);
    assert.equal(saved["expiresAt"], "2030-01-01T01:00:00Z");
    assert.equal("refreshToken" in saved, false);
  });

  it("does not refresh a token with more than 15 minutes left", async () => {
    writeCache("my-sso", sessionCache(NOW + 15 * MINUTE));
    await (await provider("dev")).resolve();
    assert.equal(fake!.oidc.requests.length, 0);
    assert.equal(fake!.portal.requests[0]!.headers["x-amz-sso_bearer_token"], ACCESS_TOKEN);
  });

  it("uses the still-valid token when the refresh fails, and warns without secrets", async () => {
    const cache = sessionCache(NOW + 5 * MINUTE);
    const file = writeCache("my-sso", cache);
    const before = readFileSync(file, "utf8");
    const sso = await provider("dev", {
      oidc: {
        status: 400,
        headers: { "x-amzn-errortype": "InvalidGrantException:http://internal.amazon.com/coral/" },
        body: { error: "invalid_grant", error_description: `bad ${REFRESH_TOKEN}`, message: `refresh ${REFRESH_TOKEN} ${CLIENT_SECRET} rejected` },
      },
    });
    const creds = await sso.resolve();
    assert.equal(creds.accessKeyId, "ASIASSOFAKE");
    assert.equal(fake!.oidc.requests.length, 1);
    assert.equal(fake!.portal.requests[0]!.headers["x-amz-sso_bearer_token"], ACCESS_TOKEN);
    assert.equal(readFileSync(file, "utf8"), before);
    assert.deepEqual(warnings, [
      'sso:dev: refreshing the SSO token for sso-session "my-sso" failed (SSO-OIDC CreateToken: HTTP 400 InvalidGrantException ' +
        '"refresh <redacted> <redacted> rejected"); using the cached token, which expires at 2030-01-01T00:05:00.000Z',
    ]);
    for (const warning of warnings) assertNoSecrets(warning);
  });

  it("fails with a log-in hint when the token expired and the refresh failed", async () => {
    writeCache("my-sso", sessionCache(NOW - MINUTE));
    const sso = await provider("dev", { oidc: { status: 500, body: `internal error ${REFRESH_TOKEN}` } });
    const error = await rejection(sso.resolve());
    assert.ok(error instanceof CredentialsError);
    assert.equal(
      error.message,
      'sso:dev: the cached SSO token for sso-session "my-sso" expired at 2029-12-31T23:59:00.000Z and could not be refreshed ' +
        '(SSO-OIDC CreateToken: HTTP 500); run "aws sso login --profile dev" (or "aws sso login --sso-session my-sso") to log in again',
    );
    assert.equal(fake!.portal.requests.length, 0);
    assertNoSecrets(error);
  });

  it("fails when the refresh endpoint cannot be reached and the token expired", async () => {
    writeCache("my-sso", sessionCache(NOW - MINUTE));
    const sso = await provider("dev");
    await fake!.oidc.close();
    const error = await rejection(sso.resolve());
    assert.ok(error instanceof CredentialsError);
    assert.match(error.message, /could not be refreshed \(SSO-OIDC CreateToken at http:\/\/127\.0\.0\.1:\d+: request failed \(ECONNREFUSED\)/);
    assertNoSecrets(error);
  });

  it("treats an unusable CreateToken answer as a failed refresh", async () => {
    for (const body of ["not json", { accessToken: OIDC_NEW_TOKEN.accessToken }, { expiresIn: 10 }]) {
      writeCache("my-sso", sessionCache(NOW - MINUTE));
      const error = await rejection((await provider("dev", { oidc: { status: 200, body } })).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, /could not be refreshed \(SSO-OIDC CreateToken answered (with a body that is not JSON|without accessToken or expiresIn)\)/);
      assertNoSecrets(error);
      await fake!.close();
    }
  });

  it("does not try to refresh without refresh data or with an expired registration", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ refreshToken: undefined }, "the cache has no refreshToken"],
      [{ clientSecret: undefined, clientId: undefined }, "the cache has no clientId, clientSecret"],
      [{ registrationExpiresAt: iso(NOW - MINUTE) }, "the client registration expired at 2029-12-31T23:59:00.000Z"],
    ];
    for (const [extra, reason] of cases) {
      writeCache("my-sso", sessionCache(NOW - MINUTE, extra));
      const error = await rejection((await provider("dev")).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.ok(error.message.includes(`could not be refreshed (${reason}); run "aws sso login --profile dev"`), error.message);
      assert.equal(fake!.oidc.requests.length, 0);
      assertNoSecrets(error);
      await fake!.close();
    }
  });

  it("lists every missing key", async () => {
    const partial = await rejection((await provider("partial")).resolve());
    assert.ok(partial instanceof CredentialsError);
    assert.equal(partial.message, 'sso:partial: profile "partial" is configured for SSO but is missing sso_start_url, sso_region, sso_role_name');
    await fake!.close();

    const session = await rejection((await provider("partial-session")).resolve());
    assert.ok(session instanceof CredentialsError);
    assert.equal(
      session.message,
      'sso:partial-session: profile "partial-session" is configured for SSO but is missing sso_region (sso_start_url and sso_region belong in [sso-session no-region])',
    );
  });

  it("fails when sso_session names a missing section", async () => {
    const error = await rejection((await provider("dangling")).resolve());
    assert.ok(error instanceof CredentialsError);
    assert.equal(error.message, `sso:dangling: profile "dangling" has sso_session = nowhere, but ${config.configFile} has no [sso-session nowhere] section`);
  });

  it("fails when the profile contradicts its sso-session, accepts it when they agree", async () => {
    const error = await rejection((await provider("clash")).resolve());
    assert.ok(error instanceof CredentialsError);
    assert.equal(error.message, 'sso:clash: sso_region is "eu-central-1" in profile "clash" but "us-east-1" in [sso-session my-sso]; they must agree');
    await fake!.close();

    writeCache("my-sso", sessionCache(NOW + 60 * MINUTE));
    await (await provider("agree")).resolve();
    assert.equal(fake!.portal.requests.length, 1);
  });

  it("is not found for a profile without account or role", async () => {
    const error = await rejection((await provider("token-only")).resolve());
    assert.ok(error instanceof CredentialsNotFound);
    assert.equal(error.message, 'sso:token-only: profile "token-only" has neither sso_account_id nor sso_role_name');
  });

  it("refuses an sso_region that is not a region name", async () => {
    const error = await rejection((await provider("bad-region")).resolve());
    assert.ok(error instanceof CredentialsError);
    assert.equal(error.message, 'sso:bad-region: sso_region "us-east-1.evil.example" is not a region name (only a-z, 0-9 and "-")');
  });

  it("reports a rejected token with a log-in hint", async () => {
    writeCache("my-sso", sessionCache(NOW + 60 * MINUTE));
    const sso = await provider("dev", {
      portal: {
        status: 401,
        headers: { "x-amzn-errortype": "UnauthorizedException" },
        body: { message: `Session token ${ACCESS_TOKEN} not found or invalid` },
      },
    });
    const error = await rejection(sso.resolve());
    assert.ok(error instanceof CredentialsError);
    assert.equal(
      error.message,
      'sso:dev: the SSO portal did not accept the cached access token (HTTP 401 UnauthorizedException "Session token <redacted> not found or invalid"): ' +
        'the SSO session has expired or was revoked; run "aws sso login --profile dev" to log in again',
    );
    assert.equal(fake!.portal.requests.length, 1);
    assertNoSecrets(error);
  });

  it("reports a 403 and other failures of GetRoleCredentials", async () => {
    writeCache("my-sso", sessionCache(NOW + 60 * MINUTE));
    const forbidden = await rejection((await provider("dev", {
      portal: { status: 403, body: { __type: "com.amazonaws.switchboard.portal#ForbiddenException", message: "No access" } },
    })).resolve());
    assert.ok(forbidden instanceof CredentialsError);
    assert.equal(
      forbidden.message,
      'sso:dev: the SSO portal refused credentials for role "ReadOnly" in account 111122223333 (HTTP 403 ForbiddenException "No access"); ' +
        'check sso_account_id and sso_role_name, or run "aws sso login --profile dev" to log in again',
    );
    await fake!.close();

    const throttled = await rejection((await provider("dev", {
      portal: { status: 429, headers: { "x-amzn-errortype": "TooManyRequestsException" }, body: { message: `slow down ${ACCESS_TOKEN}` } },
    })).resolve());
    assert.equal(
      throttled.message,
      'sso:dev: SSO GetRoleCredentials for role "ReadOnly" in account 111122223333 failed: HTTP 429 TooManyRequestsException "slow down <redacted>"',
    );
    assertNoSecrets(throttled);
    await fake!.close();

    const sso = await provider("dev");
    await fake!.portal.close();
    const unreachable = await rejection(sso.resolve());
    assert.ok(unreachable instanceof CredentialsError);
    assert.match(unreachable.message, /^sso:dev: SSO GetRoleCredentials at http:\/\/127\.0\.0\.1:\d+: request failed \(ECONNREFUSED\)/);
    assertNoSecrets(unreachable);
  });

  it("rejects a GetRoleCredentials answer that is not JSON or incomplete, without leaking", async () => {
    writeCache("my-sso", sessionCache(NOW + 60 * MINUTE));
    const { roleCredentials } = SSO_ROLE_CREDENTIALS;
    const cases: [unknown, string][] = [
      [`{"roleCredentials": {"secretAccessKey": "${roleCredentials.secretAccessKey}"`, "SSO GetRoleCredentials answered with a body that is not JSON"],
      [{ roleCredentials: { ...roleCredentials, sessionToken: "", expiration: "2030" } },
        "SSO GetRoleCredentials answered without roleCredentials.sessionToken, roleCredentials.expiration"],
      [{}, "SSO GetRoleCredentials answered without roleCredentials.accessKeyId, roleCredentials.secretAccessKey, roleCredentials.sessionToken, roleCredentials.expiration"],
    ];
    for (const [body, message] of cases) {
      const error = await rejection((await provider("dev", { portal: { status: 200, body } })).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `sso:dev: ${message}`);
      assertNoSecrets(error);
      await fake!.close();
    }
  });

  it("finds the portal and OIDC endpoints through the profile's services section", async () => {
    fake = await startFakeSso();
    const withServices = tempHome({
      config: `${CONFIG}\n[services local-sso]\nsso =\n  endpoint_url = ${fake.portal.url}\nsso_oidc =\n  endpoint_url = ${fake.oidc.url}/\n`,
    });
    try {
      const loaded = await loadSharedConfig({ env: withServices.env, homeDir: withServices.dir });
      withServices.write(join(".aws", "sso", "cache", `${createHash("sha1").update("my-sso").digest("hex")}.json`),
        JSON.stringify(sessionCache(NOW + MINUTE)));
      const sso = fromSso({
        profileName: "via-services", profile: loaded.profile("via-services")!, config: loaded,
        env: withServices.env, homeDir: withServices.dir, now: () => NOW,
      });
      const creds = await sso.resolve();
      assert.equal(creds.source, "sso:via-services");
      assert.deepEqual(fake.oidc.requests.map((r) => `${r.method} ${r.url}`), ["POST /token"]);
      assert.deepEqual(fake.portal.requests.map((r) => r.url), ["/federation/credentials?account_id=111122223333&role_name=ReadOnly"]);
    } finally {
      withServices.remove();
    }
  });

  it("stops when the caller aborts", async () => {
    writeCache("my-sso", sessionCache(NOW + 60 * MINUTE));
    const sso = await provider("dev");
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    const error = await rejection(sso.resolve({ signal: controller.signal }));
    assert.equal(error.message, "caller gave up");
  });
});
