// The event-stream framing on its own: CRC-32 against zlib's, every header type both ways,
// frames split at every byte boundary, and hostile input (bad CRCs, truncated frames,
// impossible or oversized lengths, bad headers) giving a typed error at once, never a hang.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { crc32 } from "../../src/checksums/crc32.ts";
import {
  decodeMessage,
  decodeMessages,
  encodeMessage,
  encodeMessages,
  EventStreamFrameError,
  signEventStream,
  type FrameProblem,
  type Message,
  type MessageHeaders,
} from "../../src/eventstream/index.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

async function* chunksOf(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < bytes.byteLength) {
    const size = sizes[i++ % sizes.length] ?? 1;
    yield bytes.slice(at, at + size);
    at += size;
  }
}

async function collect(source: AsyncIterable<Message>): Promise<Message[]> {
  const out: Message[] = [];
  for await (const message of source) out.push(message);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** A frame around raw header bytes, CRCs computed with zlib (an independent implementation). */
function rawFrame(headers: Uint8Array, payload: Uint8Array, total = 16 + headers.byteLength + payload.byteLength): Uint8Array {
  const frame = new Uint8Array(16 + headers.byteLength + payload.byteLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headers.byteLength);
  view.setUint32(8, zlibCrc32(frame.subarray(0, 8)));
  frame.set(headers, 12);
  frame.set(payload, 12 + headers.byteLength);
  view.setUint32(frame.byteLength - 4, zlibCrc32(frame.subarray(0, frame.byteLength - 4)));
  return frame;
}

function isFrameError(problem: FrameProblem, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof EventStreamFrameError, `expected EventStreamFrameError, got ${String(error)}`);
    assert.equal(error.problem, problem);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

const EVERY_TYPE: MessageHeaders = {
  yes: { type: "boolean", value: true },
  no: { type: "boolean", value: false },
  byte: { type: "byte", value: -128 },
  short: { type: "short", value: -32768 },
  integer: { type: "integer", value: 2147483647 },
  long: { type: "long", value: -9223372036854775808n },
  bytes: { type: "binary", value: Uint8Array.of(0, 1, 254, 255) },
  string: { type: "string", value: "héllo ✓" },
  timestamp: { type: "timestamp", value: new Date("2024-02-29T12:34:56.789Z") },
  uuid: { type: "uuid", value: "123e4567-e89b-12d3-a456-426614174000" },
};

test("crc32 matches zlib's, incrementally too", () => {
  assert.equal(crc32(text("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const data = new Uint8Array(10_000).map((_, i) => (i * 7919) & 0xff);
  assert.equal(crc32(data), zlibCrc32(data));
  assert.equal(crc32(data.subarray(5000), crc32(data.subarray(0, 5000))), zlibCrc32(data));
});

test("an empty message is the 16-byte frame every implementation agrees on", () => {
  const frame = encodeMessage({ headers: {}, body: new Uint8Array(0) });
  assert.equal(Buffer.from(frame).toString("hex"), Buffer.from(rawFrame(new Uint8Array(0), new Uint8Array(0))).toString("hex"));
  assert.equal(Buffer.from(frame).toString("hex"), "000000100000000005c248eb7d98c8ff");
});

test("every header type round-trips, and its wire form is the documented one", () => {
  const body = text('{"hello":"world"}');
  const frame = encodeMessage({ headers: EVERY_TYPE, body });
  const decoded = decodeMessage(frame);
  assert.deepEqual(decoded.headers, EVERY_TYPE);
  assert.deepEqual(Buffer.from(decoded.body).toString(), '{"hello":"world"}');

  // Hand-written wire form of a few headers, framed with zlib's CRCs, decodes the same way.
  const raw = concat([
    Uint8Array.of(1, 0x61, 0), // "a" = true
    Uint8Array.of(1, 0x62, 2, 0xff), // "b" = byte -1
    Uint8Array.of(1, 0x63, 3, 0x01, 0x00), // "c" = short 256
    Uint8Array.of(1, 0x64, 7, 0x00, 0x02, 0x68, 0x69), // "d" = string "hi"
    Uint8Array.of(1, 0x65, 8, 0, 0, 0, 0, 0, 0, 0x03, 0xe8), // "e" = timestamp 1000 ms
    Uint8Array.of(1, 0x66, 5, 0x80, 0, 0, 0, 0, 0, 0, 1), // "f" = long -2^63 + 1
  ]);
  const parsed = decodeMessage(rawFrame(raw, text("x")));
  assert.deepEqual(parsed.headers, {
    a: { type: "boolean", value: true },
    b: { type: "byte", value: -1 },
    c: { type: "short", value: 256 },
    d: { type: "string", value: "hi" },
    e: { type: "timestamp", value: new Date(1000) },
    f: { type: "long", value: -9223372036854775807n },
  });
  // And our encoder writes those exact bytes.
  assert.deepEqual(encodeMessage({ headers: parsed.headers, body: text("x") }), rawFrame(raw, text("x")));
});

test("frames split at every byte boundary, one byte at a time, and in odd sizes decode the same", async () => {
  const messages: Message[] = [
    { headers: { ":event-type": { type: "string", value: "a" } }, body: text("first") },
    { headers: EVERY_TYPE, body: new Uint8Array(3000).fill(7) },
    { headers: {}, body: new Uint8Array(0) },
    { headers: { n: { type: "integer", value: 3 } }, body: text("last") },
  ];
  const stream = concat(messages.map((m) => encodeMessage(m)));
  const expected = messages.map((m) => ({ headers: m.headers, body: Buffer.from(m.body).toString("hex") }));
  const view = (list: Message[]) => list.map((m) => ({ headers: m.headers, body: Buffer.from(m.body).toString("hex") }));

  assert.deepEqual(view(await collect(decodeMessages(chunksOf(stream, [1])))), expected);
  assert.deepEqual(view(await collect(decodeMessages(chunksOf(stream, [5, 1, 13, 2, 997, 3])))), expected);
  assert.deepEqual(view(await collect(decodeMessages(chunksOf(stream, [stream.byteLength])))), expected);
  for (let cut = 1; cut < stream.byteLength; cut += 7) {
    assert.deepEqual(view(await collect(decodeMessages(chunksOf(stream, [cut, stream.byteLength])))), expected, `cut at ${cut}`);
  }
});

test("encodeMessages frames a message source lazily", async () => {
  const frames: Uint8Array[] = [];
  for await (const frame of encodeMessages([{ headers: {}, body: text("a") }, { headers: {}, body: text("bc") }])) frames.push(frame);
  assert.deepEqual(frames.map((f) => f.byteLength), [17, 18]);
  const back = await collect(decodeMessages(chunksOf(concat(frames), [3])));
  assert.deepEqual(back.map((m) => Buffer.from(m.body).toString()), ["a", "bc"]);
});

test("a corrupt payload fails the message CRC and a corrupt prelude the prelude CRC", async () => {
  const frame = encodeMessage({ headers: { a: { type: "string", value: "b" } }, body: text("payload") });
  const badBody = frame.slice();
  badBody[badBody.byteLength - 6] = (badBody[badBody.byteLength - 6] ?? 0) ^ 1;
  await assert.rejects(collect(decodeMessages(chunksOf(badBody, [4]))), isFrameError("message-crc", /message CRC mismatch/));
  const badPrelude = frame.slice();
  badPrelude[3] = (badPrelude[3] ?? 0) ^ 1;
  await assert.rejects(collect(decodeMessages(chunksOf(badPrelude, [4]))), isFrameError("prelude-crc"));
  const badCrc = frame.slice();
  badCrc[badCrc.byteLength - 1] = (badCrc[badCrc.byteLength - 1] ?? 0) ^ 0x80;
  assert.throws(() => decodeMessage(badCrc), isFrameError("message-crc"));
});

test("a stream that ends inside a frame or a prelude is truncated", async () => {
  const frame = encodeMessage({ headers: {}, body: text("0123456789") });
  const two = concat([frame, frame]);
  await assert.rejects(collect(decodeMessages(chunksOf(two.subarray(0, two.byteLength - 3), [7]))), isFrameError("truncated", /inside a frame \(23 of 26 bytes\)/));
  await assert.rejects(collect(decodeMessages(chunksOf(two.subarray(0, frame.byteLength + 5), [7]))), isFrameError("truncated", /inside a prelude/));
  assert.throws(() => decodeMessage(frame.subarray(0, 20)), isFrameError("truncated"));
});

test("an impossible or oversized length fails as soon as the prelude is in, without waiting for the bytes", async () => {
  let pulledAfterPrelude = false;
  async function* hostile(prelude: Uint8Array): AsyncGenerator<Uint8Array> {
    yield prelude;
    pulledAfterPrelude = true;
    await new Promise(() => undefined); // a server that never sends the rest
  }
  /** A 12-byte prelude claiming these lengths, with a correct CRC. */
  const prelude = (total: number, headers: number): Uint8Array => {
    const out = new Uint8Array(12);
    const view = new DataView(out.buffer);
    view.setUint32(0, total);
    view.setUint32(4, headers);
    view.setUint32(8, zlibCrc32(out.subarray(0, 8)));
    return out;
  };
  await assert.rejects(collect(decodeMessages(hostile(prelude(0xffffffff, 0)))), isFrameError("length", /exceeds the limit/));
  await assert.rejects(collect(decodeMessages(hostile(prelude(200_000 + 16, 200_000)))), isFrameError("length", /headers exceed/));
  await assert.rejects(collect(decodeMessages(hostile(prelude(20, 10)))), isFrameError("length", /cannot hold/));
  await assert.rejects(collect(decodeMessages(hostile(prelude(8, 0)))), isFrameError("length"));
  // Limits are configurable.
  const small = encodeMessage({ headers: {}, body: new Uint8Array(100) });
  await assert.rejects(collect(decodeMessages(chunksOf(small, [100]), { maxPayloadLength: 99 })), isFrameError("length"));
  assert.equal(pulledAfterPrelude, false);
});

test("bad headers are typed errors, on the way in and on the way out", () => {
  assert.throws(() => decodeMessage(rawFrame(Uint8Array.of(1, 0x61, 42), text(""))), isFrameError("header", /unknown type 42/));
  assert.throws(() => decodeMessage(rawFrame(Uint8Array.of(1, 0x61, 4, 0, 0), text(""))), isFrameError("header", /end inside header a/));
  assert.throws(() => decodeMessage(rawFrame(Uint8Array.of(9, 0x61), text(""))), isFrameError("header", /header name/));
  assert.throws(() => decodeMessage(rawFrame(Uint8Array.of(0, 0), text(""))), isFrameError("header", /empty name/));
  assert.throws(() => decodeMessage(rawFrame(Uint8Array.of(1, 0x61, 7, 0, 2, 0xc3, 0x28), text(""))), isFrameError("header", /UTF-8/));
  // "__proto__" from the wire is just a header.
  const proto = decodeMessage(rawFrame(concat([Uint8Array.of(9), text("__proto__"), Uint8Array.of(0)]), text("")));
  assert.deepEqual(Object.keys(proto.headers), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(proto.headers), Object.prototype);

  const encode = (headers: MessageHeaders) => () => encodeMessage({ headers, body: new Uint8Array(0) });
  assert.throws(encode({ b: { type: "byte", value: 128 } }), isFrameError("header", /8-bit/));
  assert.throws(encode({ s: { type: "short", value: 1.5 } }), isFrameError("header"));
  assert.throws(encode({ l: { type: "long", value: 2n ** 63n } }), isFrameError("header", /64 bits/));
  assert.throws(encode({ u: { type: "uuid", value: "not-a-uuid" } }), isFrameError("header", /uuid/));
  assert.throws(encode({ t: { type: "timestamp", value: new Date(Number.NaN) } }), isFrameError("header", /invalid Date/));
  assert.throws(encode({ ["x".repeat(256)]: { type: "boolean", value: true } }), isFrameError("header", /1 to 255/));
  assert.throws(encode({ big: { type: "binary", value: new Uint8Array(65536) } }), isFrameError("header", /at most 65535/));
});

test("signEventStream wraps each frame in a signed envelope chained from the seed, then an empty end frame", async () => {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
  const dates = [new Date("2024-01-02T03:04:05.000Z"), new Date("2024-01-02T03:04:06.000Z"), new Date("2024-01-02T03:04:07.000Z")];
  let tick = 0;
  const inner = [encodeMessage({ headers: { ":event-type": { type: "string", value: "chunk" } }, body: text("one") }), encodeMessage({ headers: {}, body: text("two") })];
  const envelopes: Uint8Array[] = [];
  for await (const envelope of signEventStream(inner, { credentials, region: "us-east-1", service: "bedrock", seedSignature: "seed", now: () => dates[tick++] as Date })) {
    envelopes.push(envelope);
  }
  assert.equal(envelopes.length, 3);

  // An independent computation of the chain, straight from the documented algorithm.
  const hmac = (key: Uint8Array | string, data: string) => createHmac("sha256", key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, "20240102"), "us-east-1"), "bedrock"), "aws4_request");
  let prior = "seed";
  for (const [i, envelope] of envelopes.entries()) {
    const message = decodeMessage(envelope);
    const date = message.headers[":date"];
    const signature = message.headers[":chunk-signature"];
    assert.deepEqual(date, { type: "timestamp", value: dates[i] });
    assert.equal(signature?.type, "binary");
    const payload = i < inner.length ? inner[i] : new Uint8Array(0);
    assert.deepEqual(message.body, payload);
    const dateHeader = encodeMessage({ headers: { ":date": { type: "timestamp", value: dates[i] as Date } }, body: new Uint8Array(0) }).subarray(12, -4);
    const toSign = [
      "AWS4-HMAC-SHA256-PAYLOAD",
      `20240102T03040${5 + i}Z`,
      "20240102/us-east-1/bedrock/aws4_request",
      prior,
      createHash("sha256").update(dateHeader).digest("hex"),
      createHash("sha256").update(payload ?? new Uint8Array(0)).digest("hex"),
    ].join("\n");
    const expected = hmac(key, toSign).toString("hex");
    assert.equal(Buffer.from(signature?.value as Uint8Array).toString("hex"), expected);
    prior = expected;
  }
});
