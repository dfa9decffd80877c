/**
 * The container credentials provider against a loopback fake agent. The RELATIVE_URI form
 * is pointed at the fake through the `relativeUriBase` test hook; FULL_URI tests use the
 * fake's real loopback URL. Host rules that would need a non-loopback address are checked
 * through `isAllowedFullUri` and through URLs that are refused before any request is made.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { inspect } from "node:util";
import { CredentialsError, CredentialsNotFound } from "../../src/errors/index.ts";
import { fromContainerEndpoint as fromContainer, isAllowedFullUri, type ContainerEndpointOptions } from "../../src/credentials/providers/container.ts";
import { sendJson, startLoopbackServer, type LoopbackServer } from "../support/loopback-server.ts";

/**
 * The provider under test, with a 5 s deadline where the test sets none: the 1 s default is
 * a budget for a real task agent, and a success path here must not fail because the suite
 * shares a busy machine. Tests about deadlines set their own.
 */
function fromContainerEndpoint(options: ContainerEndpointOptions): ReturnType<typeof fromContainer> {
  return fromContainer(options.timeoutMs === undefined ? { ...options, timeoutMs: 5000 } : options);
}

const SECRET_KEY = "SECRETKEY-container-4f1c2e";
const SESSION_TOKEN = "SESSIONTOKEN-container-9a8b7c";
const AUTH_TOKEN = "AUTHTOKEN-container-77aa11";
const SECRETS = [SECRET_KEY, SESSION_TOKEN, AUTH_TOKEN];

const GOOD = {
  AccessKeyId: "ASIACONTAINER",
  SecretAccessKey: SECRET_KEY,
  Token: SESSION_TOKEN,
  Expiration: "2030-01-02T03:04:05Z",
  AccountId: "123456789012",
};

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

describe("fromContainerEndpoint", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "stratus-container-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is not found when neither variable is set, without any request", async () => {
    const provider = fromContainerEndpoint({ env: { AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN } });
    const error = await rejection(provider.resolve());
    assert.ok(error instanceof CredentialsNotFound);
    assert.equal(error.provider, "container-endpoint");
    assert.match(error.message, /AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.*AWS_CONTAINER_CREDENTIALS_FULL_URI/);
    assert.equal(provider.name, "container-endpoint");
  });

  it("resolves RELATIVE_URI against the agent base and reads every field", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, GOOD));
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc-123?x=1" },
        relativeUriBase: server.url,
      });
      const creds = await provider.resolve();
      assert.equal(creds.accessKeyId, "ASIACONTAINER");
      assert.equal(creds.secretAccessKey, SECRET_KEY);
      assert.equal(creds.sessionToken, SESSION_TOKEN);
      assert.equal(creds.expiration?.toISOString(), "2030-01-02T03:04:05.000Z");
      assert.equal(creds.accountId, "123456789012");
      assert.equal(creds.source, "container-endpoint");
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.method, "GET");
      assert.equal(server.requests[0]!.url, "/v2/credentials/abc-123?x=1");
      assert.equal(server.requests[0]!.headers["authorization"], undefined);
      assertNoSecrets(creds);
    } finally {
      await server.close();
    }
  });

  it("keeps a RELATIVE_URI on the agent host even when it does not start with a slash", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, GOOD));
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "@evil.example/creds" },
        relativeUriBase: server.url,
      });
      await provider.resolve();
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.url, "/@evil.example/creds");
    } finally {
      await server.close();
    }
  });

  it("prefers RELATIVE_URI over FULL_URI", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, GOOD));
    try {
      const provider = fromContainerEndpoint({
        env: {
          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/relative",
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/full`,
        },
        relativeUriBase: server.url,
      });
      await provider.resolve();
      assert.deepEqual(server.requests.map((r) => r.url), ["/relative"]);
    } finally {
      await server.close();
    }
  });

  it("sends AWS_CONTAINER_AUTHORIZATION_TOKEN to a loopback FULL_URI", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, { ...GOOD, AccountId: undefined }));
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/get-credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN },
      });
      const creds = await provider.resolve();
      assert.equal(creds.accountId, undefined);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.url, "/get-credentials");
      assert.equal(server.requests[0]!.headers["authorization"], AUTH_TOKEN);
      assert.equal(server.requests[0]!.headers["accept"], "application/json");
    } finally {
      await server.close();
    }
  });

  it("accepts localhost as a FULL_URI host", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, GOOD));
    try {
      const provider = fromContainerEndpoint({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://localhost:${server.port}/c` } });
      // localhost may resolve to ::1 first where nothing listens; what matters is that the
      // URL passes the host rule, so either it answers or it fails for network reasons.
      try {
        await provider.resolve();
        assert.equal(server.requests.length, 1);
      } catch (error) {
        assert.doesNotMatch((error as Error).message, /only https URLs/);
      }
    } finally {
      await server.close();
    }
  });

  it("re-reads the token file on every resolve and prefers it to the variable", async () => {
    const file = join(dir, "token-rotating");
    writeFileSync(file, "file-token-one");
    const server = await startLoopbackServer((_req, res) => sendJson(res, GOOD));
    try {
      const provider = fromContainerEndpoint({
        env: {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN,
        },
      });
      await provider.resolve();
      writeFileSync(file, "file-token-two");
      await provider.resolve();
      assert.deepEqual(server.requests.map((r) => r.headers["authorization"]), ["file-token-one", "file-token-two"]);
    } finally {
      await server.close();
    }
  });

  it("refuses a token with CR or LF before sending anything", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, GOOD));
    try {
      for (const bad of [`${AUTH_TOKEN}\n`, `${AUTH_TOKEN}\r\nX-Injected: 1`]) {
        const fromVar = fromContainerEndpoint({
          env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c`, AWS_CONTAINER_AUTHORIZATION_TOKEN: bad },
        });
        const error = await rejection(fromVar.resolve());
        assert.ok(error instanceof CredentialsError);
        assert.match(error.message, /AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break/);
        assertNoSecrets(error);

        const file = join(dir, "token-bad");
        writeFileSync(file, bad);
        const fromFile = fromContainerEndpoint({
          env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file },
        });
        const fileError = await rejection(fromFile.resolve());
        assert.ok(fileError instanceof CredentialsError);
        assert.match(fileError.message, /AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE .* contains a line break/);
        assertNoSecrets(fileError);
      }
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  it("fails when the token file cannot be read", async () => {
    const provider = fromContainerEndpoint({
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:9/c", AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, "absent") },
    });
    const error = await rejection(provider.resolve());
    assert.ok(error instanceof CredentialsError);
    assert.match(error.message, /cannot read the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE .*absent.* \(ENOENT\)/);
  });

  it("refuses FULL_URI hosts outside the rule, naming the rule", async () => {
    for (const uri of ["http://169.254.169.254/creds", "http://example.com/creds", "http://10.0.0.1/c", "ftp://127.0.0.1/c", "http://[fd00:ec2::254]/c"]) {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN },
      });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError, uri);
      assert.match(
        error.message,
        /only https URLs, or http URLs to a loopback address \(127\.0\.0\.0\/8, ::1, localhost\) or to 169\.254\.170\.2, 169\.254\.170\.23 or fd00:ec2::23, are allowed/,
      );
      assertNoSecrets(error);
    }
    const invalid = await rejection(fromContainerEndpoint({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: "not a url" } }).resolve());
    assert.ok(invalid instanceof CredentialsError);
    assert.match(invalid.message, /AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL/);
  });

  it("applies the host rule exactly", () => {
    const allowed = [
      "https://example.com/c", "https://169.254.169.254/c", "http://127.0.0.1:8080/c", "http://127.1.2.3/c", "http://127.1/c",
      "http://[::1]/c", "http://[0:0:0:0:0:0:0:1]/c", "http://localhost/c", "http://169.254.170.2/v2/c",
      "http://169.254.170.23/v1/c", "http://[fd00:ec2::23]/c", "http://[fd00:ec2:0::23]/c",
    ];
    const refused = [
      "http://example.com/c", "http://128.0.0.1/c", "http://169.254.170.3/c", "http://169.254.169.254/c",
      "http://[fd00:ec2::254]/c", "http://localhost.example.com/c", "http://127.0.0.1.example.com/c", "file:///etc/passwd",
    ];
    for (const uri of allowed) assert.equal(isAllowedFullUri(new URL(uri)), true, uri);
    for (const uri of refused) assert.equal(isAllowedFullUri(new URL(uri)), false, uri);
  });

  it("retries 5xx answers and then succeeds", async () => {
    const statuses = [500, 503];
    const server = await startLoopbackServer((_req, res) => {
      const status = statuses.shift();
      if (status) sendJson(res, { message: "busy" }, status);
      else sendJson(res, GOOD);
    });
    try {
      const provider = fromContainerEndpoint({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c` }, retryDelayMs: 5 });
      const creds = await provider.resolve();
      assert.equal(creds.accessKeyId, "ASIACONTAINER");
      assert.equal(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  it("gives up after maxAttempts 5xx answers", async () => {
    const server = await startLoopbackServer((_req, res) => sendJson(res, { code: "ServiceUnavailable", message: `echo ${AUTH_TOKEN}` }, 503));
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c`, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN },
        retryDelayMs: 5,
        maxAttempts: 2,
      });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `container-endpoint: ${server.url}/c still failing after 2 attempts: HTTP 503 ServiceUnavailable "echo <redacted>"`);
      assert.equal(server.requests.length, 2);
      assertNoSecrets(error);
    } finally {
      await server.close();
    }
  });

  it("does not retry a 4xx and reports it without echoing secrets", async () => {
    const server = await startLoopbackServer((_req, res) =>
      sendJson(res, { code: "AccessDenied", message: `bad token ${AUTH_TOKEN} for ${SECRET_KEY}` }, 403));
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c?q=hidden`, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN },
        retryDelayMs: 5,
      });
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(
        error.message,
        `container-endpoint: ${server.url}/c refused the request: HTTP 403 AccessDenied "bad token <redacted> for <redacted>"`,
      );
      assert.equal(server.requests.length, 1);
      assertNoSecrets(error);
    } finally {
      await server.close();
    }
  });

  it("blots out the token it sent even when it does not look like a token", async () => {
    const weak = "letmein";
    const server = await startLoopbackServer((_req, res) => sendJson(res, { code: "Denied", message: `token ${weak} is wrong` }, 401));
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c`, AWS_CONTAINER_AUTHORIZATION_TOKEN: weak },
      });
      const error = await rejection(provider.resolve());
      assert.match(error.message, /refused the request: HTTP 401 Denied "token <redacted> is wrong"$/);
      assert.ok(!inspect(error).includes(weak));
    } finally {
      await server.close();
    }
  });

  it("never quotes a body that is not JSON", async () => {
    const server = await startLoopbackServer((_req, res) => {
      res.writeHead(401, { "content-type": "text/plain" });
      res.end(`token ${AUTH_TOKEN} is wrong`);
    });
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c`, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH_TOKEN },
      });
      const error = await rejection(provider.resolve());
      assert.match(error.message, /refused the request: HTTP 401$/);
      assertNoSecrets(error);
    } finally {
      await server.close();
    }
  });

  it("times out each attempt and reports the attempts", async () => {
    const server = await startLoopbackServer(() => {
      /* never answers */
    });
    try {
      const provider = fromContainerEndpoint({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c` },
        timeoutMs: 100,
        maxAttempts: 2,
        retryDelayMs: 5,
      });
      const started = Date.now();
      const error = await rejection(provider.resolve());
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `container-endpoint: no answer from ${server.url}/c after 2 attempts: no answer within 100 ms`);
      assert.equal(server.requests.length, 2);
      assert.ok(Date.now() - started >= 200);
    } finally {
      await server.close();
    }
  });

  it("retries connection failures", async () => {
    const server = await startLoopbackServer(() => {});
    const url = server.url;
    await server.close();
    const provider = fromContainerEndpoint({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/c` }, retryDelayMs: 5 });
    const error = await rejection(provider.resolve());
    assert.ok(error instanceof CredentialsError);
    assert.match(error.message, /after 3 attempts: request failed \(ECONNREFUSED\)/);
  });

  it("rejects answers that are not JSON or lack fields, without leaking them", async () => {
    const bodies: [string, RegExp][] = [
      [`{"SecretAccessKey": "${SECRET_KEY}", broken`, /answered with a body that is not JSON/],
      [JSON.stringify({ ...GOOD, Token: undefined, AccessKeyId: "" }), /credentials from .* lack AccessKeyId, Token$/],
      [JSON.stringify({ ...GOOD, Expiration: "soon" }), /credentials from .* have an Expiration that is not a date/],
    ];
    for (const [body, expected] of bodies) {
      const server = await startLoopbackServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(body);
      });
      try {
        const provider = fromContainerEndpoint({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c` } });
        const error = await rejection(provider.resolve());
        assert.ok(error instanceof CredentialsError);
        assert.match(error.message, expected);
        assert.equal(server.requests.length, 1);
        assertNoSecrets(error);
      } finally {
        await server.close();
      }
    }
  });

  it("stops when the caller aborts", async () => {
    const server = await startLoopbackServer(() => {});
    try {
      const provider = fromContainerEndpoint({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/c` }, timeoutMs: 5000 });
      const controller = new AbortController();
      const pending = provider.resolve({ signal: controller.signal });
      // Abort once the request is at the server, however busy the machine is.
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(new Error("caller gave up"));
      const error = await rejection(pending);
      assert.equal(error.message, "caller gave up");
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });
});
