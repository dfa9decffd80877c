/**
 * The instance metadata provider against a scripted loopback IMDS (support/fake-imds.ts),
 * reached through AWS_EC2_METADATA_SERVICE_ENDPOINT. Each test checks the exact request
 * sequence, which token each request carried, and that no token or key reaches an error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { CredentialsError, CredentialsNotFound } from "../../src/errors/index.ts";
import { fromInstanceMetadata as fromImds, resolveImdsSettings, type InstanceMetadataOptions } from "../../src/credentials/providers/imds.ts";
import { IMDS_GOOD_CREDENTIALS, IMDS_TOKEN_PREFIX, startFakeImds, type FakeImds, type FakeImdsOptions } from "../support/fake-imds.ts";
import { startLoopbackServer } from "../support/loopback-server.ts";

const SECRETS = [IMDS_TOKEN_PREFIX, IMDS_GOOD_CREDENTIALS.SecretAccessKey, IMDS_GOOD_CREDENTIALS.Token];
const PUT_TOKEN = "PUT /latest/api/token";
const LIST = "GET /latest/meta-data/iam/security-credentials/";
const CREDS = "GET /latest/meta-data/iam/security-credentials/test-role";

function assertNoSecrets(value: unknown): void {
  const texts = [value instanceof Error ? value.message : "", inspect(value, { depth: 10 })];
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

async function withImds(options: FakeImdsOptions, body: (imds: FakeImds) => Promise<void>): Promise<void> {
  const imds = await startFakeImds(options);
  try {
    await body(imds);
  } finally {
    await imds.close();
  }
}

const NOW = Date.parse("2030-01-01T01:00:00Z");

/**
 * The provider under test, with a 5 s deadline where the test sets none. IMDS's 1 s default
 * (checked through resolveImdsSettings below) is a budget for a real instance; here the
 * suite shares two cores with every other suite, and a success path must not turn into a
 * timeout because the machine was busy. Tests about deadlines set their own.
 */
function fromInstanceMetadata(options: InstanceMetadataOptions): ReturnType<typeof fromImds> {
  const configured =
    options.timeoutMs !== undefined ||
    options.env["AWS_METADATA_SERVICE_TIMEOUT"] !== undefined ||
    options.profile?.["metadata_service_timeout"] !== undefined;
  return fromImds(configured ? options : { ...options, timeoutMs: 5000 });
}

/** Resolves once `check` holds, polling the fake's record (no fixed sleeps). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("the fake IMDS never saw the expected requests");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("fromInstanceMetadata", () => {
  it("is not found when AWS_EC2_METADATA_DISABLED=true, without any request", async () => {
    await withImds({}, async (imds) => {
      for (const value of ["true", "TRUE", "True"]) {
        const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_DISABLED: value, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } });
        const error = await rejection(provider.resolve());
        assert.ok(error instanceof CredentialsNotFound);
        assert.equal(error.message, "instance-metadata: disabled by AWS_EC2_METADATA_DISABLED");
      }
      assert.equal(imds.requests.length, 0);
      // Any other value leaves it enabled.
      const enabled = fromInstanceMetadata({ env: { AWS_EC2_METADATA_DISABLED: "false", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: () => NOW });
      await enabled.resolve();
      assert.equal(imds.requests.length, 3);
    });
  });

  it("uses an IMDSv2 session token for both GETs", async () => {
    await withImds({ requireToken: true }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: () => NOW });
      assert.equal(provider.name, "instance-metadata");
      const creds = await provider.resolve();
      assert.equal(creds.accessKeyId, "ASIAIMDSFAKE");
      assert.equal(creds.secretAccessKey, IMDS_GOOD_CREDENTIALS.SecretAccessKey);
      assert.equal(creds.sessionToken, IMDS_GOOD_CREDENTIALS.Token);
      assert.equal(creds.expiration?.toISOString(), "2030-01-01T06:00:00.000Z");
      assert.equal(creds.source, "instance-metadata");
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, CREDS]);
      assert.equal(imds.requests[0]!.headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
      assert.deepEqual(imds.tokensSent(), [undefined, `${IMDS_TOKEN_PREFIX}1`, `${IMDS_TOKEN_PREFIX}1`]);
      assertNoSecrets(creds);
      // A new resolve starts a new session.
      await provider.resolve();
      assert.deepEqual(imds.issued, [`${IMDS_TOKEN_PREFIX}1`, `${IMDS_TOKEN_PREFIX}2`]);
      assert.equal(imds.requests.length, 6);
    });
  });

  it("honours the endpoint's own path and trailing slash", async () => {
    await withImds({}, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${imds.url}/` }, now: () => NOW });
      await provider.resolve();
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, CREDS]);
    });
  });

  for (const status of [403, 404, 405]) {
    it(`falls back to IMDSv1 when the token PUT answers ${status}`, async () => {
      await withImds({ token: status }, async (imds) => {
        const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, maxAttempts: 3, now: () => NOW });
        const creds = await provider.resolve();
        assert.equal(creds.accessKeyId, "ASIAIMDSFAKE");
        // No second PUT: these statuses are final.
        assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, CREDS]);
        assert.deepEqual(imds.tokensSent(), [undefined, undefined, undefined]);
      });
    });
  }

  it("fails on a token PUT answered 400, without falling back", async () => {
    await withImds({ token: 400 }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "instance-metadata: the instance metadata service refused the session token request (PUT /latest/api/token): HTTP 400");
      assert.deepEqual(imds.calls(), [PUT_TOKEN]);
    });
  });

  it("falls back to IMDSv1 at once when the token PUT times out", async () => {
    await withImds({ token: "hang" }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, timeoutMs: 400, maxAttempts: 3, now: () => NOW });
      const started = Date.now();
      const creds = await provider.resolve();
      assert.equal(creds.accessKeyId, "ASIAIMDSFAKE");
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, CREDS]);
      assert.deepEqual(imds.tokensSent(), [undefined, undefined, undefined]);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 140 && elapsed < 1000, `took ${elapsed} ms`);
    });
  });

  it("retries a token PUT answered 5xx, then falls back", async () => {
    await withImds({ token: [500, 503] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_METADATA_SERVICE_NUM_ATTEMPTS: "2" }, now: () => NOW });
      await provider.resolve();
      assert.deepEqual(imds.calls(), [PUT_TOKEN, PUT_TOKEN, LIST, CREDS]);
      assert.deepEqual(imds.tokensSent(), [undefined, undefined, undefined, undefined]);
    });
    await withImds({ token: [500, "ok"] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_METADATA_SERVICE_NUM_ATTEMPTS: "2" }, now: () => NOW });
      await provider.resolve();
      assert.deepEqual(imds.tokensSent(), [undefined, undefined, `${IMDS_TOKEN_PREFIX}1`, `${IMDS_TOKEN_PREFIX}1`]);
    });
  });

  it("refuses to fall back when IMDSv1 is disabled, naming the setting", async () => {
    const cases: { env?: Record<string, string>; profile?: Record<string, string>; source: string }[] = [
      { env: { AWS_EC2_METADATA_V1_DISABLED: "true" }, source: "AWS_EC2_METADATA_V1_DISABLED" },
      { env: { AWS_EC2_METADATA_V1_DISABLED: "TRUE" }, source: "AWS_EC2_METADATA_V1_DISABLED" },
      { profile: { ec2_metadata_v1_disabled: "true" }, source: "ec2_metadata_v1_disabled in the profile" },
    ];
    for (const { env, profile, source } of cases) {
      await withImds({ token: 403 }, async (imds) => {
        const provider = fromInstanceMetadata({ env: { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, profile });
        const error = await rejection(provider.resolve());
        assert.ok(error instanceof CredentialsError);
        assert.equal(
          error.message,
          `instance-metadata: could not get an IMDSv2 session token (PUT /latest/api/token: HTTP 403) and IMDSv1 is disabled by ${source}`,
        );
        assert.deepEqual(imds.calls(), [PUT_TOKEN]);
      });
    }
    // The environment wins over the profile.
    await withImds({ token: 403 }, async (imds) => {
      const provider = fromInstanceMetadata({
        env: { AWS_EC2_METADATA_V1_DISABLED: "false", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
        profile: { ec2_metadata_v1_disabled: "true" },
        now: () => NOW,
      });
      await provider.resolve();
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, CREDS]);
    });
  });

  it("works with IMDSv1 disabled when the token comes", async () => {
    await withImds({ requireToken: true }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_V1_DISABLED: "true", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: () => NOW });
      await provider.resolve();
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, CREDS]);
    });
  });

  it("fetches a new token once when a GET answers 401", async () => {
    await withImds({ requireToken: true, getFaults: [401] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: () => NOW });
      const creds = await provider.resolve();
      assert.equal(creds.accessKeyId, "ASIAIMDSFAKE");
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, PUT_TOKEN, LIST, CREDS]);
      const [t1, t2] = [`${IMDS_TOKEN_PREFIX}1`, `${IMDS_TOKEN_PREFIX}2`];
      assert.deepEqual(imds.tokensSent(), [undefined, t1, undefined, t2, t2]);
    });
  });

  it("fails after one re-token when GETs keep answering 401", async () => {
    await withImds({ getFaults: [401, 401, 401] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "instance-metadata: listing the instance's IAM role failed: HTTP 401");
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, PUT_TOKEN, LIST]);
      assertNoSecrets(error);
    });
  });

  it("retries GETs answered 5xx up to the attempts", async () => {
    await withImds({ getFaults: [500, 502] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, maxAttempts: 3, now: () => NOW });
      await provider.resolve();
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, LIST, LIST, CREDS]);
    });
    await withImds({ getFaults: [500, 502] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, maxAttempts: 2 });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, "instance-metadata: listing the instance's IAM role failed: HTTP 502");
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, LIST]);
    });
  });

  it("uses only one attempt by default", async () => {
    await withImds({ getFaults: [500] }, async (imds) => {
      const error = await rejection(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } }).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST]);
    });
  });

  it("reads timeout and attempts from the environment, then the profile; options win", async () => {
    await withImds({ getFaults: ["hang", "hang", "hang"] }, async (imds) => {
      const provider = fromInstanceMetadata({
        env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_METADATA_SERVICE_TIMEOUT: "0.3", AWS_METADATA_SERVICE_NUM_ATTEMPTS: "3" },
        profile: { metadata_service_timeout: "5", metadata_service_num_attempts: "1" },
      });
      const started = Date.now();
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `instance-metadata: no answer from ${imds.url}/latest/meta-data/iam/security-credentials/ after 3 attempts: no answer within 300 ms`);
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, LIST, LIST]);
      assert.ok(Date.now() - started < 2000);
    });
    await withImds({ getFaults: ["hang", "hang"] }, async (imds) => {
      const provider = fromInstanceMetadata({
        env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
        profile: { metadata_service_timeout: "0.3", metadata_service_num_attempts: "2" },
      });
      const error = await rejection(provider.resolve());
      assert.match(error.message, /after 2 attempts: no answer within 300 ms$/);
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, LIST]);
    });
    await withImds({ getFaults: ["hang", "hang"] }, async (imds) => {
      const provider = fromInstanceMetadata({
        env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_METADATA_SERVICE_TIMEOUT: "5", AWS_METADATA_SERVICE_NUM_ATTEMPTS: "3" },
        timeoutMs: 250,
        maxAttempts: 1,
      });
      const error = await rejection(provider.resolve());
      assert.match(error.message, /after 1 attempt: no answer within 250 ms$/);
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST]);
    });
  });

  it("rejects unusable timeout and attempts settings", async () => {
    const bad: [Record<string, string>, Record<string, string>, RegExp][] = [
      [{ AWS_METADATA_SERVICE_TIMEOUT: "soon" }, {}, /AWS_METADATA_SERVICE_TIMEOUT must be a positive number of seconds, not "soon"/],
      [{}, { metadata_service_timeout: "0" }, /metadata_service_timeout in the profile must be a positive number of seconds/],
      [{ AWS_METADATA_SERVICE_NUM_ATTEMPTS: "1.5" }, {}, /AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number of at least 1, not "1.5"/],
      [{}, { metadata_service_num_attempts: "0" }, /metadata_service_num_attempts in the profile must be a whole number of at least 1/],
    ];
    for (const [env, profile, expected] of bad) {
      const error = await rejection(fromInstanceMetadata({ env: { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://127.0.0.1:9" }, profile }).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, expected);
    }
  });

  it("picks the endpoint: setting first, then mode", () => {
    const endpoint = (env: Record<string, string>, profile?: Record<string, string>): string =>
      resolveImdsSettings({ env, profile }).endpoint.href;
    assert.equal(endpoint({}), "http://169.254.169.254/");
    assert.equal(endpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "IPv4" }), "http://169.254.169.254/");
    assert.equal(endpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "IPv6" }), "http://[fd00:ec2::254]/");
    assert.equal(endpoint({}, { ec2_metadata_service_endpoint_mode: "ipv6" }), "http://[fd00:ec2::254]/");
    assert.equal(endpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "ipv4" }, { ec2_metadata_service_endpoint_mode: "ipv6" }), "http://169.254.169.254/");
    assert.equal(endpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "ipv6", AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://127.0.0.1:1234" }), "http://127.0.0.1:1234/");
    assert.equal(endpoint({}, { ec2_metadata_service_endpoint: "http://[::1]:1234" }), "http://[::1]:1234/");
    assert.equal(endpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://127.0.0.1:1" }, { ec2_metadata_service_endpoint: "http://127.0.0.1:2" }), "http://127.0.0.1:1/");
    const defaults = resolveImdsSettings({ env: {} });
    assert.equal(defaults.timeoutMs, 1000);
    assert.equal(defaults.maxAttempts, 1);
    assert.equal(defaults.v1DisabledBy, undefined);
  });

  it("rejects a bad endpoint mode or endpoint before any request", async () => {
    await withImds({}, async (imds) => {
      const cases: [Record<string, string>, Record<string, string>, string][] = [
        [{ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "ipv5", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, {},
          'instance-metadata: AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is "ipv5"; expected "IPv4" or "IPv6"'],
        [{ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, { ec2_metadata_service_endpoint_mode: "dual" },
          'instance-metadata: ec2_metadata_service_endpoint_mode in the profile is "dual"; expected "IPv4" or "IPv6"'],
        [{}, { ec2_metadata_service_endpoint: "not a url" }, "instance-metadata: ec2_metadata_service_endpoint in the profile is not a valid URL"],
        [{ AWS_EC2_METADATA_SERVICE_ENDPOINT: "ftp://127.0.0.1/" }, {}, "instance-metadata: AWS_EC2_METADATA_SERVICE_ENDPOINT must be an http:// or https:// URL"],
      ];
      for (const [env, profile, message] of cases) {
        const error = await rejection(fromInstanceMetadata({ env, profile }).resolve());
        assert.ok(error instanceof CredentialsError);
        assert.equal(error.message, message);
      }
      assert.equal(imds.requests.length, 0);
    });
  });

  it("takes the endpoint from the profile, and the environment over it", async () => {
    await withImds({}, async (imds) => {
      await fromInstanceMetadata({ env: {}, profile: { ec2_metadata_service_endpoint: imds.url }, now: () => NOW }).resolve();
      assert.equal(imds.requests.length, 3);
      await fromInstanceMetadata({
        env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
        profile: { ec2_metadata_service_endpoint: "http://127.0.0.1:9" },
        now: () => NOW,
      }).resolve();
      assert.equal(imds.requests.length, 6);
    });
  });

  it("is not found when IMDS cannot be reached at all", async () => {
    const closed = await startLoopbackServer(() => {});
    const url = closed.url;
    await closed.close();
    for (const env of [{}, { AWS_EC2_METADATA_V1_DISABLED: "true" }]) {
      const error = await rejection(fromInstanceMetadata({ env: { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: url }, maxAttempts: 2 }).resolve());
      assert.ok(error instanceof CredentialsNotFound, inspect(error));
      assert.match(error.message, new RegExp(`^instance-metadata: the instance metadata service at ${url} did not answer \\(request failed \\(ECONNREFUSED\\)`));
    }
  });

  it("is not found when IMDS never answers, after timing out the PUT and the GET", async () => {
    const silent = await startLoopbackServer(() => {});
    try {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: silent.url }, timeoutMs: 300 });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsNotFound);
      assert.equal(error.message, `instance-metadata: the instance metadata service at ${silent.url} did not answer (no answer within 300 ms; 1 attempt)`);
      assert.deepEqual(silent.requests.map((r) => r.method), ["PUT", "GET"]);
    } finally {
      await silent.close();
    }
  });

  it("is an error when IMDS answered the token but then stops answering", async () => {
    await withImds({ getFaults: ["hang"] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, timeoutMs: 300 });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assertNoSecrets(error);
    });
  });

  it("fails when no role is attached", async () => {
    for (const [roles, message] of [
      [404, "instance-metadata: no IAM role is attached to this instance (no instance profile)"],
      ["", "instance-metadata: no IAM role is attached to this instance (empty role list)"],
      ["\n", "instance-metadata: no IAM role is attached to this instance (empty role list)"],
    ] as const) {
      await withImds({ roles }, async (imds) => {
        const error = await rejection(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } }).resolve());
        assert.ok(error instanceof CredentialsError);
        assert.equal(error.message, message);
        assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST]);
      });
    }
  });

  it("uses the first role listed and encodes it in the path", async () => {
    await withImds({ roles: "role with space\nsecond-role\n" }, async (imds) => {
      await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: () => NOW }).resolve();
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST, `${LIST}role%20with%20space`]);
    });
  });

  it("fails when IMDS reports a Code other than Success, without leaking", async () => {
    const credentials = {
      Code: "AssumeRoleUnauthorizedAccess",
      Message: `EC2 cannot assume the role test-role ${IMDS_GOOD_CREDENTIALS.SecretAccessKey}`,
      LastUpdated: "2030-01-01T00:00:00Z",
    };
    await withImds({ credentials }, async (imds) => {
      const error = await rejection(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } }).resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(
        error.message,
        'instance-metadata: IMDS could not provide credentials for role "test-role": AssumeRoleUnauthorizedAccess "EC2 cannot assume the role test-role <redacted>"',
      );
      assertNoSecrets(error);
    });
  });

  it("fails on credentials that are not JSON, incomplete or undated, without leaking", async () => {
    const cases: [string | number | Record<string, unknown>, string][] = [
      [`{"SecretAccessKey": "${IMDS_GOOD_CREDENTIALS.SecretAccessKey}", oops`, 'the credentials for role "test-role" are not JSON'],
      [{ ...IMDS_GOOD_CREDENTIALS, Token: undefined, Expiration: undefined }, 'the credentials for role "test-role" lack Token, Expiration'],
      [{ ...IMDS_GOOD_CREDENTIALS, Expiration: "later" }, 'the credentials for role "test-role" have an Expiration that is not a date'],
      [404, `fetching credentials for role "test-role" failed: HTTP 404`],
    ];
    for (const [credentials, message] of cases) {
      await withImds({ credentials }, async (imds) => {
        const error = await rejection(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } }).resolve());
        assert.ok(error instanceof CredentialsError);
        assert.equal(error.message, `instance-metadata: ${message}`);
        assertNoSecrets(error);
      });
    }
  });

  it("extends already-expired credentials by 5 to 10 minutes and warns without secrets", async () => {
    await withImds({}, async (imds) => {
      const expiry = Date.parse(IMDS_GOOD_CREDENTIALS.Expiration);
      const warnings: string[] = [];
      const logger = { warn: (message: string) => void warnings.push(message) };
      const env = { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };

      const later = expiry + 3_600_000;
      const low = await fromInstanceMetadata({ env, now: () => later, random: () => 0, logger }).resolve();
      assert.equal(low.expiration?.getTime(), later + 5 * 60_000);
      assert.equal(low.accessKeyId, "ASIAIMDSFAKE");
      assert.equal(low.secretAccessKey, IMDS_GOOD_CREDENTIALS.SecretAccessKey);
      assert.equal(low.sessionToken, IMDS_GOOD_CREDENTIALS.Token);
      assert.equal(low.source, "instance-metadata");

      const high = await fromInstanceMetadata({ env, now: () => later, random: () => 0.9999999, logger }).resolve();
      assert.equal(high.expiration?.getTime(), later + 10 * 60_000 - 1);

      // Exactly at expiry counts as expired.
      const atExpiry = await fromInstanceMetadata({ env, now: () => expiry, random: () => 0.5, logger }).resolve();
      assert.equal(atExpiry.expiration?.getTime(), expiry + 7.5 * 60_000);

      assert.equal(warnings.length, 3);
      assert.equal(
        warnings[0],
        "instance-metadata: the credentials IMDS returned expired at 2030-01-01T06:00:00.000Z; using them until " +
          "2030-01-01T07:05:00.000Z (static stability during a metadata service issue) and asking IMDS again then",
      );
      for (const warning of warnings) assertNoSecrets(warning);

      // Still valid: untouched, no warning.
      const fresh = await fromInstanceMetadata({ env, now: () => expiry - 1, random: () => 0, logger }).resolve();
      assert.equal(fresh.expiration?.getTime(), expiry);
      assert.equal(warnings.length, 3);
    });
  });

  it("stops when the caller aborts", async () => {
    await withImds({ getFaults: ["hang"] }, async (imds) => {
      const provider = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, timeoutMs: 5000 });
      const controller = new AbortController();
      const pending = provider.resolve({ signal: controller.signal });
      await until(() => imds.calls().length === 2);
      controller.abort(new Error("caller gave up"));
      const error = await rejection(pending);
      assert.equal(error.message, "caller gave up");
      assert.deepEqual(imds.calls(), [PUT_TOKEN, LIST]);
    });
  });
});
