/**
 * The two providers that read no file and call nothing: keys passed in code, and the
 * environment variables (always an explicit `env` here, never `process.env`).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Credentials } from "../../src/credentials/credentials.ts";
import { fromEnvironment } from "../../src/credentials/providers/environment.ts";
import { fromStatic } from "../../src/credentials/providers/static.ts";
import { CredentialsError, CredentialsNotFound } from "../../src/errors/index.ts";

describe("fromStatic", () => {
  it("returns the keys as Credentials whose source is 'explicit'", async () => {
    const provider = fromStatic({
      accessKeyId: "AKIDSTATIC",
      secretAccessKey: "static-secret",
      sessionToken: "static-token",
      accountId: "111122223333",
    });
    assert.equal(provider.name, "explicit");
    const credentials = await provider.resolve();
    assert.ok(credentials instanceof Credentials);
    assert.equal(credentials.accessKeyId, "AKIDSTATIC");
    assert.equal(credentials.secretAccessKey, "static-secret");
    assert.equal(credentials.sessionToken, "static-token");
    assert.equal(credentials.accountId, "111122223333");
    assert.equal(credentials.expiration, undefined);
    assert.equal(credentials.source, "explicit");
  });

  it("copies the identity, so later changes to the caller's object do not leak in", async () => {
    const identity = { accessKeyId: "AKIDA", secretAccessKey: "s1" };
    const provider = fromStatic(identity);
    identity.accessKeyId = "CHANGED";
    assert.equal((await provider.resolve()).accessKeyId, "AKIDA");
  });

  it("refuses a missing access key id or secret when built, naming the missing field", () => {
    assert.throws(() => fromStatic({ accessKeyId: "", secretAccessKey: "x" }), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "explicit: accessKeyId is missing (secretAccessKey alone is not enough)");
      return true;
    });
    assert.throws(() => fromStatic({ accessKeyId: "AKIDONLY", secretAccessKey: "" }), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "explicit: secretAccessKey is missing for access key AKIDONLY");
      return true;
    });
  });

  it("takes another name", async () => {
    const provider = fromStatic({ accessKeyId: "A", secretAccessKey: "B" }, { name: "mine" });
    assert.equal((await provider.resolve()).source, "mine");
  });
});

describe("fromEnvironment", () => {
  it("reads the key pair, the session token, the expiration and the account id", async () => {
    const credentials = await fromEnvironment({
      env: {
        AWS_ACCESS_KEY_ID: "AKIDENV",
        AWS_SECRET_ACCESS_KEY: "env-secret",
        AWS_SESSION_TOKEN: "env-token",
        AWS_CREDENTIAL_EXPIRATION: "2030-01-02T03:04:05Z",
        AWS_ACCOUNT_ID: "444455556666",
      },
    }).resolve();
    assert.equal(credentials.accessKeyId, "AKIDENV");
    assert.equal(credentials.secretAccessKey, "env-secret");
    assert.equal(credentials.sessionToken, "env-token");
    assert.equal(credentials.expiration?.toISOString(), "2030-01-02T03:04:05.000Z");
    assert.equal(credentials.accountId, "444455556666");
    assert.equal(credentials.source, "environment");
  });

  it("long-term keys have no token, expiration or account", async () => {
    const credentials = await fromEnvironment({ env: { AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" } }).resolve();
    assert.equal(credentials.sessionToken, undefined);
    assert.equal(credentials.expiration, undefined);
    assert.equal(credentials.accountId, undefined);
  });

  it("falls back to the legacy AWS_SECURITY_TOKEN, AWS_SESSION_TOKEN winning when both are set", async () => {
    const legacy = await fromEnvironment({
      env: { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "s", AWS_SECURITY_TOKEN: "legacy" },
    }).resolve();
    assert.equal(legacy.sessionToken, "legacy");
    const both = await fromEnvironment({
      env: { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "s", AWS_SECURITY_TOKEN: "legacy", AWS_SESSION_TOKEN: "new" },
    }).resolve();
    assert.equal(both.sessionToken, "new");
  });

  it("is 'not found' when neither key is set (empty counts as unset)", async () => {
    for (const env of [{}, { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" }, { AWS_SESSION_TOKEN: "t" }]) {
      await assert.rejects(fromEnvironment({ env }).resolve(), (error: unknown) => {
        assert.ok(error instanceof CredentialsNotFound);
        assert.equal(error.message, "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
        return true;
      });
    }
  });

  it("only one of the pair set is an error naming the missing variable", async () => {
    await assert.rejects(fromEnvironment({ env: { AWS_ACCESS_KEY_ID: "AKID" } }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
      return true;
    });
    await assert.rejects(fromEnvironment({ env: { AWS_SECRET_ACCESS_KEY: "lonely-secret" } }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
      assert.ok(!error.message.includes("lonely-secret"));
      return true;
    });
  });

  it("an unparsable AWS_CREDENTIAL_EXPIRATION is an error quoting the value", async () => {
    const env = { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "s", AWS_CREDENTIAL_EXPIRATION: "next tuesday" };
    await assert.rejects(fromEnvironment({ env }).resolve(), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, 'environment: AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 date: "next tuesday"');
      return true;
    });
  });

  it("reads the environment again on every resolve (so a cache refresh sees new values)", async () => {
    const env: Record<string, string> = { AWS_ACCESS_KEY_ID: "FIRST", AWS_SECRET_ACCESS_KEY: "s" };
    const provider = fromEnvironment({ env });
    assert.equal((await provider.resolve()).accessKeyId, "FIRST");
    env.AWS_ACCESS_KEY_ID = "SECOND";
    assert.equal((await provider.resolve()).accessKeyId, "SECOND");
  });
});
