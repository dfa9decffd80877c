// SQS MD5 checks (packages/sqs/src/customizations/verify-md5.ts): the digests themselves
// (MD5 against node:crypto, the attribute encoding against published vectors), every kind
// of body and attribute round-tripping through local-aws-sqs with its digests checked, and
// a loopback fake answering wrong digests for SendMessage, SendMessageBatch and
// ReceiveMessage, each refused with a MessageChecksumError.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { StratusError } from "@stratus/core";
import { MessageChecksumError, SQS } from "../../packages/sqs/src/index.ts";
import { md5, md5Hex } from "../../packages/core/src/checksums/md5.ts";
import { md5OfAttributes, md5OfBody } from "../../packages/sqs/src/customizations/message-md5.ts";
import { sendJson, startLoopbackServer, type LoopbackServer } from "../../packages/core/test/support/loopback-server.ts";
import { LOCAL_CREDENTIALS, startSqs, type RunningServer } from "../../scripts/local-servers.ts";

const nodeMd5 = (bytes: Uint8Array | string): string => createHash("md5").update(bytes).digest("hex");

describe("SQS message digests", () => {
  it("md5Hex agrees with node:crypto on every padding boundary and on random bytes", () => {
    for (let length = 0; length <= 130; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      assert.equal(md5Hex(bytes), nodeMd5(bytes), `length ${length}`);
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => md5Hex(bytes) === nodeMd5(bytes)), { numRuns: 200 });
    const big = Uint8Array.from({ length: 1024 * 1024 + 3 }, (_, i) => (i * 31) & 0xff);
    assert.equal(md5Hex(big), nodeMd5(big));
    // Where node:crypto is missing md5() answers from md5Hex; base64 is the same digest.
    assert.equal(md5(big, "base64"), createHash("md5").update(big).digest("base64"));
  });

  it("the body digest is over UTF-8; the attribute digest matches published vectors", () => {
    assert.equal(md5OfBody("héllo ☃ 😀"), nodeMd5("héllo ☃ 😀"));
    assert.equal(md5OfAttributes({ SellerName: { DataType: "String", StringValue: "Example Store" } }), "cd28f3b68aeee4b2eac9c66f2f694b58");
    // Sorted by name whatever the order given.
    assert.equal(
      md5OfAttributes({ ordinal: { DataType: "Number", StringValue: "1" }, category: { DataType: "String", StringValue: "test" } }),
      "d21ae90c49061e927f57df5f5d72be1f",
    );
    // A string blob is its UTF-8 bytes, as the serializer sends it.
    assert.equal(
      md5OfAttributes({ b: { DataType: "Binary", BinaryValue: "é" } }),
      md5OfAttributes({ b: { DataType: "Binary", BinaryValue: new TextEncoder().encode("é") } }),
    );
  });
});

describe("SQS MD5 checks against local-aws-sqs", () => {
  let server: RunningServer;
  let sqs: SQS;
  let queueUrl: string;

  before(async () => {
    server = await startSqs();
    sqs = new SQS({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, env: {} });
    queueUrl = (await sqs.createQueue({ QueueName: "stratus-md5" })).QueueUrl ?? "";
    assert.ok(queueUrl);
  });
  after(async () => {
    await sqs.destroy();
    await server.close();
  });

  const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
  const attributes = {
    text: { DataType: "String", StringValue: "plain text, with punctuation: <&>\"'" },
    amount: { DataType: "Number", StringValue: "-12.5e3" },
    blob: { DataType: "Binary", BinaryValue: everyByte },
    label: { DataType: "String.custom", StringValue: "custom type" },
    image: { DataType: "Binary.png", BinaryValue: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    count: { DataType: "Number.int", StringValue: "42" },
  };
  const trace = { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" } };

  it("sends and receives unicode bodies and attributes of every type, digests checked", async () => {
    const body = "unicode: héllo ☃ 😀 — 日本語";
    const sent = await sqs.sendMessage({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes, MessageSystemAttributes: trace });
    assert.equal(sent.MD5OfMessageBody, nodeMd5(body));
    assert.ok(sent.MD5OfMessageAttributes, "local-aws-sqs returns the attributes' digest, so it was checked");
    assert.ok(sent.MD5OfMessageSystemAttributes, "and the system attributes' digest");

    const batch = await sqs.sendMessageBatch({
      QueueUrl: queueUrl,
      Entries: [
        { Id: "first", MessageBody: "batch 1 ☃", MessageAttributes: { blob: attributes.blob } },
        { Id: "second", MessageBody: "batch 2", MessageAttributes: { amount: attributes.amount, text: attributes.text }, MessageSystemAttributes: trace },
        { Id: "third", MessageBody: "batch 3, no attributes" },
      ],
    });
    assert.deepEqual(batch.Successful.map((entry) => entry.Id).sort(), ["first", "second", "third"]);
    assert.ok(batch.Successful.every((entry) => entry.MD5OfMessageBody));

    const received: NonNullable<Awaited<ReturnType<SQS["receiveMessage"]>>["Messages"]> = [];
    while (received.length < 4) {
      const page = await sqs.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 });
      received.push(...(page.Messages ?? []));
    }
    const byBody = new Map(received.map((message) => [message.Body, message]));
    const first = byBody.get(body);
    assert.ok(first?.MD5OfMessageAttributes, "the received attributes' digest was there to check");
    assert.deepEqual(first.MessageAttributes?.["blob"]?.BinaryValue, everyByte);
    assert.equal(first.MessageAttributes?.["label"]?.StringValue, "custom type");
    assert.equal(byBody.get("batch 1 ☃")?.MessageAttributes?.["blob"]?.DataType, "Binary");
    assert.equal(byBody.get("batch 2")?.MessageAttributes?.["amount"]?.StringValue, "-12.5e3");
    // Only some attributes asked for: the digest covers the ones returned.
    await sqs.sendMessage({ QueueUrl: queueUrl, MessageBody: "filtered", MessageAttributes: attributes });
    const filtered = await sqs.receiveMessage({ QueueUrl: queueUrl, MessageAttributeNames: ["text", "blob"], WaitTimeSeconds: 1 });
    assert.deepEqual(Object.keys(filtered.Messages?.[0]?.MessageAttributes ?? {}).sort(), ["blob", "text"]);
  });

  it("refuses local-aws-sqs's digest of a non-ASCII attribute value (it counts UTF-16 units, not bytes)", async () => {
    // local-aws-sqs 2.0.2 (through aws-md5-of-message-attributes 1.0.0) writes a string's
    // length as `value.length`; SQS and every SDK write its UTF-8 byte count. Its digest is
    // therefore wrong for "café", which makes it a real server the check catches.
    const error = await sqs
      .sendMessage({ QueueUrl: queueUrl, MessageBody: "x", MessageAttributes: { word: { DataType: "String", StringValue: "café" } } })
      .then(() => assert.fail("expected a MessageChecksumError"), (thrown: unknown) => thrown);
    assert.ok(error instanceof MessageChecksumError);
    assert.equal(error.digest, "MD5OfMessageAttributes");
    assert.equal(error.computed, md5OfAttributes({ word: { DataType: "String", StringValue: "café" } }));
  });
});

describe("SQS MD5 checks against a fake that returns wrong digests", () => {
  let fake: LoopbackServer;
  let sqs: SQS;
  /** What the fake answers next, by operation (x-amz-target's suffix). */
  const answers = new Map<string, unknown>();

  before(async () => {
    fake = await startLoopbackServer((req, res) => {
      const operation = String(req.headers["x-amz-target"]).split(".")[1] ?? "";
      res.setHeader("x-amzn-requestid", "fake-request");
      sendJson(res, answers.get(operation) ?? {});
    });
    sqs = new SQS({ region: "us-east-1", endpoint: fake.url, credentials: LOCAL_CREDENTIALS, maxAttempts: 1, env: {} });
  });
  after(async () => {
    await sqs.destroy();
    await fake.close();
  });

  const WRONG = "0123456789abcdef0123456789abcdef";
  const secretBody = "a body that must not appear in an error message";
  const attributes = { kind: { DataType: "String", StringValue: "order" }, raw: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) } };
  const system = { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-abc" } };

  async function rejection(call: Promise<unknown>): Promise<MessageChecksumError> {
    const error = await call.then(() => assert.fail("expected a MessageChecksumError"), (thrown: unknown) => thrown);
    assert.ok(error instanceof MessageChecksumError, String(error));
    assert.ok(error instanceof StratusError);
    assert.ok(!error.message.includes(secretBody), "no message content in the error");
    return error;
  }

  it("SendMessage: a wrong body, attributes or system attributes digest is refused, naming the message and the digest", async () => {
    const input = { QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", MessageBody: secretBody, MessageAttributes: attributes, MessageSystemAttributes: system };
    const good = { MessageId: "m-1", MD5OfMessageBody: md5OfBody(secretBody), MD5OfMessageAttributes: md5OfAttributes(attributes), MD5OfMessageSystemAttributes: md5OfAttributes(system) };

    answers.set("SendMessage", good);
    assert.equal((await sqs.sendMessage(input)).MessageId, "m-1");
    // Upper-case hex is the same digest.
    answers.set("SendMessage", { ...good, MD5OfMessageBody: good.MD5OfMessageBody.toUpperCase() });
    await sqs.sendMessage(input);

    answers.set("SendMessage", { ...good, MD5OfMessageBody: WRONG });
    const body = await rejection(sqs.sendMessage(input));
    assert.equal(body.operation, "SendMessage");
    assert.equal(body.digest, "MD5OfMessageBody");
    assert.equal(body.messageId, "m-1");
    assert.equal(body.received, WRONG);
    assert.equal(body.computed, nodeMd5(secretBody));
    assert.match(body.message, /SendMessage: MD5OfMessageBody does not match the message sent \(message m-1\)/);

    answers.set("SendMessage", { ...good, MD5OfMessageAttributes: WRONG });
    assert.equal((await rejection(sqs.sendMessage(input))).digest, "MD5OfMessageAttributes");
    answers.set("SendMessage", { ...good, MD5OfMessageSystemAttributes: WRONG });
    assert.equal((await rejection(sqs.sendMessage(input))).digest, "MD5OfMessageSystemAttributes");
  });

  it("SendMessage: digests the response does not carry are not checked", async () => {
    answers.set("SendMessage", { MessageId: "m-2" });
    const sent = await sqs.sendMessage({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", MessageBody: "x", MessageAttributes: attributes });
    assert.equal(sent.MessageId, "m-2");
  });

  it("SendMessageBatch: each successful entry is checked against the request entry of its Id", async () => {
    const entries = [
      { Id: "a", MessageBody: "first" },
      { Id: "b", MessageBody: secretBody, MessageAttributes: attributes },
    ];
    const answer = (bWrong: Partial<Record<"MD5OfMessageBody" | "MD5OfMessageAttributes", string>>): unknown => ({
      // Answered out of order, as SQS may.
      Successful: [
        { Id: "b", MessageId: "m-b", MD5OfMessageBody: md5OfBody(secretBody), MD5OfMessageAttributes: md5OfAttributes(attributes), ...bWrong },
        { Id: "a", MessageId: "m-a", MD5OfMessageBody: md5OfBody("first") },
      ],
      Failed: [],
    });
    answers.set("SendMessageBatch", answer({}));
    assert.equal((await sqs.sendMessageBatch({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", Entries: entries })).Successful.length, 2);

    answers.set("SendMessageBatch", answer({ MD5OfMessageBody: WRONG }));
    const error = await rejection(sqs.sendMessageBatch({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", Entries: entries }));
    assert.equal(error.operation, "SendMessageBatch");
    assert.equal(error.entryId, "b");
    assert.equal(error.messageId, "m-b");
    assert.equal(error.digest, "MD5OfMessageBody");
    assert.match(error.message, /batch entry b, message m-b/);

    answers.set("SendMessageBatch", answer({ MD5OfMessageAttributes: WRONG }));
    const attributesError = await rejection(sqs.sendMessageBatch({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", Entries: entries }));
    assert.equal(attributesError.digest, "MD5OfMessageAttributes");
    assert.equal(attributesError.entryId, "b");
  });

  it("ReceiveMessage: a message whose body or attributes do not match their digest fails the call", async () => {
    const wire = { kind: { DataType: "String", StringValue: "order" }, raw: { DataType: "Binary", BinaryValue: "AQID" } };
    const good = {
      MessageId: "r-2",
      ReceiptHandle: "rh-2",
      Body: secretBody,
      MD5OfBody: md5OfBody(secretBody),
      MessageAttributes: wire,
      MD5OfMessageAttributes: md5OfAttributes(attributes),
    };
    const other = { MessageId: "r-1", ReceiptHandle: "rh-1", Body: "fine", MD5OfBody: nodeMd5("fine") };

    answers.set("ReceiveMessage", { Messages: [other, good] });
    const received = await sqs.receiveMessage({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", MessageAttributeNames: ["All"] });
    assert.deepEqual(received.Messages?.[1]?.MessageAttributes?.["raw"]?.BinaryValue, new Uint8Array([1, 2, 3]));

    answers.set("ReceiveMessage", { Messages: [other, { ...good, MD5OfBody: WRONG }] });
    const body = await rejection(sqs.receiveMessage({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q" }));
    assert.equal(body.operation, "ReceiveMessage");
    assert.equal(body.digest, "MD5OfBody");
    assert.equal(body.messageId, "r-2");
    assert.match(body.message, /does not match the message received \(message r-2\)/);

    answers.set("ReceiveMessage", { Messages: [other, { ...good, MessageAttributes: { ...wire, kind: { DataType: "String", StringValue: "ordeR" } } }] });
    const attributesError = await rejection(sqs.receiveMessage({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", MessageAttributeNames: ["All"] }));
    assert.equal(attributesError.digest, "MD5OfMessageAttributes");
    assert.equal(attributesError.messageId, "r-2");
  });
});
