/**
 * Web identity against the fake STS: settings from the environment and from the profile,
 * the unsigned AssumeRoleWithWebIdentity call, the token file read on every resolve, and
 * the failure paths (no role, unreadable or empty token file, STS errors). The token is a
 * secret too, so no message may contain it.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { inspect } from "node:util";
import { cacheCredentials } from "../../src/credentials/cache.ts";
import { fromWebIdentity } from "../../src/credentials/providers/web-identity.ts";
import { ConfigError, CredentialsError, CredentialsNotFound, StsError } from "../../src/errors/index.ts";
import { startFakeSts, type FakeSts, type StsCall, type StsReply } from "../support/fake-sts.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

const ROLE = "arn:aws:iam::123456789012:role/web-role";
const JWT_1 = "eyJWEBTOKEN-one.payload.signature";
const JWT_2 = "eyJWEBTOKEN-two.payload.signature";
const SECRET = "SECRETKEY-webid-a1b2c3";
const TOKEN = "SESSIONTOKEN-webid-d4e5f6";
const NOW = Date.parse("2030-03-04T05:06:07Z");

function granted(n = 1): StsReply {
  return {
    credentials: {
      accessKeyId: `ASIAWEB${n}`,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      expiration: new Date(NOW + 3600_000 * n),
    },
    assumedRoleArn: "arn:aws:sts::123456789012:assumed-role/web-role/session",
  };
}

describe("fromWebIdentity", () => {
  let sts: FakeSts;
  let reply: (call: StsCall) => StsReply;
  let home: TempHome;
  before(async () => {
    sts = await startFakeSts((call) => reply(call));
  });
  after(() => sts.close());
  afterEach(() => {
    sts.calls.length = 0;
    home?.remove();
  });

  it("from the environment: one unsigned AssumeRoleWithWebIdentity with the token, role and session name", async () => {
    home = tempHome();
    const tokenFile = home.write("token", `${JWT_1}\n`);
    reply = () => granted();
    const provider = fromWebIdentity({
      env: { ...home.env, ...sts.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE, AWS_ROLE_SESSION_NAME: "ci-run" },
      now: () => NOW,
    });
    const credentials = await provider.resolve();
    assert.equal(credentials.accessKeyId, "ASIAWEB1");
    assert.equal(credentials.secretAccessKey, SECRET);
    assert.equal(credentials.sessionToken, TOKEN);
    assert.equal(credentials.expiration?.toISOString(), "2030-03-04T06:06:07.000Z");
    assert.equal(credentials.accountId, "123456789012");
    assert.equal(credentials.source, "web-identity");

    assert.equal(sts.calls.length, 1);
    const call = sts.calls[0]!;
    assert.deepEqual(call.params, {
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: ROLE,
      RoleSessionName: "ci-run",
      WebIdentityToken: JWT_1,
    });
    assert.equal(call.headers.authorization, undefined, "the call is unsigned");
    assert.equal(call.headers["x-amz-security-token"], undefined);
    assert.equal(call.headers["content-type"], "application/x-www-form-urlencoded; charset=utf-8");
    assert.equal(call.path, "/");
  });

  it("from the profile: web_identity_token_file, role_arn and role_session_name", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    home.write(".aws/config", `[profile ci]\nweb_identity_token_file = ${tokenFile}\nrole_arn = ${ROLE}\nrole_session_name = from-profile\n`);
    reply = () => granted();
    const credentials = await fromWebIdentity({ env: { ...home.env, ...sts.env }, profile: "ci" }).resolve();
    assert.equal(credentials.source, "profile:ci (web-identity)");
    assert.equal(sts.calls[0]!.params.RoleSessionName, "from-profile");
    assert.equal(sts.calls[0]!.params.WebIdentityToken, JWT_1);
  });

  it("each setting is looked up on its own, the variable before the profile", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    home.write(".aws/config", `[default]\nrole_arn = ${ROLE}\nrole_session_name = profile-name\n`);
    reply = () => granted();
    await fromWebIdentity({
      env: { ...home.env, ...sts.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_SESSION_NAME: "env-name" },
    }).resolve();
    assert.equal(sts.calls[0]!.params.RoleArn, ROLE);
    assert.equal(sts.calls[0]!.params.RoleSessionName, "env-name");
  });

  it("without a session name uses stratus-session-<unix seconds> from the injected clock, kept across calls", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    reply = () => granted();
    let now = NOW;
    const provider = fromWebIdentity({
      env: { ...home.env, ...sts.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE },
      now: () => now,
    });
    await provider.resolve();
    now += 5000;
    await provider.resolve();
    assert.equal(sts.calls[0]!.params.RoleSessionName, `stratus-session-${NOW / 1000}`);
    assert.equal(sts.calls[1]!.params.RoleSessionName, `stratus-session-${NOW / 1000}`);
  });

  it("reads the token file again on every refresh", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    let n = 0;
    reply = () => granted(++n);
    let now = NOW;
    const cached = cacheCredentials(
      fromWebIdentity({ env: { ...home.env, ...sts.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE } }),
      { now: () => now },
    );
    assert.equal((await cached.resolve()).accessKeyId, "ASIAWEB1");
    home.write("token", JWT_2); // the issuer rotates the file in place
    now = NOW + 3600_000 - 5 * 60_000; // five minutes before expiry: mandatory refresh
    assert.equal((await cached.resolve()).accessKeyId, "ASIAWEB2");
    assert.deepEqual(sts.calls.map((c) => c.params.WebIdentityToken), [JWT_1, JWT_2]);
  });

  it("is 'not found' when no token file is configured anywhere", async () => {
    home = tempHome({ config: `[default]\nrole_arn = ${ROLE}\n` });
    await assert.rejects(fromWebIdentity({ env: { ...home.env, AWS_ROLE_ARN: ROLE } }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsNotFound);
      assert.equal(
        error.message,
        'web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile "default" has no web_identity_token_file',
      );
      return true;
    });
    assert.equal(sts.calls.length, 0);
  });

  it("a token file without a role is a ConfigError", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    await assert.rejects(fromWebIdentity({ env: { ...home.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile } }).resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        'a web identity token file is configured (AWS_WEB_IDENTITY_TOKEN_FILE) but no role is: set AWS_ROLE_ARN or role_arn in profile "default"',
      );
      return true;
    });
    assert.equal(sts.calls.length, 0);
  });

  it("an unreadable or empty token file is an error naming the file, not its contents", async () => {
    home = tempHome();
    const missing = `${home.dir}/no-such-token`;
    await assert.rejects(
      fromWebIdentity({ env: { ...home.env, AWS_WEB_IDENTITY_TOKEN_FILE: missing, AWS_ROLE_ARN: ROLE } }).resolve(),
      (error: unknown) => {
        assert.ok(error instanceof CredentialsError);
        assert.equal(error.message, `web-identity: cannot read the web identity token file ${missing} (ENOENT)`);
        return true;
      },
    );
    const empty = home.write("empty-token", "  \n");
    await assert.rejects(
      fromWebIdentity({ env: { ...home.env, AWS_WEB_IDENTITY_TOKEN_FILE: empty, AWS_ROLE_ARN: ROLE } }).resolve(),
      (error: unknown) => error instanceof CredentialsError && error.message === `web-identity: the web identity token file ${empty} is empty`,
    );
    assert.equal(sts.calls.length, 0);
  });

  it("an STS error becomes an StsError with code, message and request id, without the token", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    reply = () => ({ error: { code: "InvalidIdentityToken", message: "Token is expired & <invalid>", requestId: "req-123" } });
    const provider = fromWebIdentity({
      env: { ...home.env, ...sts.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE },
    });
    await assert.rejects(provider.resolve(), (error: unknown) => {
      assert.ok(error instanceof StsError);
      assert.equal(error.code, "InvalidIdentityToken");
      assert.equal(error.requestId, "req-123");
      assert.equal(error.statusCode, 400);
      assert.equal(
        error.message,
        "web-identity: STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken: Token is expired & <invalid> (HTTP 400, request id req-123)",
      );
      assert.ok(!inspect(error).includes(JWT_1));
      return true;
    });
  });

  it("a transport failure names the endpoint URL, never the token", async () => {
    home = tempHome();
    const tokenFile = home.write("token", JWT_1);
    const closed = await startFakeSts(() => granted());
    await closed.close(); // nothing listens on this port any more: connection refused
    const provider = fromWebIdentity({
      env: { ...home.env, ...closed.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE },
      timeoutMs: 2000,
    });
    await assert.rejects(provider.resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.ok(
        error.message.startsWith("web-identity: STS AssumeRoleWithWebIdentity request failed: ") &&
          error.message.endsWith(`(${closed.url}/)`),
        error.message,
      );
      assert.ok(!inspect(error).includes(JWT_1));
      return true;
    });
  });
});
