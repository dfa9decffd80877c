/**
 * Roles from profiles (and `fromAssumeRole` directly) against the fake STS: which
 * credentials sign each AssumeRole (read back from the Authorization header), the
 * parameters sent, role chains, botocore's self-reference rule, cycles, credential_source,
 * MFA, the STS endpoint and region, and STS's failure answers. One signature is recomputed
 * with the signer to prove the request is really SigV4-signed for "sts".
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { inspect } from "node:util";
import { loadSharedConfig } from "../../src/config/index.ts";
import { Credentials } from "../../src/credentials/credentials.ts";
import type { CredentialProvider } from "../../src/credentials/provider.ts";
import { fromAssumeRole, type MfaCodeRequest } from "../../src/credentials/providers/assume-role.ts";
import { fromConfigFile } from "../../src/credentials/providers/config-file.ts";
import { accountIdOf, stsTarget } from "../../src/credentials/sts.ts";
import { ConfigError, CredentialsError, ProfileCycleError, StsError } from "../../src/errors/index.ts";
import { signRequest } from "../../src/signing/index.ts";
import { startFakeSts, signingInputOf, type FakeSts, type StsCall, type StsReply } from "../support/fake-sts.ts";
import { startFakeImds } from "../support/fake-imds.ts";
import { sendJson, startLoopbackServer } from "../support/loopback-server.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

const NOW = Date.parse("2030-05-06T07:08:09Z");
const ROLE_A = "arn:aws:iam::111111111111:role/role-a";
const ROLE_B = "arn:aws:iam::222222222222:role/role-b";

/** STS hands out credentials named after the role, so each hop is recognisable. */
function grantByRole(call: StsCall): StsReply {
  const role = call.params.RoleArn ?? "";
  const short = role.split("/").pop() ?? "x";
  const account = role.split(":")[4] ?? "";
  return {
    credentials: {
      accessKeyId: `ASIA-${short}`,
      secretAccessKey: `secret-of-${short}`,
      sessionToken: `token-of-${short}`,
      expiration: new Date(NOW + 3600_000),
    },
    assumedRoleArn: `arn:aws:sts::${account}:assumed-role/${short}/${call.params.RoleSessionName}`,
  };
}

describe("assume role from a profile", () => {
  let sts: FakeSts;
  let reply: (call: StsCall) => StsReply | Promise<StsReply>;
  let home: TempHome;
  before(async () => {
    sts = await startFakeSts((call) => reply(call));
  });
  after(() => sts.close());
  afterEach(() => {
    sts.calls.length = 0;
    reply = grantByRole;
    home?.remove();
  });
  reply = grantByRole;

  const provider = (profile: string, extra: Partial<Parameters<typeof fromConfigFile>[0]> = {}, env: Record<string, string> = {}) =>
    fromConfigFile({ env: { ...home.env, ...sts.env, ...env }, profile, now: () => NOW, ...extra });

  it("source_profile with static keys: one AssumeRole signed with those keys", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    });
    const credentials = await provider("a").resolve();
    assert.equal(credentials.accessKeyId, "ASIA-role-a");
    assert.equal(credentials.secretAccessKey, "secret-of-role-a");
    assert.equal(credentials.sessionToken, "token-of-role-a");
    assert.equal(credentials.expiration?.getTime(), NOW + 3600_000);
    assert.equal(credentials.accountId, "111111111111");
    assert.equal(credentials.source, "profile:a (assume-role)");

    assert.equal(sts.calls.length, 1);
    const call = sts.calls[0]!;
    assert.deepEqual(call.params, {
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: ROLE_A,
      RoleSessionName: `stratus-session-${NOW / 1000}`,
    });
    assert.equal(call.authorization?.accessKeyId, "AKIDBASE");
    assert.equal(call.authorization?.service, "sts");
    assert.equal(call.authorization?.region, "us-east-1", "no region anywhere: the global endpoint's region");
    assert.equal(call.authorization?.date, "20300506");
    assert.equal(call.headers["x-amz-date"], "20300506T070809Z");
    assert.equal(call.headers["x-amz-security-token"], undefined, "long-term source keys carry no token");
    assert.equal(call.headers["content-type"], "application/x-www-form-urlencoded; charset=utf-8");
  });

  it("the Authorization header is exactly what the signer computes for the request received", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nregion = eu-west-2\n`,
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    });
    await provider("a").resolve();
    const call = sts.calls[0]!;
    const { request, signingDate } = signingInputOf(call, sts.url);
    assert.deepEqual(call.authorization?.signedHeaders, ["content-type", "host", "x-amz-date"]);
    const expected = signRequest(request, {
      credentials: { accessKeyId: "AKIDBASE", secretAccessKey: "base-secret" },
      region: "eu-west-2",
      service: "sts",
      signingDate,
    });
    assert.equal(call.headers.authorization, expected.request.headers.authorization);
    // And a wrong secret would not have produced it.
    const wrong = signRequest(request, {
      credentials: { accessKeyId: "AKIDBASE", secretAccessKey: "not-the-secret" },
      region: "eu-west-2",
      service: "sts",
      signingDate,
    });
    assert.notEqual(call.headers.authorization, wrong.request.headers.authorization);
  });

  it("sends external_id, role_session_name and duration_seconds, and signs for the profile's region", async () => {
    home = tempHome({
      config:
        `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nexternal_id = ext-123\n` +
        "role_session_name = my-session\nduration_seconds = 1800\nregion = ap-southeast-2\n",
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
    });
    await provider("a").resolve();
    const call = sts.calls[0]!;
    assert.deepEqual(call.params, {
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: ROLE_A,
      RoleSessionName: "my-session",
      DurationSeconds: "1800",
      ExternalId: "ext-123",
    });
    assert.equal(call.authorization?.region, "ap-southeast-2");
  });

  it("the caller's region option wins over the profile's for signing", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nregion = ap-southeast-2\n`,
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
    });
    await provider("a", { region: "ca-central-1" }).resolve();
    assert.equal(sts.calls[0]!.authorization?.region, "ca-central-1");
  });

  it("a role chain: each hop is signed with the credentials of the one before", async () => {
    home = tempHome({
      config:
        `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = b\n` +
        `[profile b]\nrole_arn = ${ROLE_B}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
    });
    const credentials = await provider("a").resolve();
    assert.equal(credentials.accessKeyId, "ASIA-role-a");
    assert.deepEqual(sts.calls.map((c) => [c.params.RoleArn, c.authorization?.accessKeyId]), [
      [ROLE_B, "AKIDBASE"],
      [ROLE_A, "ASIA-role-b"],
    ]);
    assert.equal(sts.calls[0]!.headers["x-amz-security-token"], undefined);
    assert.equal(sts.calls[1]!.headers["x-amz-security-token"], "token-of-role-b");
    assert.deepEqual(sts.calls[1]!.authorization?.signedHeaders, ["content-type", "host", "x-amz-date", "x-amz-security-token"]);
  });

  it("a source profile may itself use credential_process or web identity", async () => {
    home = tempHome();
    const helper = home.write(
      "bin/helper.mjs",
      'process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROCESS", SecretAccessKey: "p", SessionToken: "process-token" }));\n',
    );
    const tokenFile = home.write("jwt", "eyJ-source-profile-token");
    home.write(
      ".aws/config",
      `[profile viaprocess]\nrole_arn = ${ROLE_A}\nsource_profile = tool\n` +
        `[profile tool]\ncredential_process = "${process.execPath}" "${helper}"\n` +
        `[profile viaweb]\nrole_arn = ${ROLE_A}\nsource_profile = web\n` +
        `[profile web]\nrole_arn = ${ROLE_B}\nweb_identity_token_file = ${tokenFile}\n`,
    );
    await provider("viaprocess").resolve();
    assert.deepEqual(sts.calls.map((c) => [c.action, c.authorization?.accessKeyId]), [["AssumeRole", "AKIDPROCESS"]]);
    assert.equal(sts.calls[0]!.headers["x-amz-security-token"], "process-token");
    sts.calls.length = 0;
    // The environment's web identity variables are ignored for a source profile.
    await provider("viaweb", {}, { AWS_WEB_IDENTITY_TOKEN_FILE: "/nonexistent", AWS_ROLE_ARN: "arn:aws:iam::9:role/env" }).resolve();
    assert.deepEqual(sts.calls.map((c) => [c.action, c.params.RoleArn, c.authorization?.accessKeyId]), [
      ["AssumeRoleWithWebIdentity", ROLE_B, undefined],
      ["AssumeRole", ROLE_A, "ASIA-role-b"],
    ]);
    assert.equal(sts.calls[0]!.params.WebIdentityToken, "eyJ-source-profile-token");
  });

  it("a source profile with static keys uses them even if it also names a role (the chain ends there)", async () => {
    home = tempHome({
      config:
        `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = b\n` +
        `[profile b]\nrole_arn = ${ROLE_B}\nsource_profile = nowhere\n`,
      credentials: "[b]\naws_access_key_id = AKIDB\naws_secret_access_key = s\n",
    });
    await provider("a").resolve();
    assert.deepEqual(sts.calls.map((c) => [c.params.RoleArn, c.authorization?.accessKeyId]), [[ROLE_A, "AKIDB"]]);
  });

  it("source_profile naming the profile itself is allowed when it holds static keys (botocore)", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = a\n`,
      credentials: "[a]\naws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n",
    });
    const credentials = await provider("a").resolve();
    assert.equal(credentials.accessKeyId, "ASIA-role-a");
    assert.deepEqual(sts.calls.map((c) => [c.params.RoleArn, c.authorization?.accessKeyId]), [[ROLE_A, "AKIDSELF"]]);
  });

  it("source_profile naming itself without static keys is a cycle", async () => {
    home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = a\n` });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof ProfileCycleError);
      assert.deepEqual(error.chain, ["a", "a"]);
      return true;
    });
    assert.equal(sts.calls.length, 0);
  });

  it("a cycle through other profiles is a ProfileCycleError showing the path, before any STS call", async () => {
    home = tempHome({
      config:
        `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = b\n` +
        `[profile b]\nrole_arn = ${ROLE_B}\nsource_profile = c\n` +
        `[profile c]\nrole_arn = ${ROLE_B}\nsource_profile = b\n`,
    });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof ProfileCycleError);
      assert.deepEqual(error.chain, ["a", "b", "c", "b"]);
      assert.equal(error.message, "profiles refer to each other in a cycle: a -> b -> c -> b");
      return true;
    });
    assert.equal(sts.calls.length, 0);
  });

  it("a source_profile that does not exist is a ConfigError naming both profiles and the line", async () => {
    home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = ghost\n` });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `source_profile in profile "a" (${home.dir}/.aws/config:3) names profile "ghost", ` +
          `which is in neither ${home.dir}/.aws/config nor ${home.dir}/.aws/credentials`,
      );
      return true;
    });
  });

  it("a source profile without credentials is a ConfigError", async () => {
    home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = empty\n[profile empty]\nregion = eu-west-1\n` });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        'profile "empty" is the source_profile of profile "a" but has no credentials ' +
          "(no role_arn, web_identity_token_file, SSO settings, static keys or credential_process)",
      );
      return true;
    });
  });

  it("both source_profile and credential_source, or neither, is a ConfigError", async () => {
    home = tempHome({
      config:
        `[profile both]\nrole_arn = ${ROLE_A}\nsource_profile = base\ncredential_source = Environment\n` +
        `[profile neither]\nregion = eu-west-1\nrole_arn = ${ROLE_A}\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    await assert.rejects(provider("both").resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        'profile "both" sets both source_profile and credential_source; a role takes its source credentials from exactly one',
      );
      return true;
    });
    await assert.rejects(provider("neither").resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `role_arn in profile "neither" (${home.dir}/.aws/config:7) needs source_profile or credential_source ` +
          "to say where the credentials that assume it come from",
      );
      return true;
    });
    assert.equal(sts.calls.length, 0);
  });

  it("credential_source = Environment signs with the environment's keys", async () => {
    home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\ncredential_source = Environment\n` });
    await provider("a", {}, { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret", AWS_SESSION_TOKEN: "env-token" }).resolve();
    assert.equal(sts.calls[0]!.authorization?.accessKeyId, "AKIDENV");
    assert.equal(sts.calls[0]!.headers["x-amz-security-token"], "env-token");
  });

  it("credential_source = Environment with no variables is an error, not a fall-through", async () => {
    home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\ncredential_source = Environment\n` });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(
        error.message,
        "profile:a (assume-role): no source credentials for the role: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
      );
      return true;
    });
  });

  it("credential_source = EcsContainer asks the container endpoint", async () => {
    const agent = await startLoopbackServer((_req, res) =>
      sendJson(res, {
        AccessKeyId: "ASIACONTAINER",
        SecretAccessKey: "container-secret",
        Token: "container-token",
        Expiration: "2031-01-01T00:00:00Z",
      }),
    );
    try {
      home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\ncredential_source = EcsContainer\n` });
      await provider("a", {}, { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/creds` }).resolve();
      assert.equal(agent.requests.length, 1);
      assert.equal(sts.calls[0]!.authorization?.accessKeyId, "ASIACONTAINER");
      assert.equal(sts.calls[0]!.headers["x-amz-security-token"], "container-token");
    } finally {
      await agent.close();
    }
  });

  it("credential_source = Ec2InstanceMetadata asks IMDS", async () => {
    const imds = await startFakeImds();
    try {
      home = tempHome({ config: `[profile a]\nrole_arn = ${ROLE_A}\ncredential_source = Ec2InstanceMetadata\n` });
      await provider("a", {}, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }).resolve();
      assert.deepEqual(imds.calls(), [
        "PUT /latest/api/token",
        "GET /latest/meta-data/iam/security-credentials/",
        "GET /latest/meta-data/iam/security-credentials/test-role",
      ]);
      assert.equal(sts.calls[0]!.authorization?.accessKeyId, "ASIAIMDSFAKE");
    } finally {
      await imds.close();
    }
  });

  it("credential_source providers can be replaced, and an unknown name is a ConfigError listing the valid ones", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\ncredential_source = Ec2InstanceMetadata\n[profile bad]\nrole_arn = ${ROLE_A}\ncredential_source = ec2instancemetadata\n`,
    });
    const injected: CredentialProvider = {
      name: "injected",
      resolve: async () => new Credentials({ accessKeyId: "AKIDINJECTED", secretAccessKey: "s" }, "injected"),
    };
    await provider("a", { credentialSources: { Ec2InstanceMetadata: injected } }).resolve();
    assert.equal(sts.calls[0]!.authorization?.accessKeyId, "AKIDINJECTED");
    await assert.rejects(provider("bad").resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `credential_source in profile "bad" (${home.dir}/.aws/config:6) is "ec2instancemetadata"; ` +
          "expected one of Environment, Ec2InstanceMetadata, EcsContainer",
      );
      return true;
    });
  });

  it("mfa_serial without an mfaCodeProvider is a clear error before any call", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(
        error.message,
        'profile:a (assume-role): profile "a" sets mfa_serial arn:aws:iam::111111111111:mfa/me, so an MFA code is needed, ' +
          "but no mfaCodeProvider option was given to ask for one",
      );
      return true;
    });
    assert.equal(sts.calls.length, 0);
  });

  it("mfa_serial with an mfaCodeProvider sends SerialNumber and the code, asking on every refresh", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    const asked: MfaCodeRequest[] = [];
    const codes = ["123456", "654321"];
    const p = provider("a", { mfaCodeProvider: (request) => (asked.push(request), codes[asked.length - 1]!) });
    await p.resolve();
    await p.resolve();
    assert.deepEqual(asked, [
      { mfaSerial: "arn:aws:iam::111111111111:mfa/me", roleArn: ROLE_A, profile: "a" },
      { mfaSerial: "arn:aws:iam::111111111111:mfa/me", roleArn: ROLE_A, profile: "a" },
    ]);
    assert.deepEqual(sts.calls.map((c) => [c.params.SerialNumber, c.params.TokenCode]), [
      ["arn:aws:iam::111111111111:mfa/me", "123456"],
      ["arn:aws:iam::111111111111:mfa/me", "654321"],
    ]);
  });

  it("an empty MFA code is an error", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nmfa_serial = dev-mfa\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    await assert.rejects(provider("a", { mfaCodeProvider: async () => "  " }).resolve(), /^CredentialsError: profile:a \(assume-role\): the mfaCodeProvider gave no code for dev-mfa$/);
    assert.equal(sts.calls.length, 0);
  });

  it("a duration_seconds that is not a whole number is a ConfigError", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\nduration_seconds = 1h\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `duration_seconds in profile "a" (${home.dir}/.aws/config:4) is "1h"; expected a whole number of seconds`,
      );
      return true;
    });
  });

  it("an STS error document becomes an StsError with code, message, request id and status", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret-do-not-show\n",
    });
    reply = () => ({
      error: {
        code: "AccessDenied",
        message: "User: arn:aws:iam::111111111111:user/me is not authorized to perform: sts:AssumeRole",
        status: 403,
        requestId: "4d5e6f70-aaaa-bbbb-cccc-1234567890ab",
      },
    });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof StsError);
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.code, "AccessDenied");
      assert.equal(error.statusCode, 403);
      assert.equal(error.requestId, "4d5e6f70-aaaa-bbbb-cccc-1234567890ab");
      assert.equal(error.provider, "profile:a (assume-role)");
      assert.equal(
        error.message,
        "profile:a (assume-role): STS AssumeRole failed: AccessDenied: User: arn:aws:iam::111111111111:user/me " +
          "is not authorized to perform: sts:AssumeRole (HTTP 403, request id 4d5e6f70-aaaa-bbbb-cccc-1234567890ab)",
      );
      assert.ok(!inspect(error).includes("base-secret-do-not-show"));
      return true;
    });
  });

  it("a failure answer that is not an STS error document says so, with the request id header", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    reply = () => ({ raw: { status: 503, body: "<html>Service Unavailable</html>", contentType: "text/html" } });
    await assert.rejects(provider("a").resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError && !(error instanceof StsError));
      assert.match(error.message, /^profile:a \(assume-role\): STS AssumeRole answered HTTP 503 without an STS error document \(request id fake-req-\d+\)$/);
      return true;
    });
  });

  it("a success answer without credentials is an error naming what is missing", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    reply = () => ({ raw: { status: 200, body: "<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>" } });
    await assert.rejects(provider("a").resolve(), /^CredentialsError: profile:a \(assume-role\): STS AssumeRole answer has no Credentials\/AccessKeyId$/);
    reply = () => ({ raw: { status: 200, body: "not xml at all <<<" } });
    await assert.rejects(provider("a").resolve(), /STS AssumeRole answer has no Credentials\/AccessKeyId$/);
  });

  it("decodes the predefined XML entities but never expands DOCTYPE entities", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    const answer = (prolog: string, accessKeyId: string): string => `<?xml version="1.0"?>
${prolog}<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<AssumedRoleUser><Arn>arn:aws:sts::333333333333:assumed-role/r/s</Arn></AssumedRoleUser>
<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>a&amp;b&lt;c&#x2F;d&#43;</SecretAccessKey>
<SessionToken>tok</SessionToken><Expiration>2030-05-06T08:08:09Z</Expiration></Credentials>
</AssumeRoleResult></AssumeRoleResponse>`;
    reply = () => ({ raw: { status: 200, body: answer("", "AKID") } });
    const credentials = await provider("a").resolve();
    assert.equal(credentials.accessKeyId, "AKID");
    assert.equal(credentials.secretAccessKey, "a&b<c/d+");
    assert.equal(credentials.accountId, "333333333333");
    // The XML reader refuses any DOCTYPE, so a declared entity cannot be expanded: the answer is no document.
    reply = () => ({ raw: { status: 200, body: answer('<!DOCTYPE r [<!ENTITY boom "EXPANDED">]>\n', "&boom;") } });
    await assert.rejects(provider("a").resolve(), /STS AssumeRole answer has no Credentials\/AccessKeyId$/);
  });

  it("an STS that does not answer in time is an error naming the endpoint", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    reply = () => new Promise<StsReply>(() => {});
    await assert.rejects(provider("a", { timeoutMs: 200 }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `profile:a (assume-role): STS AssumeRole request failed: no answer within 200 ms (${sts.url}/)`);
      return true;
    });
  });

  it("an abort rejects with the caller's reason", async () => {
    home = tempHome({
      config: `[profile a]\nrole_arn = ${ROLE_A}\nsource_profile = base\n`,
      credentials: "[base]\naws_access_key_id = A\naws_secret_access_key = s\n",
    });
    reply = () => new Promise<StsReply>(() => {});
    const controller = new AbortController();
    const pending = provider("a").resolve({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop now")), 50);
    await assert.rejects(pending, (error: unknown) => error instanceof Error && error.message === "stop now");
  });
});

describe("fromAssumeRole (built in code)", () => {
  let sts: FakeSts;
  before(async () => {
    sts = await startFakeSts(grantByRole);
  });
  after(() => sts.close());

  it("resolves its source on every call and keeps its generated session name", async () => {
    let sourceCalls = 0;
    const source: CredentialProvider = {
      name: "mine",
      resolve: async () => new Credentials({ accessKeyId: `AKIDSRC${++sourceCalls}`, secretAccessKey: "s" }, "mine"),
    };
    let now = NOW;
    const role = fromAssumeRole({
      roleArn: ROLE_B,
      source,
      stsTarget: { endpoint: sts.url, region: "eu-north-1" },
      now: () => now,
    });
    assert.equal(role.name, "assume-role");
    const credentials = await role.resolve();
    now += 60_000;
    await role.resolve();
    assert.equal(credentials.source, "assume-role");
    assert.equal(credentials.accountId, "222222222222");
    assert.deepEqual(sts.calls.map((c) => [c.authorization?.accessKeyId, c.authorization?.region, c.params.RoleSessionName]), [
      ["AKIDSRC1", "eu-north-1", `stratus-session-${NOW / 1000}`],
      ["AKIDSRC2", "eu-north-1", `stratus-session-${NOW / 1000}`],
    ]);
  });
});

describe("fromAssumeRole with a bad endpoint", () => {
  it("refuses an endpoint that is not an http(s) URL, without quoting it", async () => {
    const source: CredentialProvider = {
      name: "src",
      resolve: async () => new Credentials({ accessKeyId: "A", secretAccessKey: "s" }, "src"),
    };
    const role = (endpoint: string) => fromAssumeRole({ roleArn: ROLE_A, source, stsTarget: { endpoint, region: "us-east-1" } });
    await assert.rejects(role("not a url :pass@").resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "assume-role: the STS endpoint is not a valid URL");
      return true;
    });
    await assert.rejects(role("ftp://user:hunter2@example.com/").resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "assume-role: the STS endpoint must be an http:// or https:// URL, not ftp:");
      return true;
    });
  });
});

describe("stsTarget and accountIdOf", () => {
  let home: TempHome;
  before(() => {
    home = tempHome({
      config:
        "[profile svc]\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n" +
        "[profile own]\nendpoint_url = http://own.example:1\nregion = eu-west-3\n",
    });
  });
  after(() => home.remove());

  it("defaults to us-east-1 and its regional endpoint when no region is configured", async () => {
    const config = await loadSharedConfig({ env: home.env });
    assert.deepEqual(stsTarget({ env: home.env, config }), { region: "us-east-1", endpoint: "https://sts.us-east-1.amazonaws.com" });
  });

  it("uses the region option, then AWS_REGION, for the regional endpoint; China regions get .com.cn", async () => {
    const config = await loadSharedConfig({ env: home.env });
    assert.deepEqual(stsTarget({ env: { AWS_REGION: "eu-central-1" }, config }), {
      region: "eu-central-1",
      endpoint: "https://sts.eu-central-1.amazonaws.com",
    });
    assert.equal(stsTarget({ env: { AWS_REGION: "eu-central-1" }, config, region: "us-west-2" }).region, "us-west-2");
    assert.equal(stsTarget({ env: { AWS_REGION: "cn-north-1" }, config }).endpoint, "https://sts.cn-north-1.amazonaws.com.cn");
  });

  it("a configured endpoint URL wins: AWS_ENDPOINT_URL_STS, services section, profile endpoint_url", async () => {
    const config = await loadSharedConfig({ env: home.env });
    assert.equal(stsTarget({ env: { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9999" }, config }).endpoint, "http://127.0.0.1:9999");
    assert.equal(stsTarget({ env: {}, config, profile: config.profile("svc") }).endpoint, "http://127.0.0.1:4566");
    assert.deepEqual(stsTarget({ env: {}, config, profile: config.profile("own") }), { region: "eu-west-3", endpoint: "http://own.example:1" });
    assert.equal(
      stsTarget({ env: { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9999", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, config }).endpoint,
      "https://sts.us-east-1.amazonaws.com",
    );
  });

  it("accountIdOf reads the account field of an ARN and nothing else", () => {
    assert.equal(accountIdOf("arn:aws:sts::123456789012:assumed-role/r/s"), "123456789012");
    assert.equal(accountIdOf("arn:aws-cn:sts::210987654321:assumed-role/r/s"), "210987654321");
    assert.equal(accountIdOf("arn:aws:sts:::assumed-role/r/s"), undefined);
    assert.equal(accountIdOf("not an arn"), undefined);
    assert.equal(accountIdOf(undefined), undefined);
  });
});
