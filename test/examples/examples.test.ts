// Every example in examples/ runs as a reader would run it (a child process, Node 24, its
// endpoint and keys from the environment) against a local peer this test starts on
// loopback: s3rver, dynalite, local-aws-sqs, and the small fakes where no peer exists (STS,
// Bedrock's event stream, Lambda). Each test checks what the example prints, and what the
// peer saw where the output alone could not tell.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFakeSts, type FakeSts, type StsCall, type StsReply } from "../../packages/core/test/support/fake-sts.ts";
import { S3 } from "../../packages/s3/src/index.ts";
import { SQS } from "../../packages/sqs/src/index.ts";
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS, startDynalite, startS3rver, startSqs, type RunningServer } from "../../scripts/local-servers.ts";
import { closeFakeBedrock, startFakeBedrock, type FakeBedrock } from "../support/fake-bedrock.ts";
import { startFakeLambda, type FakeLambda } from "../support/fake-lambda.ts";
import { runExample, startExample } from "./run-example.ts";

const LOCAL_KEYS = { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey };
const S3RVER_KEYS = { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey };
// s3rver keeps aws-chunked framing undecoded: checksums only where S3 requires them.
const S3RVER_CHECKSUMS = { AWS_REQUEST_CHECKSUM_CALCULATION: "when_required" };

describe("examples/ against local peers", { concurrency: true }, () => {
  let s3rver: RunningServer;
  let dynalite: RunningServer;
  let sqsServer: RunningServer;
  let bedrock: FakeBedrock;
  let lambda: FakeLambda;

  before(async () => {
    [s3rver, dynalite, sqsServer, bedrock, lambda] = await Promise.all([startS3rver(), startDynalite(), startSqs(), startFakeBedrock(), startFakeLambda()]);
  });
  after(async () => {
    await Promise.all([s3rver?.close(), dynalite?.close(), sqsServer?.close(), bedrock && closeFakeBedrock(bedrock), lambda?.close()]);
  });

  it("s3-upload-download: a streamed upload with a progress bar, a download into a file", async () => {
    const env = { ...S3RVER_KEYS, ...S3RVER_CHECKSUMS, AWS_ENDPOINT_URL_S3: s3rver.endpoint, STRATUS_EXAMPLE_BUCKET: "example-transfer" };
    const { code, stdout, stderr } = await runExample("s3-upload-download.ts", env, ["12"]);
    assert.equal(code, 0, stderr);
    // Not a terminal: one line per part while the size is unknown, then per tenth.
    assert.match(stdout, /^upload {3}\[-{30}\] {3}\?% {2}\d+\.\d\/\? MiB$/m);
    assert.match(stdout, /^upload {3}\[#{30}\] 100% {2}12\.0\/12\.0 MiB$/m);
    assert.match(stdout, /^uploaded s3:\/\/example-transfer\/examples\/random\.bin in 3 parts$/m);
    assert.match(stdout, /^download \[#{30}\] 100% {2}12\.0\/12\.0 MiB$/m);
    assert.match(stdout, /^downloaded 12582912 bytes to .*random\.bin: identical to what was uploaded$/m);
    // It ran against this s3rver, and cleaned up after itself.
    await using s3 = new S3({ region: "us-east-1", endpoint: s3rver.endpoint, credentials: S3RVER_CREDENTIALS, env: {} });
    const listed = await s3.listObjectsV2({ Bucket: "example-transfer" });
    assert.equal(listed.KeyCount, 0);
  });

  it("dynamodb-document-crud: the document layer's CRUD, guarded by condition expressions", async () => {
    const { code, stdout, stderr } = await runExample("dynamodb-document-crud.ts", { ...LOCAL_KEYS, AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint });
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      [
        "put user#ada",
        "put user#ada again: ConditionalCheckFailedException (the condition kept the first one)",
        "get user#ada: Ada, plan free, version 1, tags engines,math",
        "update user#ada: plan pro, version 2",
        "update with a stale version: ConditionalCheckFailedException",
        "query orders of user#ada: order#1=25, order#2=140, order#3=60",
        "query orders of 50 or more: order#2, order#3",
        "delete user#ada: gone",
        "",
      ].join("\n"),
    );
  });

  it("sqs-worker: long polling, and SIGINT stops it cleanly (exit 0) without waiting out the poll", async () => {
    // Batches of one: local-aws-sqs answers a long poll only once it can fill the batch (or
    // the 20 seconds are up), where SQS answers as soon as there is a message.
    const env = { ...LOCAL_KEYS, AWS_ENDPOINT_URL_SQS: sqsServer.endpoint, STRATUS_EXAMPLE_QUEUE: "example-jobs", STRATUS_EXAMPLE_BATCH: "1" };
    const worker = startExample("sqs-worker.ts", env);
    const ready = await worker.waitFor(/^waiting for messages on (\S+)$/m);
    const QueueUrl = /^waiting for messages on (\S+)$/m.exec(ready)?.[1] ?? "";
    await using sqs = new SQS({ region: "us-east-1", endpoint: sqsServer.endpoint, credentials: LOCAL_CREDENTIALS, env: {} });
    for (const job of [1, 2, 3]) await sqs.sendMessage({ QueueUrl, MessageBody: JSON.stringify({ job }) });
    await worker.waitFor(/(^processed .*$\n?){3}/m);

    worker.kill("SIGINT");
    await worker.waitFor(/^SIGINT: stopping/m);
    // Sent once the worker stopped: had its 20-second poll not been aborted, that poll
    // would take this message and the worker would process a fourth one.
    await sqs.sendMessage({ QueueUrl, MessageBody: JSON.stringify({ job: "after the stop" }) });
    const { code, signal, stdout, stderr } = await worker.exit;
    assert.equal(code, 0, stderr);
    assert.equal(signal, null);
    const processed = stdout.match(/^processed \S+: (.*)$/gm)?.map((line) => line.replace(/^processed \S+: /, ""));
    assert.deepEqual(processed, ['{"job":1}', '{"job":2}', '{"job":3}']);
    assert.match(stdout, /^stopped after 3 message\(s\)$/m);
  });

  it("sts-assume-role: a session of the role's credentials, shared by an STS and an S3 client", async (t) => {
    const source = { AWS_ACCESS_KEY_ID: "AKIDSOURCEEXAMPLE", AWS_SECRET_ACCESS_KEY: "source-secret-never-printed" };
    const roleArn = "arn:aws:iam::123456789012:role/example-reader";
    const assumedArn = "arn:aws:sts::123456789012:assumed-role/example-reader/stratus-example";
    // s3rver takes one access key id: the role's credentials must be the ones S3 is called with.
    const roleKeys = { accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: "role-secret-never-printed", sessionToken: "role-token-never-printed" };
    const sts: FakeSts = await startFakeSts((call: StsCall): StsReply => {
      if (call.action === "AssumeRole") return { credentials: { ...roleKeys, expiration: new Date(Date.now() + 3_600_000) }, assumedRoleArn: assumedArn };
      const arn = call.authorization?.accessKeyId === roleKeys.accessKeyId ? assumedArn : "arn:aws:iam::123456789012:user/source-user";
      return { raw: { status: 200, body: callerIdentityXml(arn) } };
    });
    t.after(() => sts.close());

    const env = { ...source, ...S3RVER_CHECKSUMS, AWS_ENDPOINT_URL_STS: sts.url, AWS_ENDPOINT_URL_S3: s3rver.endpoint, STRATUS_EXAMPLE_ROLE_ARN: roleArn, STRATUS_EXAMPLE_BUCKET: "example-role" };
    const { code, stdout, stderr } = await runExample("sts-assume-role.ts", env);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.equal(lines[0], "calling as arn:aws:iam::123456789012:user/source-user");
    assert.match(lines[1] ?? "", new RegExp(`^assumed ${assumedArn}, until \\d{4}-\\d\\d-\\d\\dT`));
    assert.equal(lines[2], `then as ${assumedArn}`);
    assert.equal(lines[3], 's3://example-role/assumed.txt as the role: "written as the role"');
    assert.equal(lines.length, 4, "one AssumeRole for both clients");

    assert.deepEqual(sts.calls.map((c) => [c.action, c.authorization?.accessKeyId]), [
      ["GetCallerIdentity", source.AWS_ACCESS_KEY_ID],
      ["AssumeRole", source.AWS_ACCESS_KEY_ID],
      ["GetCallerIdentity", roleKeys.accessKeyId],
    ]);
    assert.equal(sts.calls[1]?.params["RoleArn"], roleArn);
    assert.equal(sts.calls[1]?.params["RoleSessionName"], "stratus-example");
    assert.equal(sts.calls[2]?.headers["x-amz-security-token"], roleKeys.sessionToken);
    for (const secret of [source.AWS_SECRET_ACCESS_KEY, roleKeys.secretAccessKey, roleKeys.sessionToken]) {
      assert.ok(!stdout.includes(secret) && !stderr.includes(secret), "no secret in the output");
    }
  });

  it("bedrock-converse-stream: text as it streams, then the stop reason and usage", async () => {
    const env = { ...LOCAL_KEYS, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint };
    const { code, stdout, stderr } = await runExample("bedrock-converse-stream.ts", env, ["Say hello", "conversation"]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "Hello, world\n[stop: end_turn]\n[tokens: 12 in, 3 out; 321 ms]\n");
    const request = bedrock.requests.find((r) => r.url === "/model/conversation/converse-stream");
    assert.deepEqual(JSON.parse(request?.body ?? "{}"), { messages: [{ role: "user", content: [{ text: "Say hello" }] }], inferenceConfig: { maxTokens: 256 } });

    const failed = await runExample("bedrock-converse-stream.ts", env, ["Say hello", "fails-midway"]);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, "Hel");
    assert.equal(failed.stderr, "\nthe model stopped mid-answer: the model stopped\n");
  });

  it("lambda-invoke: a result with its log tail, an event, a function error, a missing function", async () => {
    const { code, stdout, stderr } = await runExample("lambda-invoke.ts", { ...LOCAL_KEYS, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.deepEqual(lines, [
      'greet({ name: "Ada" }) → {"greeting":"Hello, Ada!"} (status 200, version $LATEST)',
      lines[1], // checked below: carries the fake's request id
      "greet as an event → status 202",
      "greet({}) → function error Unhandled: name is required",
      "no-such-function → ResourceNotFoundException (HTTP 404)",
    ]);
    assert.match(lines[1] ?? "", /^log tail: START RequestId: \S+ Version: \$LATEST \| INFO greeting Ada \| END RequestId: \S+$/);
    assert.deepEqual(
      lambda.invocations.map((i) => [i.type, i.payload]),
      [["RequestResponse", '{"name":"Ada"}'], ["Event", '{"name":"Grace"}'], ["RequestResponse", "{}"]],
    );
  });
});

function callerIdentityXml(arn: string): string {
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>fake-identity</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;
}
