// SQS end to end against local-aws-sqs: create a queue, send, receive with long polling,
// delete the message and the queue.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { QueueDoesNotExist, SQS } from "../../packages/sqs/src/index.ts";
import { LOCAL_CREDENTIALS, startSqs, type RunningServer } from "../../scripts/local-servers.ts";

describe("SQS against local-aws-sqs", () => {
  let server: RunningServer;
  let sqs: SQS;

  before(async () => {
    server = await startSqs();
    sqs = new SQS({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, env: {} });
  });
  after(async () => {
    await sqs.destroy();
    await server.close();
  });

  it("round-trips a message with long polling", async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: "stratus-e2e" });
    assert.ok(QueueUrl);
    const sent = await sqs.sendMessage({
      QueueUrl,
      MessageBody: "hello from stratus",
      MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } },
    });
    assert.ok(sent.MessageId);
    assert.ok(sent.MD5OfMessageBody);

    const received = await sqs.receiveMessage({
      QueueUrl,
      WaitTimeSeconds: 1,
      MaxNumberOfMessages: 1,
      MessageAttributeNames: ["All"],
    });
    assert.equal(received.Messages?.length, 1);
    const message = received.Messages?.[0];
    assert.equal(message?.Body, "hello from stratus");
    assert.equal(message?.MessageAttributes?.["kind"]?.StringValue, "greeting");

    await sqs.deleteMessage({ QueueUrl, ReceiptHandle: message?.ReceiptHandle ?? "" });
    const empty = await sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 1 });
    assert.equal(empty.Messages?.length ?? 0, 0);

    await sqs.deleteQueue({ QueueUrl });
    await assert.rejects(sqs.getQueueUrl({ QueueName: "stratus-e2e" }), QueueDoesNotExist);
  });
});
