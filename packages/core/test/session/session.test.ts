import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Credentials, NoRegionError, ProfileNotFoundError, Session, type CredentialProvider } from "../../src/index.ts";
import { tempHome } from "../support/temp-home.ts";

const SECRET = "session-test-secret-0123456789";

describe("Session", () => {
  it("resolves profile, region and credentials from the shared files, once", async () => {
    const home = tempHome({
      config: "[profile dev]\nregion = eu-central-1\nmax_attempts = 7\n",
      credentials: `[dev]\naws_access_key_id = AKIASESSIONDEV\naws_secret_access_key = ${SECRET}\n`,
    });
    try {
      const session = new Session({ env: { ...home.env, AWS_PROFILE: "dev", AWS_EC2_METADATA_DISABLED: "true" } });
      assert.equal(session.profileName, "dev");
      assert.equal(await session.region(), "eu-central-1");
      const first = await session.credentials();
      assert.equal(first.accessKeyId, "AKIASESSIONDEV");
      assert.equal(first.source, "profile:dev (credentials-file)");
      // The cache hands back the same object: the files are not read again.
      assert.equal(await session.credentials(), first);
      assert.equal(session.sharedConfig(), session.sharedConfig());
      const settings = await session.serviceSettings("S3");
      assert.deepEqual(settings, {
        region: "eu-central-1",
        endpointUrl: undefined,
        useFips: false,
        useDualStack: false,
        retry: { mode: "standard", maxAttempts: 7 },
      });
    } finally {
      home.remove();
    }
  });

  it("lets explicit options win over the environment and the profile", async () => {
    const home = tempHome({ config: "[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:1\n" });
    try {
      const session = new Session({
        env: { ...home.env, AWS_REGION: "ap-south-1", AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:2" },
        region: "sa-east-1",
        credentials: { accessKeyId: "AKIAEXPLICIT", secretAccessKey: SECRET },
      });
      assert.equal(await session.region(), "sa-east-1");
      assert.equal((await session.credentials()).accessKeyId, "AKIAEXPLICIT");
      const sqs = await session.serviceSettings("SQS");
      assert.equal(sqs.endpointUrl, "http://127.0.0.1:2");
      const s3 = await session.serviceSettings("S3", { region: "eu-north-1", endpointUrl: "http://127.0.0.1:3" });
      assert.equal(s3.region, "eu-north-1");
      assert.equal(s3.endpointUrl, "http://127.0.0.1:3");
      const ddb = await session.serviceSettings("DynamoDB");
      assert.equal(ddb.endpointUrl, "http://127.0.0.1:1");
    } finally {
      home.remove();
    }
  });

  it("wraps a given provider in the cache and shares it between callers", async () => {
    let calls = 0;
    const provider: CredentialProvider = {
      name: "counting",
      async resolve() {
        calls++;
        return new Credentials({ accessKeyId: "AKIACOUNT", secretAccessKey: SECRET, expiration: new Date(Date.now() + 3_600_000) }, "counting");
      },
    };
    const session = new Session({ env: {}, credentials: provider, region: "us-east-1" });
    const results = await Promise.all(Array.from({ length: 20 }, () => session.credentials()));
    assert.equal(calls, 1);
    assert.ok(results.every((c) => c === results[0]));
  });

  it("fails clearly for a missing region and for a named profile that does not exist", async () => {
    const home = tempHome({ config: "[default]\noutput = json\n" });
    try {
      await assert.rejects(new Session({ env: home.env }).serviceSettings("S3"), NoRegionError);
      await assert.rejects(new Session({ env: home.env, profile: "nope" }).region(), (error: unknown) => {
        assert.ok(error instanceof ProfileNotFoundError);
        assert.match(error.message, /profile "nope" was not found/);
        return true;
      });
    } finally {
      home.remove();
    }
  });

  it("never shows credentials when inspected, and reads nothing when constructed", async () => {
    const session = new Session({
      env: { HOME: "/nonexistent-stratus-home" },
      credentials: { accessKeyId: "AKIAINSPECT", secretAccessKey: SECRET, sessionToken: "tok-" + SECRET },
      region: "us-east-1",
    });
    const shown = inspect(session, { depth: 10, showHidden: true });
    assert.doesNotMatch(shown, new RegExp(SECRET));
    assert.doesNotMatch(shown, /AKIAINSPECT/);
    const creds = await session.credentials();
    assert.doesNotMatch(inspect(creds, { showHidden: true, depth: 10 }), new RegExp(SECRET));
    assert.doesNotMatch(JSON.stringify(creds), new RegExp(SECRET));
  });
});
