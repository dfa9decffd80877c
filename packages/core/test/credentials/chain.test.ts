/**
 * The chain's contract (not-found moves on, anything else stops, nothing found lists every
 * attempt) with stub providers, then the default chain's order end to end: each link is
 * given something to find and the one that must win is checked, with the fake STS, a
 * loopback container agent and the fake IMDS standing in for the network. IMDS is either
 * disabled or pointed at the fake in every test, so nothing leaves the machine.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { chainProviders } from "../../src/credentials/chain.ts";
import { Credentials } from "../../src/credentials/credentials.ts";
import { defaultCredentialChain, defaultCredentialProvider } from "../../src/credentials/default-chain.ts";
import type { CredentialProvider } from "../../src/credentials/provider.ts";
import {
  ConfigError,
  CredentialsError,
  CredentialsNotFound,
  CredentialsProviderError,
  HttpRequestError,
  ProfileNotFoundError,
} from "../../src/errors/index.ts";
import { startFakeImds, type FakeImds } from "../support/fake-imds.ts";
import { startFakeSts, type FakeSts } from "../support/fake-sts.ts";
import { sendJson, startLoopbackServer, type LoopbackServer } from "../support/loopback-server.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

function stub(name: string, behaviour: "found" | Error, calls: string[]): CredentialProvider {
  return {
    name,
    async resolve() {
      calls.push(name);
      if (behaviour !== "found") throw behaviour;
      return new Credentials({ accessKeyId: `AKID-${name}`, secretAccessKey: "s" }, `source-${name}`);
    },
  };
}

describe("chainProviders", () => {
  it("returns the first provider's credentials that has some, with that provider's source", async () => {
    const calls: string[] = [];
    const chain = chainProviders([
      stub("one", new CredentialsNotFound("one", "nothing here"), calls),
      stub("two", "found", calls),
      stub("three", "found", calls),
    ]);
    const credentials = await chain.resolve();
    assert.equal(credentials.accessKeyId, "AKID-two");
    assert.equal(credentials.source, "source-two");
    assert.deepEqual(calls, ["one", "two"]);
    assert.equal(chain.name, "chain(one, two, three)");
  });

  it("nothing found: CredentialsProviderError listing every provider and its reason, in order", async () => {
    const calls: string[] = [];
    const chain = chainProviders([
      stub("env", new CredentialsNotFound("env", "AWS_ACCESS_KEY_ID is not set"), calls),
      stub("file", new CredentialsNotFound("file", 'profile "x" is not in /h/.aws/credentials'), calls),
    ], { name: "mine" });
    assert.equal(chain.name, "mine");
    await assert.rejects(chain.resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsProviderError);
      assert.deepEqual(error.attempts, [
        { provider: "env", reason: "AWS_ACCESS_KEY_ID is not set" },
        { provider: "file", reason: 'profile "x" is not in /h/.aws/credentials' },
      ]);
      assert.equal(
        error.message,
        "no credentials were found; tried:\n  1. env: AWS_ACCESS_KEY_ID is not set\n  2. file: profile \"x\" is not in /h/.aws/credentials",
      );
      return true;
    });
    assert.deepEqual(calls, ["env", "file"]);
  });

  it("a CredentialsError stops the chain and is thrown as it is", async () => {
    const calls: string[] = [];
    const broken = new CredentialsError("two", "STS said no");
    const chain = chainProviders([stub("one", new CredentialsNotFound("one", "no"), calls), stub("two", broken, calls), stub("three", "found", calls)]);
    await assert.rejects(chain.resolve(), (error: unknown) => error === broken);
    assert.deepEqual(calls, ["one", "two"]);
  });

  it("a ConfigError (and its subclasses) stops the chain and keeps its class", async () => {
    const calls: string[] = [];
    const bad = new ProfileNotFoundError("ghost", ["/h/.aws/config"]);
    const chain = chainProviders([stub("one", bad, calls), stub("two", "found", calls)]);
    await assert.rejects(chain.resolve(), (error: unknown) => error === bad);
    assert.deepEqual(calls, ["one"]);
  });

  it("any other error stops the chain, wrapped in a CredentialsError naming the provider", async () => {
    const calls: string[] = [];
    const typeError = new TypeError("cannot read properties of undefined");
    const chain = chainProviders([stub("buggy", typeError, calls), stub("two", "found", calls)]);
    await assert.rejects(chain.resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.provider, "buggy");
      assert.equal(error.message, "buggy: failed: TypeError: cannot read properties of undefined");
      assert.equal(error.cause, typeError);
      return true;
    });
    const http = new HttpRequestError("http://169.254.170.2/creds", "no answer within 1000 ms");
    await assert.rejects(chainProviders([stub("agent", http, [])]).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "agent: failed: HttpRequestError: no answer within 1000 ms (http://169.254.170.2/creds)");
      return true;
    });
    assert.deepEqual(calls, ["buggy"]);
  });

  it("a nested chain that found nothing counts as 'not found', its attempts flattened", async () => {
    const calls: string[] = [];
    const inner = chainProviders([stub("a", new CredentialsNotFound("a", "no a"), calls)]);
    const outer = chainProviders([inner, stub("b", new CredentialsNotFound("b", "no b"), calls)]);
    await assert.rejects(outer.resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsProviderError);
      assert.deepEqual(error.attempts.map((a) => a.provider), ["a", "b"]);
      return true;
    });
  });

  it("an aborted signal stops the chain with the caller's reason, never wrapped", async () => {
    const calls: string[] = [];
    const reason = new Error("caller aborted");
    await assert.rejects(chainProviders([stub("one", "found", calls)]).resolve({ signal: AbortSignal.abort(reason) }), (e: unknown) => e === reason);
    assert.deepEqual(calls, []);
    const controller = new AbortController();
    const aborting: CredentialProvider = {
      name: "slow",
      async resolve() {
        controller.abort(reason);
        throw new Error("socket closed");
      },
    };
    await assert.rejects(chainProviders([aborting, stub("two", "found", calls)]).resolve({ signal: controller.signal }), (e: unknown) => e === reason);
    assert.deepEqual(calls, []);
  });
});

describe("the default chain", () => {
  const NOW = Date.parse("2030-07-01T00:00:00Z");
  let home: TempHome;
  let sts: FakeSts;
  let imds: FakeImds;
  before(async () => {
    sts = await startFakeSts((call) => ({
      credentials: {
        accessKeyId: `ASIA-${call.action}`,
        secretAccessKey: "sts-secret",
        sessionToken: "sts-token",
        expiration: new Date(NOW + 3600_000),
      },
    }));
    imds = await startFakeImds();
  });
  after(async () => {
    await sts.close();
    await imds.close();
  });
  afterEach(() => {
    sts.calls.length = 0;
    imds.requests.length = 0;
    home?.remove();
  });

  /** No IMDS unless a test points it at the fake. */
  const base = (): Record<string, string | undefined> => ({ ...home.env, ...sts.env, AWS_EC2_METADATA_DISABLED: "true" });
  const ENV_KEYS = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" };

  it("explicit keys beat the environment", async () => {
    home = tempHome();
    const credentials = await defaultCredentialChain({
      env: { ...base(), ...ENV_KEYS },
      credentials: { accessKeyId: "AKIDCODE", secretAccessKey: "code-secret" },
    }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDCODE");
    assert.equal(credentials.source, "explicit");
  });

  it("the environment beats web identity and the profile files", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n" });
    const tokenFile = home.write("token", "jwt");
    const credentials = await defaultCredentialChain({
      env: { ...base(), ...ENV_KEYS, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: "arn:aws:iam::1:role/r" },
    }).resolve();
    assert.equal(credentials.source, "environment");
    assert.equal(sts.calls.length, 0);
  });

  it("web identity beats the credentials file", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n" });
    const tokenFile = home.write("token", "jwt");
    const credentials = await defaultCredentialChain({
      env: { ...base(), AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/r" },
    }).resolve();
    assert.equal(credentials.accessKeyId, "ASIA-AssumeRoleWithWebIdentity");
    assert.equal(credentials.source, "web-identity");
  });

  it("the credentials file beats the config file's keys for the same profile", async () => {
    home = tempHome({
      config: "[profile dev]\naws_access_key_id = AKIDCONF\naws_secret_access_key = s\n",
      credentials: "[dev]\naws_access_key_id = AKIDCRED\naws_secret_access_key = s\n",
    });
    const credentials = await defaultCredentialChain({ env: { ...base(), AWS_PROFILE: "dev" } }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDCRED");
    assert.equal(credentials.source, "profile:dev (credentials-file)");
  });

  it("a profile with role_arn assumes the role even though the credentials file has keys for it", async () => {
    home = tempHome({
      config: "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = dev\n",
      credentials: "[dev]\naws_access_key_id = AKIDCRED\naws_secret_access_key = s\n",
    });
    const credentials = await defaultCredentialChain({ env: { ...base(), AWS_PROFILE: "dev" } }).resolve();
    assert.equal(credentials.source, "profile:dev (assume-role)");
    assert.equal(sts.calls[0]!.authorization?.accessKeyId, "AKIDCRED");
  });

  it("the config file beats the container endpoint, which beats IMDS", async () => {
    const agent: LoopbackServer = await startLoopbackServer((_req, res) =>
      sendJson(res, { AccessKeyId: "ASIACONTAINER", SecretAccessKey: "c", Token: "t", Expiration: "2031-01-01T00:00:00Z" }),
    );
    try {
      home = tempHome({ config: "[default]\naws_access_key_id = AKIDCONF\naws_secret_access_key = s\n" });
      const env = { ...base(), AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/creds`, AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
      assert.equal((await defaultCredentialChain({ env }).resolve()).source, "profile:default (config-file)");
      home.remove();
      home = tempHome();
      const fromAgent = await defaultCredentialChain({ env: { ...env, HOME: home.dir } }).resolve();
      assert.equal(fromAgent.accessKeyId, "ASIACONTAINER");
      assert.equal(agent.requests.length, 1);
      assert.equal(imds.requests.length, 0);
    } finally {
      await agent.close();
    }
  });

  it("IMDS is the last resort, with settings from the profile", async () => {
    home = tempHome({ config: `[default]\nec2_metadata_service_endpoint = ${imds.url}\n` });
    const credentials = await defaultCredentialChain({ env: { ...home.env, ...sts.env } }).resolve();
    assert.equal(credentials.accessKeyId, "ASIAIMDSFAKE");
    assert.equal(imds.requests.length, 3);
  });

  it("nothing anywhere: every link is listed with its reason", async () => {
    home = tempHome();
    await assert.rejects(defaultCredentialChain({ env: base() }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsProviderError);
      assert.deepEqual(error.attempts, [
        { provider: "environment", reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set" },
        { provider: "web-identity", reason: 'AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile "default" has no web_identity_token_file' },
        { provider: "credentials-file", reason: `profile "default" is not in ${home.dir}/.aws/credentials` },
        { provider: "config-file", reason: `profile "default" is in neither ${home.dir}/.aws/config nor ${home.dir}/.aws/credentials` },
        { provider: "container-endpoint", reason: "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set" },
        { provider: "instance-metadata", reason: "disabled by AWS_EC2_METADATA_DISABLED" },
      ]);
      return true;
    });
  });

  it("a broken link stops the chain: later links are not tried", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n" });
    const env = { ...base(), AWS_ACCESS_KEY_ID: "AKIDHALF", AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
    await assert.rejects(defaultCredentialChain({ env }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
      return true;
    });
    assert.equal(imds.requests.length, 0);
  });

  it("a profile passed as an option takes the environment keys out of the chain (botocore)", async () => {
    home = tempHome({ credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n" });
    const credentials = await defaultCredentialChain({ env: { ...base(), ...ENV_KEYS }, profile: "dev" }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDDEV");
  });

  it("a profile passed as an option also hides the web identity variables", async () => {
    home = tempHome({ credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n" });
    const tokenFile = home.write("token", "jwt");
    const credentials = await defaultCredentialChain({
      env: { ...base(), AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: "arn:aws:iam::1:role/r" },
      profile: "dev",
    }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDDEV");
    assert.equal(sts.calls.length, 0);
  });

  it("reads the shared files under the homeDir option when one is given", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = AKIDHOMEDIR\naws_secret_access_key = s\n" });
    const elsewhere = tempHome({ credentials: "[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = s\n" });
    try {
      const credentials = await defaultCredentialChain({ env: { ...base(), HOME: elsewhere.dir }, homeDir: home.dir }).resolve();
      assert.equal(credentials.accessKeyId, "AKIDHOMEDIR");
    } finally {
      elsewhere.remove();
    }
  });

  it("a profile named by AWS_PROFILE does not: environment keys still win", async () => {
    home = tempHome({ credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n" });
    const credentials = await defaultCredentialChain({ env: { ...base(), ...ENV_KEYS, AWS_PROFILE: "dev" } }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDENV");
  });

  it("an explicitly named profile that exists nowhere is a ProfileNotFoundError, not a fall-through", async () => {
    home = tempHome({ credentials: "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n" });
    for (const options of [{ profile: "ghost", env: base() }, { env: { ...base(), AWS_PROFILE: "ghost" } }]) {
      await assert.rejects(defaultCredentialChain(options).resolve(), (error: unknown) => {
        assert.ok(error instanceof ProfileNotFoundError);
        assert.equal(error.profile, "ghost");
        assert.equal(
          error.message,
          `profile "ghost" was not found in ${home.dir}/.aws/config or ${home.dir}/.aws/credentials`,
        );
        return true;
      });
    }
    // With keys in the environment, AWS_PROFILE is never consulted (the keys win).
    const credentials = await defaultCredentialChain({ env: { ...base(), ...ENV_KEYS, AWS_PROFILE: "ghost" } }).resolve();
    assert.equal(credentials.source, "environment");
  });

  it("a configuration error in a profile stops the chain with its own class", async () => {
    home = tempHome({ config: "[default]\nrole_arn = arn:aws:iam::1:role/r\n" });
    await assert.rejects(defaultCredentialChain({ env: base() }).resolve(), ConfigError);
  });

  it("defaultCredentialProvider caches: one STS call for many resolves until the refresh window", async () => {
    home = tempHome();
    const tokenFile = home.write("token", "jwt");
    let now = NOW;
    const provider = defaultCredentialProvider({
      env: { ...base(), AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/r" },
      now: () => now,
    });
    const results = await Promise.all(Array.from({ length: 25 }, () => provider.resolve()));
    assert.ok(results.every((c) => c === results[0]));
    await provider.resolve();
    assert.equal(sts.calls.length, 1);
    now = NOW + 3600_000 - 14 * 60_000;
    await provider.resolve();
    assert.equal(sts.calls.length, 2);
  });
});
