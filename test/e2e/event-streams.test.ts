// Bedrock Runtime ConverseStream through the generated client, answered by a loopback
// server that speaks the event-stream framing (frames made with the core's encoder, written
// in odd-sized chunks with delays). No real peer streams Bedrock events, so this is the one
// place a hand-written server stands in. Covered: events in order and typed, a modelled
// exception mid-stream thrown as its class, an unmodelled error event, a corrupt frame, an
// early `break` (and `await using`) giving the connection back on a one-socket pool.
// Then an awsJson event stream (Kinesis SubscribeToShard): no payload member, an
// `initial-response` event first, events read as JSON with base64 blobs and timestamps.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeMessage, EventStreamFrameError, ServiceError, type MessageHeaders } from "../../packages/core/src/index.ts";
import {
  BedrockRuntime,
  BedrockRuntimeServiceError,
  ModelStreamErrorException,
  type ConverseStreamOutput,
} from "../../packages/bedrock-runtime/src/index.ts";
import { Kinesis, ResourceNotFoundException } from "../../packages/kinesis/src/index.ts";

const CREDENTIALS = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" };
const str = (value: string) => ({ type: "string" as const, value });
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function eventFrame(type: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = { ":event-type": str(type), ":content-type": str("application/json"), ":message-type": str("event") };
  // Bedrock pads events with a "p" field; an unknown key must simply be ignored.
  return encodeMessage({ headers, body: json({ ...(payload as object), p: "abcdefgh" }) });
}

function exceptionFrame(type: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = { ":exception-type": str(type), ":content-type": str("application/json"), ":message-type": str("exception") };
  return encodeMessage({ headers, body: json(payload) });
}

const CONVERSATION: readonly Uint8Array[] = [
  eventFrame("messageStart", { role: "assistant" }),
  eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hel" } }),
  eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "lo, " } }),
  eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "world" } }),
  eventFrame("contentBlockStop", { contentBlockIndex: 0 }),
  eventFrame("messageStop", { stopReason: "end_turn" }),
  eventFrame("metadata", { usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 }, metrics: { latencyMs: 321 } }),
];

const SIZES = [1, 7, 3, 50, 2, 13, 120, 5];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the frames as one byte stream cut into odd sizes, pausing between pieces. */
async function writeOddly(res: ServerResponse, frames: readonly Uint8Array[]): Promise<void> {
  const bytes = Buffer.concat(frames);
  for (let at = 0, i = 0; at < bytes.byteLength && !res.destroyed; i++) {
    const size = SIZES[i % SIZES.length] ?? 1;
    res.write(bytes.subarray(at, at + size));
    at += size;
    await sleep(1);
  }
}

function startStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "req-stream-1" });
}

/** Per model id, what the fake Bedrock answers. */
const SCENARIOS: Record<string, (req: IncomingMessage, res: ServerResponse, server: FakeBedrock) => Promise<void>> = {
  async conversation(_req, res) {
    startStream(res);
    await writeOddly(res, CONVERSATION);
    res.end();
  },
  async "fails-midway"(_req, res) {
    startStream(res);
    await writeOddly(res, [
      ...CONVERSATION.slice(0, 2),
      exceptionFrame("modelStreamErrorException", { message: "the model stopped", originalStatusCode: 500, originalMessage: "overloaded" }),
      // Never reached by the client: it stops at the exception.
      ...CONVERSATION.slice(2),
    ]);
    res.end();
  },
  async "error-event"(_req, res) {
    startStream(res);
    const error = encodeMessage({
      headers: { ":message-type": str("error"), ":error-code": str("InternalFailure"), ":error-message": str("something broke") },
      body: new Uint8Array(0),
    });
    await writeOddly(res, [CONVERSATION[0] as Uint8Array, error]);
    res.end();
  },
  async corrupt(_req, res) {
    startStream(res);
    const bad = (CONVERSATION[1] as Uint8Array).slice();
    bad[bad.byteLength - 10] = (bad[bad.byteLength - 10] ?? 0) ^ 0xff;
    await writeOddly(res, [CONVERSATION[0] as Uint8Array, bad]);
    res.end();
  },
  async endless(_req, res, server) {
    startStream(res);
    server.endlessWritten = 0;
    server.endlessClosed = new Promise((resolve) => res.once("close", () => resolve(server.endlessWritten)));
    await writeOddly(res, [CONVERSATION[0] as Uint8Array]);
    for (let i = 0; !res.destroyed; i++) {
      res.write(eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: `token${i} ` } }));
      server.endlessWritten++;
      await sleep(5);
    }
  },
};

interface FakeBedrock {
  readonly server: Server;
  readonly endpoint: string;
  readonly requests: Array<{ url: string; authorization: string | undefined; body: string }>;
  connections: number;
  endlessWritten: number;
  endlessClosed: Promise<number> | undefined;
}

async function startFakeBedrock(): Promise<FakeBedrock> {
  const fake: { -readonly [K in keyof FakeBedrock]: FakeBedrock[K] } = {
    server: undefined as unknown as Server,
    endpoint: "",
    requests: [],
    connections: 0,
    endlessWritten: 0,
    endlessClosed: undefined,
  };
  fake.server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    fake.requests.push({ url: req.url ?? "", authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
    const model = /^\/model\/([^/]+)\/converse-stream$/.exec(req.url ?? "")?.[1] ?? "";
    const scenario = SCENARIOS[decodeURIComponent(model)];
    if (!scenario) {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
      res.end(JSON.stringify({ message: `no model ${model}` }));
      return;
    }
    await scenario(req, res, fake);
  });
  fake.server.on("connection", () => fake.connections++);
  await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
  fake.endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

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
    await new Promise<void>((resolve) => {
      fake.server.closeAllConnections();
      fake.server.close(() => resolve());
    });
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
