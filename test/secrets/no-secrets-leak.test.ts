// No secret leaves the SDK through its own output. Every scenario runs with the wire log at
// its most talkative (consoleLogger at debug, logHttp with bodies) and keeps every log line
// and every thrown error (message, stack, util.inspect, JSON); at the end the scanner looks
// for the secret keys, the session tokens and every signature that was actually sent.
//
//   S3 against s3rver with session credentials: bucket, put, get, list, a NoSuchKey
//   a presigned GetObject URL (client.presign: inspected, logged through redactUrl, fetched)
//   a ServiceError from a fake: S3's 403 SignatureDoesNotMatch, which echoes the canonical
//     request (and so the session token) and the signature
//   a ValidationError whose bad value is the secret
//   a retried 503 (DynamoDB, then 200)
//   credential_process printing malformed JSON that contains its secret, and one failing
//     after printing it on stdout (temp AWS_CONFIG_FILE, never the real ~/.aws)
//   STS AssumeRole through the STS client (the answer's Credentials in a logged body), a
//     role profile whose credentials sign a DynamoDB call, and an STS refusal echoing a token
//
// The scanner must be able to fail: the first test shows it finds a leaked slice, and the
// last checks the secrets really were on the wire (signatures recorded, token sent).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import {
  consoleLogger,
  createNodeHttpHandler,
  createRetryStrategy,
  redactUrl,
  type ClientConfig,
  type HttpHandler,
} from "@stratus/core";
import { DynamoDB } from "../../packages/dynamodb/src/index.ts";
import { S3 } from "../../packages/s3/src/index.ts";
import { STS } from "../../packages/sts/src/index.ts";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { startFakeSts, type FakeSts, type StsCall, type StsReply } from "../../packages/core/test/support/fake-sts.ts";
import { sendJson, startLoopbackServer, type LoopbackServer } from "../../packages/core/test/support/loopback-server.ts";
import { tempHome, type TempHome } from "../../packages/core/test/support/temp-home.ts";
import { findSecrets, textsOfError } from "../support/secret-scanner.ts";

/** Random secrets, so no fixed string elsewhere can match them by accident. */
const secret = (prefix: string): string => `${prefix}${randomBytes(24).toString("base64url")}`;
const SECRET_KEY = secret("sk");
const SESSION_TOKEN = secret("tok") + secret("");
const ASSUMED_SECRET = secret("assumed-sk");
const ASSUMED_TOKEN = secret("assumed-tok");
const PROCESS_SECRET = secret("proc-sk");
const PROFILE_SECRET = secret("profile-sk");
const PROFILE_TOKEN = secret("profile-tok");

/** s3rver checks the access key id only; the secret and token are ours. */
const SESSION_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN };

/** Everything the SDK said: log lines and the text of every error it threw. */
const texts: string[] = [];
/** Every signature that went out: Authorization headers and presigned URLs, ours and the providers'. */
const signatures: string[] = [];
/** Requests that carried the session token, to prove the secrets were really in play. */
let tokenSent = 0;

const logger = consoleLogger({ level: "debug", write: (line) => texts.push(line) });

/** The default transport, recording each signature before the request goes. */
function recordingHandler(): HttpHandler {
  const inner = createNodeHttpHandler();
  return {
    handle(request, options) {
      const signature = /Signature=([0-9a-f]{64})/.exec(request.headers["authorization"] ?? "")?.[1] ??
        request.query.find(([name]) => name === "X-Amz-Signature")?.[1];
      if (signature !== undefined) signatures.push(signature);
      if (Object.values(request.headers).some((value) => value.includes(SESSION_TOKEN))) tokenSent++;
      return inner.handle(request, options);
    },
    destroy: () => inner.destroy?.() ?? Promise.resolve(),
  };
}

const handler = recordingHandler();

function config(extra: ClientConfig): ClientConfig {
  return { region: "us-east-1", env: {}, logger, logHttp: { bodies: true }, http: { handler }, maxAttempts: 3, ...extra };
}

/** Runs a call that must fail, keeping what its error shows. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    texts.push(...textsOfError(error));
    return error;
  }
  return assert.fail("the call was expected to fail");
}

/** Keeps what a successful result shows, for the scan. */
function keep(result: unknown): void {
  texts.push(inspect(result, { depth: 8, showHidden: true }));
}

describe("no secret in logs or errors", () => {
  let s3rver: RunningServer;
  let fake: LoopbackServer;
  let sts: FakeSts;
  let home: TempHome;
  let stsReply: (call: StsCall) => StsReply = () => ({ error: { code: "Unset", message: "no reply set" } });

  before(async () => {
    s3rver = await startS3rver();
    fake = await startLoopbackServer((req, res) => {
      if (req.url.startsWith("/s3-denied/")) {
        // What real S3 says to a bad signature: the canonical request (with the token it
        // signed) and the signature it got.
        res.writeHead(403, { "content-type": "application/xml", "x-amz-request-id": "denied-1" });
        const provided = /Signature=([0-9a-f]{64})/.exec(String(req.headers.authorization))?.[1] ?? "";
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code>` +
            `<Message>The request signature we calculated does not match the signature you provided.</Message>` +
            `<AWSAccessKeyId>S3RVER</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n20300101T000000Z</StringToSign>` +
            `<SignatureProvided>${provided}</SignatureProvided>` +
            `<CanonicalRequest>GET\n/s3-denied/k\n\nhost:127.0.0.1\nx-amz-security-token:${String(req.headers["x-amz-security-token"])}\n</CanonicalRequest>` +
            `<RequestId>denied-1</RequestId></Error>`,
        );
        return;
      }
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target.endsWith("GetItem") && fake.requests.filter((r) => r.headers["x-amz-target"] === target).length === 1) {
        res.writeHead(503, { "content-type": "text/html" });
        res.end("<html>Service Unavailable</html>");
        return;
      }
      sendJson(res, { Item: { id: { S: "1" } } });
    });
    sts = await startFakeSts((call) => stsReply(call));
    home = tempHome();
  });
  after(async () => {
    await handler.destroy?.();
    await s3rver.close();
    await fake.close();
    await sts.close();
    home.remove();
  });

  it("the scanner finds a leaked slice of a secret (it can fail)", () => {
    const leaked = [`debug: x-amz-security-token=${SESSION_TOKEN.slice(7, 27)}`, inspect(new Error(`bad key ${SECRET_KEY}`))];
    const findings = findSecrets(leaked, [SESSION_TOKEN, SECRET_KEY]);
    assert.equal(findings.length, 2);
    assert.deepEqual(findSecrets(["nothing to see", "AWS4-HMAC-SHA256 Credential=<redacted>"], [SESSION_TOKEN, SECRET_KEY]), []);
  });

  it("S3 against s3rver with session credentials: put, get, list and a NoSuchKey", async () => {
    const s3 = new S3(config({ endpoint: s3rver.endpoint, credentials: SESSION_CREDENTIALS, endpointParams: { ForcePathStyle: true }, requestChecksumCalculation: "when_required" }));
    keep(await s3.createBucket({ Bucket: "secrets" }));
    keep(await s3.putObject({ Bucket: "secrets", Key: "a.json", Body: JSON.stringify({ note: "hello" }), ContentType: "application/json" }));
    const got = await s3.getObject({ Bucket: "secrets", Key: "a.json" });
    assert.equal(await got.Body?.text(), '{"note":"hello"}');
    keep(got.$metadata);
    keep(await s3.listObjectsV2({ Bucket: "secrets" }));
    await failure(() => s3.getObject({ Bucket: "secrets", Key: "missing" }));
  });

  it("a presigned GetObject URL: its inspect output and the URL logged through redactUrl show no secret; it works", async () => {
    const s3 = new S3(config({ endpoint: s3rver.endpoint, credentials: SESSION_CREDENTIALS, endpointParams: { ForcePathStyle: true } }));
    const presigned = await s3.presign("GetObject", { Bucket: "secrets", Key: "a.json" }, { expiresIn: 300 });
    const signature = new URL(presigned.url).searchParams.get("X-Amz-Signature") ?? "";
    assert.match(signature, /^[0-9a-f]{64}$/);
    assert.ok(presigned.url.includes(encodeURIComponent(SESSION_TOKEN)), "the URL itself carries the token (the test can fail)");
    signatures.push(signature);
    keep(presigned);
    logger.debug?.("presigned", { url: redactUrl(presigned.url), headers: presigned.headers });
    const response = await fetch(presigned.url, { method: presigned.method, headers: presigned.headers });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"note":"hello"}');
  });

  it("a 403 SignatureDoesNotMatch that echoes the canonical request and the signature", async () => {
    const s3 = new S3(config({ endpoint: fake.url, credentials: SESSION_CREDENTIALS, endpointParams: { ForcePathStyle: true } }));
    const error = await failure(() => s3.getObject({ Bucket: "s3-denied", Key: "k" }));
    assert.equal((error as { code?: string }).code, "SignatureDoesNotMatch");
  });

  it("a ValidationError whose bad value is the secret", async () => {
    const s3 = new S3(config({ endpoint: fake.url, credentials: SESSION_CREDENTIALS }));
    await failure(() => s3.putObject({ Bucket: "b", Key: { secret: SECRET_KEY } as unknown as string, SSECustomerKey: 42 as unknown as string }));
  });

  it("a 503 retried, then the answer", async () => {
    const retryStrategy = createRetryStrategy({ mode: "standard", maxAttempts: 3 }, { backoff: { baseMs: 5, maxMs: 10 } });
    const dynamodb = new DynamoDB(config({ endpoint: fake.url, credentials: SESSION_CREDENTIALS, retryStrategy }));
    const out = await dynamodb.getItem({ TableName: "t", Key: { id: { S: "1" } } });
    assert.equal(out.$metadata.attempts, 2);
    keep(out);
  });

  it("credential_process printing malformed JSON with its secret, and failing after printing it", async () => {
    const node = process.execPath;
    const malformed = home.write("bin/malformed.mjs", `process.stdout.write('{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "${PROCESS_SECRET}", ');\n`);
    // Its stdout is the secret, so it is never quoted, even when the helper then fails.
    const failing = home.write("bin/failing.mjs", `process.stdout.write('{"SecretAccessKey": "${PROCESS_SECRET}"}');\nprocess.stderr.write('session expired');\nprocess.exit(2);\n`);
    const configFile = home.write(
      "aws/config",
      `[profile malformed]\ncredential_process = ${node} ${malformed}\n\n[profile failing]\ncredential_process = ${node} ${failing}\n`,
    );
    const env = { HOME: home.dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/none`, AWS_EC2_METADATA_DISABLED: "true" };
    for (const profile of ["malformed", "failing"]) {
      const dynamodb = new DynamoDB(config({ endpoint: fake.url, env, profile }));
      await failure(() => dynamodb.getItem({ TableName: "t", Key: { id: { S: "1" } } }));
    }
  });

  it("STS: AssumeRole through the client, a role profile signing a call, and a refusal that echoes a token", async () => {
    stsReply = (call) => {
      if (call.params["RoleArn"]?.endsWith("/denied")) {
        return { error: { code: "InvalidClientTokenId", message: `The security token ${PROFILE_TOKEN} is invalid`, status: 403 } };
      }
      return { credentials: { accessKeyId: "ASIAASSUMED", secretAccessKey: ASSUMED_SECRET, sessionToken: ASSUMED_TOKEN, expiration: new Date(Date.now() + 3_600_000) } };
    };
    const client = new STS(config({ endpoint: sts.url, credentials: SESSION_CREDENTIALS }));
    const assumed = await client.assumeRole({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "secrets-test" });
    assert.equal(assumed.Credentials?.SecretAccessKey, ASSUMED_SECRET, "the answer carried the secret (the test can fail)");
    keep(assumed.$metadata);

    const configFile = home.write(
      "aws/roles",
      `[profile base]\naws_access_key_id = ASIABASE\naws_secret_access_key = ${PROFILE_SECRET}\naws_session_token = ${PROFILE_TOKEN}\n\n` +
        `[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n\n` +
        `[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = base\n`,
    );
    const env = { HOME: home.dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/none`, AWS_EC2_METADATA_DISABLED: "true", ...sts.env };
    const viaRole = new DynamoDB(config({ endpoint: fake.url, env, profile: "role" }));
    keep(await viaRole.getItem({ TableName: "t2", Key: { id: { S: "1" } } }));
    const denied = new DynamoDB(config({ endpoint: fake.url, env, profile: "denied" }));
    await failure(() => denied.getItem({ TableName: "t3", Key: { id: { S: "1" } } }));
    for (const call of sts.calls) if (call.authorization) signatures.push(call.authorization.signature);
  });

  it("none of the secrets, tokens or signatures appears anywhere", () => {
    // The secrets were really in play: signed requests went out, the token with them, and
    // the log saw every one of them.
    assert.ok(signatures.length >= 12, `${signatures.length} signatures recorded`);
    assert.ok(tokenSent >= 8, `${tokenSent} requests carried the session token`);
    assert.ok(texts.filter((t) => / request \{/.test(t)).length >= 10, "the wire log was on");
    assert.ok(texts.some((t) => t.includes("<Credentials><redacted></Credentials>")), "the AssumeRole body was logged, redacted");

    const findings = findSecrets(texts, [
      SECRET_KEY, SESSION_TOKEN, ASSUMED_SECRET, ASSUMED_TOKEN, PROCESS_SECRET, PROFILE_SECRET, PROFILE_TOKEN, ...signatures,
    ]);
    assert.deepEqual(findings, [], `${findings.length} leaks:\n${findings.map((f) => `${f.secret} in ${f.where}`).join("\n")}`);
  });
});
