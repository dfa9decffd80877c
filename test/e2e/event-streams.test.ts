// Bedrock Runtime ConverseStream through the generated client, answered by a loopback
// server that speaks the event-stream framing (test/support/fake-bedrock.ts: frames made
// with the core's encoder, written in odd-sized chunks with delays). No real peer streams
// Bedrock events, so this is the one place a hand-written server stands in. Covered: events
// in order and typed, a modelled exception mid-stream thrown as its class, an unmodelled
// error event, a corrupt frame, an early `break` (and `await using`) giving the connection
// back on a one-socket pool.
// Then an awsJson event stream (Kinesis SubscribeToShard): no payload member, an
// `initial-response` event first, events read as JSON with base64 blobs and timestamps.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeMessage, EventStreamFrameError, ServiceError } from "../../packages/core/src/index.ts";
import {
  BedrockRuntime,
  BedrockRuntimeServiceError,
  ModelStreamErrorException,
  type ConverseStreamOutput,
} from "../../packages/bedrock-runtime/src/index.ts";
import { Kinesis, ResourceNotFoundException } from "../../packages/kinesis/src/index.ts";
import { closeFakeBedrock, CONVERSATION, json, startFakeBedrock, str, writeOddly, type FakeBedrock } from "../support/fake-bedrock.ts";

const CREDENTIALS = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" };

/** Resolves with the promise's value, or fails the test after `ms` instead of hanging it. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe("Bedrock Runtime ConverseStream over event-stream framing (loopback)", () => {
  let fake: FakeBedrock;
  let bedrock: BedrockRuntime;

  before(async () => {
    fake = await startFakeBedrock();
    // One socket: a stream that did not give its connection back would block the next call.
    bedrock = new BedrockRuntime({ region: "us-east-1", endpoint: fake.endpoint, credentials: CREDENTIALS, env: {}, maxAttempts: 1, http: { maxConnections: 1 } });
  });
  after(async () => {
    await bedrock.destroy();
    await closeFakeBedrock(fake);
  });

  const ask = (modelId: string) =>
    bedrock.converseStream({ modelId, messages: [{ role: "user", content: [{ text: "Say hello" }] }], inferenceConfig: { maxTokens: 64 } });

  it("yields messageStart, the deltas, contentBlockStop, messageStop and metadata in order, typed", async () => {
    const out = await ask("conversation");
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.$metadata.requestId, "req-stream-1");
    const request = fake.requests.at(-1);
    assert.equal(request?.url, "/model/conversation/converse-stream");
    assert.match(request?.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    assert.deepEqual(JSON.parse(request?.body ?? "{}"), { messages: [{ role: "user", content: [{ text: "Say hello" }] }], inferenceConfig: { maxTokens: 64 } });

    const events: ConverseStreamOutput[] = [];
    let text = "";
    assert.ok(out.stream);
    for await (const event of out.stream) {
      events.push(event);
      if (event.contentBlockDelta) text += event.contentBlockDelta.delta.text ?? "";
    }
    assert.deepEqual(events.map((e) => Object.keys(e)[0]), [
      "messageStart",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockStop",
      "messageStop",
      "metadata",
    ]);
    assert.equal(text, "Hello, world");
    assert.deepEqual(events[0], { messageStart: { role: "assistant" } });
    assert.deepEqual(events[5], { messageStop: { stopReason: "end_turn" } });
    assert.deepEqual(events[6], { metadata: { usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 }, metrics: { latencyMs: 321 } } });
  });

  it("throws a modelled exception event as its class, after the events before it", async () => {
    const out = await ask("fails-midway");
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of out.stream ?? []) seen.push(Object.keys(event)[0] ?? "");
      })(),
      (error: unknown) => {
        assert.ok(error instanceof ModelStreamErrorException);
        assert.ok(error instanceof BedrockRuntimeServiceError);
        assert.ok(error instanceof ServiceError);
        assert.equal(error.name, "ModelStreamErrorException");
        assert.equal(error.code, "ModelStreamErrorException");
        assert.equal(error.message, "the model stopped");
        assert.equal(error.originalStatusCode, 500);
        assert.equal(error.originalMessage, "overloaded");
        assert.equal(error.$metadata.requestId, "req-stream-1");
        return true;
      },
    );
    assert.deepEqual(seen, ["messageStart", "contentBlockDelta"]);
  });

  it("throws an unmodelled error event as a ServiceError with its code and message", async () => {
    const out = await ask("error-event");
    const seen: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of out.stream ?? []) seen.push(event);
      })(),
      (error: unknown) => {
        assert.ok(error instanceof BedrockRuntimeServiceError);
        assert.equal(error.code, "InternalFailure");
        assert.equal(error.message, "something broke");
        return true;
      },
    );
    assert.equal(seen.length, 1);
  });

  it("fails a corrupt frame with EventStreamFrameError", async () => {
    const out = await ask("corrupt");
    await assert.rejects(
      (async () => {
        for await (const _ of out.stream ?? []) void _;
      })(),
      (error: unknown) => error instanceof EventStreamFrameError && error.problem === "message-crc",
    );
  });

  it("gives the connection back when the caller breaks out early", async () => {
    const out = await ask("endless");
    let count = 0;
    for await (const event of out.stream ?? []) {
      assert.ok(event.messageStart || event.contentBlockDelta);
      if (++count === 4) break;
    }
    // The server sees its response closed: the socket was given back (closed, as the rest
    // of an endless body cannot be drained), and the server stops writing.
    const written = await within(fake.endlessClosed ?? Promise.reject(new Error("no stream")), 5_000, "closing the stream");
    assert.ok(written >= 3, `the server wrote ${written} deltas`);
    // The one-socket pool is free again: the next call goes through.
    const next = await within(ask("conversation"), 5_000, "the next call");
    let events = 0;
    for await (const _ of next.stream ?? []) events++;
    assert.equal(events, CONVERSATION.length);
  });

  it("releases an unread stream on `await using` and on cancel()", async () => {
    {
      const out = await within(ask("endless"), 5_000, "the call");
      await using stream = out.stream;
      assert.ok(stream);
    }
    await within(fake.endlessClosed ?? Promise.reject(new Error("no stream")), 5_000, "disposing the stream");
    const out = await within(ask("endless"), 5_000, "the call");
    await out.stream?.cancel();
    await within(fake.endlessClosed ?? Promise.reject(new Error("no stream")), 5_000, "cancelling the stream");
    const next = await within(ask("conversation"), 5_000, "the next call");
    await next.stream?.cancel();
  });
});

describe("Kinesis SubscribeToShard: an awsJson event stream (loopback)", () => {
  let server: Server;
  let kinesis: Kinesis;
  const targets: string[] = [];

  before(async () => {
    server = createServer(async (req, res) => {
      for await (const _ of req) void _;
      targets.push(String(req.headers["x-amz-target"]));
      res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "kinesis-1" });
      const event = (type: string, payload: unknown) =>
        encodeMessage({ headers: { ":message-type": str("event"), ":event-type": str(type), ":content-type": str("application/x-amz-json-1.1") }, body: json(payload) });
      await writeOddly(res, [
        event("initial-response", {}),
        event("SubscribeToShardEvent", {
          Records: [{ SequenceNumber: "49590338271490256608559692538361571095921575989136588898", ApproximateArrivalTimestamp: 1700000000.5, Data: Buffer.from("hello").toString("base64"), PartitionKey: "p1" }],
          ContinuationSequenceNumber: "49590338271490256608559692538361571095921575989136588898",
          MillisBehindLatest: 0,
        }),
        encodeMessage({
          headers: { ":message-type": str("exception"), ":exception-type": str("ResourceNotFoundException"), ":content-type": str("application/x-amz-json-1.1") },
          body: json({ message: "the consumer was deleted" }),
        }),
      ]);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    kinesis = new Kinesis({ region: "us-east-1", endpoint, credentials: CREDENTIALS, env: {}, maxAttempts: 1 });
  });
  after(async () => {
    await kinesis.destroy();
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  });

  it("skips initial-response, reads events as JSON and throws the modelled exception", async () => {
    const out = await kinesis.subscribeToShard({
      ConsumerARN: "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
      ShardId: "shardId-000000000000",
      StartingPosition: { Type: "TRIM_HORIZON" },
    });
    assert.equal(targets.at(-1), "Kinesis_20131202.SubscribeToShard");
    assert.equal(out.$metadata.requestId, "kinesis-1");
    const events: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of out.EventStream) events.push(event);
      })(),
      (error: unknown) => error instanceof ResourceNotFoundException && error.message === "the consumer was deleted",
    );
    assert.equal(events.length, 1);
    const record = (events[0] as { SubscribeToShardEvent: { Records: Array<{ Data: Uint8Array; ApproximateArrivalTimestamp: Date; PartitionKey: string }> } }).SubscribeToShardEvent.Records[0];
    assert.equal(Buffer.from(record?.Data ?? []).toString(), "hello");
    assert.deepEqual(record?.ApproximateArrivalTimestamp, new Date(1700000000500));
    assert.equal(record?.PartitionKey, "p1");
  });
});
