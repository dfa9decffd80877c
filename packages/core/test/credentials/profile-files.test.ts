/**
 * The two profile providers that need no network: static keys from the credentials file,
 * and the config-file provider's static keys and credential_process (its roles are in
 * assume-role.test.ts). Files live in a throw-away home; env is explicit.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { fromConfigFile } from "../../src/credentials/providers/config-file.ts";
import { ssoTokenCachePath } from "../../src/credentials/sso-token.ts";
import { fromCredentialsFile } from "../../src/credentials/providers/credentials-file.ts";
import { ConfigError, CredentialsError, CredentialsNotFound } from "../../src/errors/index.ts";
import { startFakeSso, SSO_ROLE_CREDENTIALS } from "../support/fake-sso.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

const NODE = process.execPath;

let home: TempHome | undefined;
afterEach(() => {
  home?.remove();
  home = undefined;
});

function notFound(message: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CredentialsNotFound, `expected CredentialsNotFound, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  };
}

describe("fromCredentialsFile", () => {
  it("reads the profile's keys, session token and account id", async () => {
    home = tempHome({
      credentials: "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n" +
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\naws_account_id = 210987654321\n",
    });
    const credentials = await fromCredentialsFile({ env: home.env, profile: "dev" }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDDEV");
    assert.equal(credentials.secretAccessKey, "dev-secret");
    assert.equal(credentials.sessionToken, "dev-token");
    assert.equal(credentials.accountId, "210987654321");
    assert.equal(credentials.source, "profile:dev (credentials-file)");
  });

  it("uses AWS_PROFILE, then 'default', when no profile option is given", async () => {
    home = tempHome({
      credentials: "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s\n",
    });
    assert.equal((await fromCredentialsFile({ env: home.env }).resolve()).accessKeyId, "AKIDDEFAULT");
    assert.equal((await fromCredentialsFile({ env: { ...home.env, AWS_PROFILE: "other" } }).resolve()).accessKeyId, "AKIDOTHER");
  });

  it("accepts the legacy aws_security_token", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = A\naws_secret_access_key = s\naws_security_token = legacy\n" });
    assert.equal((await fromCredentialsFile({ env: home.env }).resolve()).sessionToken, "legacy");
  });

  it("reads the file named by AWS_SHARED_CREDENTIALS_FILE", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = WRONG\naws_secret_access_key = s\n" });
    const elsewhere = home.write("elsewhere/creds", "[default]\naws_access_key_id = RIGHT\naws_secret_access_key = s\n");
    const credentials = await fromCredentialsFile({ env: { ...home.env, AWS_SHARED_CREDENTIALS_FILE: elsewhere } }).resolve();
    assert.equal(credentials.accessKeyId, "RIGHT");
  });

  it("is 'not found' for a profile the file does not have, or one without keys", async () => {
    home = tempHome({ credentials: "[other]\naws_access_key_id = A\naws_secret_access_key = s\n[empty]\nregion = eu-west-1\n" });
    const file = `${home.dir}/.aws/credentials`;
    await assert.rejects(fromCredentialsFile({ env: home.env, profile: "dev" }).resolve(), notFound(`credentials-file: profile "dev" is not in ${file}`));
    await assert.rejects(
      fromCredentialsFile({ env: home.env, profile: "empty" }).resolve(),
      notFound(`credentials-file: profile "empty" in ${file} has no aws_access_key_id`),
    );
  });

  it("an access key without its secret is a ConfigError naming the file and line", async () => {
    home = tempHome({ credentials: "[dev]\nregion = x\naws_access_key_id = AKIDHALF\n" });
    await assert.rejects(fromCredentialsFile({ env: home.env, profile: "dev" }).resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `aws_access_key_id in profile "dev" (${home!.dir}/.aws/credentials:3) has no matching aws_secret_access_key`,
      );
      return true;
    });
  });

  it("leaves a profile that configures a role (in either file) to the config-file provider", async () => {
    home = tempHome({
      config: "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = dev\n",
      credentials: "[dev]\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\n",
    });
    await assert.rejects(
      fromCredentialsFile({ env: home.env, profile: "dev" }).resolve(),
      notFound('credentials-file: profile "dev" sets role_arn, which the config-file provider handles'),
    );
  });

  it("leaves a profile with SSO role settings to the config-file provider", async () => {
    home = tempHome({
      config: "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n",
      credentials: "[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n",
    });
    await assert.rejects(
      fromCredentialsFile({ env: home.env, profile: "dev" }).resolve(),
      notFound('credentials-file: profile "dev" sets sso_account_id, which the config-file provider handles'),
    );
    // An sso_session alone (for token-based services) does not make it an SSO credential profile.
    home.write(".aws/config", "[profile dev]\nsso_session = corp\n");
    assert.equal((await fromCredentialsFile({ env: home.env, profile: "dev" }).resolve()).accessKeyId, "AKID");
  });
});

describe("fromConfigFile: static keys and credential_process", () => {
  it("reads static keys from the config file's profile", async () => {
    home = tempHome({ config: "[profile dev]\naws_access_key_id = AKIDCONF\naws_secret_access_key = conf-secret\naws_session_token = conf-token\n" });
    const credentials = await fromConfigFile({ env: home.env, profile: "dev" }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDCONF");
    assert.equal(credentials.secretAccessKey, "conf-secret");
    assert.equal(credentials.sessionToken, "conf-token");
    assert.equal(credentials.source, "profile:dev (config-file)");
  });

  it("reads [default] for the default profile, and [profile default] instead when both exist", async () => {
    home = tempHome({ config: "[default]\naws_access_key_id = BARE\naws_secret_access_key = s\n" });
    assert.equal((await fromConfigFile({ env: home.env }).resolve()).accessKeyId, "BARE");
    home.write(".aws/config", "[default]\naws_access_key_id = BARE\naws_secret_access_key = s\n[profile default]\naws_access_key_id = PREFIXED\naws_secret_access_key = s\n");
    assert.equal((await fromConfigFile({ env: home.env }).resolve()).accessKeyId, "PREFIXED");
  });

  it("sees the merged view: a key in one file and its secret in the other", async () => {
    home = tempHome({
      config: "[profile dev]\naws_access_key_id = AKIDSPLIT\n",
      credentials: "[dev]\naws_secret_access_key = split-secret\n",
    });
    const credentials = await fromConfigFile({ env: home.env, profile: "dev" }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDSPLIT");
    assert.equal(credentials.secretAccessKey, "split-secret");
    assert.equal(credentials.source, "profile:dev (config-file)");
  });

  it("a secret without an access key is a ConfigError naming where the secret is", async () => {
    home = tempHome({ config: "[profile dev]\naws_secret_access_key = orphan-secret\n" });
    await assert.rejects(fromConfigFile({ env: home.env, profile: "dev" }).resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `aws_secret_access_key in profile "dev" (${home!.dir}/.aws/config:2) has no matching aws_access_key_id`,
      );
      assert.ok(!error.message.includes("orphan-secret"));
      return true;
    });
  });

  it("runs credential_process, with aws_account_id as the fallback account", async () => {
    home = tempHome();
    const helper = home.write(
      "bin/helper.mjs",
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: "ASIAHELPER", SecretAccessKey: "helper-secret", SessionToken: "helper-token", Expiration: "2031-01-01T00:00:00Z" }));\n`,
    );
    home.write(".aws/config", `[profile tool]\ncredential_process = "${NODE}" "${helper}" --profile tool\naws_account_id = 135792468013\n`);
    const credentials = await fromConfigFile({ env: home.env, profile: "tool" }).resolve();
    assert.equal(credentials.accessKeyId, "ASIAHELPER");
    assert.equal(credentials.expiration?.toISOString(), "2031-01-01T00:00:00.000Z");
    assert.equal(credentials.accountId, "135792468013");
    assert.equal(credentials.source, "profile:tool (credential-process)");
  });

  it("static keys win over credential_process in the same profile (botocore's order)", async () => {
    home = tempHome({ config: "[default]\ncredential_process = /nonexistent/helper\naws_access_key_id = STATIC\naws_secret_access_key = s\n" });
    assert.equal((await fromConfigFile({ env: home.env }).resolve()).accessKeyId, "STATIC");
  });

  it("a failing credential_process stops with its error", async () => {
    home = tempHome({ config: `[default]\ncredential_process = ${NODE} -e "process.stderr.write('denied'); process.exit(2)"\n` });
    await assert.rejects(fromConfigFile({ env: home.env }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, /^profile:default \(credential-process\): credential_process \S+ exited with status 2: denied$/);
      return true;
    });
  });

  it("is 'not found' for a missing profile or one that configures no credentials", async () => {
    home = tempHome({ config: "[profile bare]\nregion = eu-west-1\n" });
    await assert.rejects(
      fromConfigFile({ env: home.env, profile: "ghost" }).resolve(),
      notFound(`config-file: profile "ghost" is in neither ${home.dir}/.aws/config nor ${home.dir}/.aws/credentials`),
    );
    await assert.rejects(
      fromConfigFile({ env: home.env, profile: "bare" }).resolve(),
      notFound('config-file: profile "bare" has no role_arn, web_identity_token_file, SSO settings, static keys or credential_process'),
    );
  });

  it("reads AWS_CONFIG_FILE", async () => {
    home = tempHome();
    const file = home.write("custom/config", "[profile x]\naws_access_key_id = FROMCUSTOM\naws_secret_access_key = s\n");
    assert.equal((await fromConfigFile({ env: { ...home.env, AWS_CONFIG_FILE: file }, profile: "x" }).resolve()).accessKeyId, "FROMCUSTOM");
  });

  it("hands an SSO profile to the SSO provider, with the home directory for its token cache", async () => {
    const sso = await startFakeSso();
    try {
      home = tempHome({
        config:
          "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n" +
          "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
      });
      const now = Date.parse("2029-12-31T12:00:00Z");
      const cacheFile = ssoTokenCachePath(home.dir, "corp");
      home.write(cacheFile.slice(home.dir.length + 1), JSON.stringify({ accessToken: "ACCESSTOKEN-pf-1", expiresAt: "2029-12-31T20:00:00Z" }));
      const credentials = await fromConfigFile({ env: { ...home.env, ...sso.env }, profile: "dev", now: () => now }).resolve();
      assert.equal(credentials.accessKeyId, SSO_ROLE_CREDENTIALS.roleCredentials.accessKeyId);
      assert.equal(credentials.source, "sso:dev");
      assert.equal(sso.portal.requests[0]!.headers["x-amz-sso_bearer_token"], "ACCESSTOKEN-pf-1");
    } finally {
      await sso.close();
    }
  });

  it("a profile with only an sso_session (for token-based services) is not an SSO credential profile", async () => {
    home = tempHome({ config: "[profile dev]\nsso_session = corp\naws_access_key_id = AKIDKEYS\naws_secret_access_key = s\n" });
    assert.equal((await fromConfigFile({ env: home.env, profile: "dev" }).resolve()).accessKeyId, "AKIDKEYS");
  });
});
