/**
 * A fake Bedrock Runtime on loopback that answers ConverseStream in the event-stream
 * framing (frames made with the core's encoder, written as one byte stream cut into odd
 * sizes with short pauses, as a real network delivers them). No real peer streams Bedrock
 * events, so this is the one place a hand-written server stands in; the end-to-end suite
 * (test/e2e/event-streams.test.ts) and the Bedrock example's test use it.
 *
 * The model id picks the scenario: "conversation" (a whole answer: "Hello, world"),
 * "fails-midway" (a modelled exception after two events), "error-event" (an unmodelled
 * error), "corrupt" (a bad CRC), "endless" (deltas until the client lets go). Any other id
 * answers 404 ResourceNotFoundException. `closeFakeBedrock(fake)` stops it and drops its sockets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeMessage, type MessageHeaders } from "../../packages/core/src/index.ts";

export const str = (value: string) => ({ type: "string" as const, value });
export const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

export function eventFrame(type: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = { ":event-type": str(type), ":content-type": str("application/json"), ":message-type": str("event") };
  // Bedrock pads events with a "p" field; an unknown key must simply be ignored.
  return encodeMessage({ headers, body: json({ ...(payload as object), p: "abcdefgh" }) });
}

export function exceptionFrame(type: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = { ":exception-type": str(type), ":content-type": str("application/json"), ":message-type": str("exception") };
  return encodeMessage({ headers, body: json(payload) });
}

export const CONVERSATION: readonly Uint8Array[] = [
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
export async function writeOddly(res: ServerResponse, frames: readonly Uint8Array[]): Promise<void> {
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

export interface FakeBedrock {
  readonly server: Server;
  readonly endpoint: string;
  readonly requests: Array<{ url: string; authorization: string | undefined; body: string }>;
  connections: number;
  endlessWritten: number;
  endlessClosed: Promise<number> | undefined;
}

export async function startFakeBedrock(): Promise<FakeBedrock> {
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

/** Stops the server, ending any response still streaming. */
export function closeFakeBedrock(fake: FakeBedrock): Promise<void> {
  return new Promise<void>((resolve) => {
    fake.server.closeAllConnections();
    fake.server.close(() => resolve());
  });
}
