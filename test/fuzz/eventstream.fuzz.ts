/**
 * Event streams: frames out of a byte stream split anywhere (eventstream/decoder.ts), the
 * headers inside them, and the reading of a decoded message as an event of the model
 * (events.ts). Allowed outcomes: messages, or an `EventStreamFrameError` for the framing;
 * an event, or a `ParseError`, for what a well-framed message says.
 *
 * "Never a wrong success" is the point here, since both CRCs are there to catch damage:
 * - random messages (every header type, "__proto__" names, payloads) encode, split into
 *   random chunks, and decode to exactly themselves
 * - one flipped bit anywhere in a stream: every message yielded before the error is an
 *   original, and the damaged frame is never yielded (a CRC always sees a 1-bit error)
 * - a stream cut anywhere: the whole frames before the cut, then "truncated" unless the
 *   cut falls between frames
 * - a forged length (total or headers) with a recomputed prelude CRC: an error, never a
 *   message
 * - frames whose CRCs are both right around random header bytes: messages or a "header"
 *   error (this is what reaches decodeHeaders' bounds checks)
 * - random bytes in random chunks
 * - events: random and written messages against Bedrock ConverseStream (JSON bodies) and
 *   S3 SelectObjectContent (XML bodies, raw payloads)
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { crc32 } from "../../packages/core/src/checksums/crc32.ts";
import { ParseError } from "../../packages/core/src/errors/index.ts";
import { decodeMessages } from "../../packages/core/src/eventstream/decoder.ts";
import { EventStreamFrameError } from "../../packages/core/src/eventstream/errors.ts";
import { readEventMessage, type EventReadContext } from "../../packages/core/src/eventstream/events.ts";
import type { HeaderValue, MessageHeaders } from "../../packages/core/src/eventstream/headers.ts";
import { encodeMessage, type Message } from "../../packages/core/src/eventstream/message.ts";
import { restJsonProtocol } from "../../packages/core/src/protocols/rest-json.ts";
import { restXmlProtocol } from "../../packages/core/src/protocols/rest-xml.ts";
import { membersOf, resolveShape } from "../../packages/core/src/schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../../packages/core/src/schema/types.ts";
import * as bedrock from "../../packages/bedrock-runtime/src/generated/schema.ts";
import * as s3 from "../../packages/s3/src/generated/schema.ts";
import { asyncOutcome, fuzzFamily, outcome } from "./property.ts";
import { concat, utf8 } from "./support/mutate.ts";
import { valueOf } from "./support/shape-values.ts";
import { jsonDocument } from "./support/writers.ts";

// ---- messages ----------------------------------------------------------------------------

const headerValue: fc.Arbitrary<HeaderValue> = fc.oneof(
  fc.boolean().map((value): HeaderValue => ({ type: "boolean", value })),
  fc.integer({ min: -128, max: 127 }).map((value): HeaderValue => ({ type: "byte", value })),
  fc.integer({ min: -32768, max: 32767 }).map((value): HeaderValue => ({ type: "short", value })),
  fc.integer().map((value): HeaderValue => ({ type: "integer", value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): HeaderValue => ({ type: "long", value })),
  fc.uint8Array({ maxLength: 40 }).map((value): HeaderValue => ({ type: "binary", value })),
  // Sometimes led by U+FEFF, which a UTF-8 decoder drops unless told not to.
  fc.tuple(fc.constantFrom("", "", "\uFEFF"), fc.string({ unit: "binary", maxLength: 30 })).map(([lead, text]): HeaderValue => ({ type: "string", value: lead + text })),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms): HeaderValue => ({ type: "timestamp", value: new Date(ms) })),
  fc.uuid().map((value): HeaderValue => ({ type: "uuid", value: value.toLowerCase() })),
);

const headerName = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((n) => utf8.encode(n).length <= 255) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", ":message-type", ":event-type", "x".repeat(255), "\uFEFF", "\uFEFFx") },
);

function headersFrom(entries: ReadonlyArray<readonly [string, HeaderValue]>): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [name, value] of entries) Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
  return headers;
}

const message: fc.Arbitrary<Message> = fc
  .tuple(fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 6, selector: ([name]) => name }), fc.uint8Array({ maxLength: 120 }))
  .map(([entries, body]) => ({ headers: headersFrom(entries), body }));

const messages = fc.array(message, { minLength: 1, maxLength: 5 });

interface Stream {
  readonly originals: readonly Message[];
  readonly frames: readonly Uint8Array[];
  readonly bytes: Uint8Array;
  /** Where each frame ends in `bytes`. */
  readonly ends: readonly number[];
}

const streams: fc.Arbitrary<Stream> = messages.map((originals) => {
  const frames = originals.map((m) => encodeMessage(m));
  const ends: number[] = [];
  let at = 0;
  for (const frame of frames) ends.push((at += frame.length));
  return { originals, frames, bytes: concat(...frames), ends };
});

/** `bytes` cut at the given points (taken modulo the length), as an async iterable of chunks. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncIterable<Uint8Array> {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  return (async function* () {
    let start = 0;
    for (const point of points) {
      yield bytes.subarray(start, point);
      start = point;
    }
    yield bytes.subarray(start);
  })();
}

const cuts = fc.array(fc.nat(), { maxLength: 8 });

/** Every message the decoder yields until it stops, and the error it stopped with, if any. */
async function decodeAll(chunks: AsyncIterable<Uint8Array>): Promise<{ yielded: Message[]; error: EventStreamFrameError | undefined }> {
  const yielded: Message[] = [];
  const result = await asyncOutcome(async () => {
    for await (const m of decodeMessages(chunks)) yielded.push(m);
  }, [EventStreamFrameError]);
  return { yielded, error: result.ok ? undefined : (result.error as EventStreamFrameError) };
}

/** A frame with both CRCs right around any headers and body bytes. */
function frameAround(headers: Uint8Array, body: Uint8Array): Uint8Array {
  const total = 16 + headers.length + body.length;
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headers.length);
  view.setUint32(8, crc32(frame.subarray(0, 8)));
  frame.set(headers, 12);
  frame.set(body, 12 + headers.length);
  view.setUint32(total - 4, crc32(frame.subarray(0, total - 4)));
  return frame;
}

/** Header bytes that look right: a length, a name, a type byte, maybe a value, sometimes cut short. */
const headerSoup = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 12 }), fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 20 })).map(([lengthDelta, name, type, value]) => {
      const nameBytes = utf8.encode(name);
      return concat(Uint8Array.of(Math.min(255, Math.max(0, nameBytes.length + lengthDelta - 6))), nameBytes, Uint8Array.of(type), value);
    }),
    { maxLength: 5 },
  )
  .map((parts) => concat(...parts));

// ---- events ----------------------------------------------------------------------------

function streamOf(operation: OperationSchema): StructureShape {
  if (!operation.output) throw new Error(`${operation.name} has no output`);
  const view = membersOf(resolveShape(operation.output)).find((v) => v.shape.type === "structure" && v.shape.eventstream === true);
  if (!view || view.shape.type !== "structure") throw new Error(`${operation.name} has no event stream`);
  return view.shape;
}

const CONTEXTS: ReadonlyArray<EventReadContext & { readonly label: string }> = [
  { label: "Bedrock ConverseStream", protocol: restJsonProtocol, service: bedrock.service, operation: bedrock.ConverseStream, stream: streamOf(bedrock.ConverseStream) },
  { label: "S3 SelectObjectContent", protocol: restXmlProtocol, service: s3.service, operation: s3.SelectObjectContent, stream: streamOf(s3.SelectObjectContent) },
];

const str = (value: string): HeaderValue => ({ type: "string", value });

function eventMessages(context: EventReadContext): fc.Arbitrary<Message> {
  const names = membersOf(context.stream).map((v) => v.name);
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 60 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => utf8.encode(JSON.stringify(v) ?? "")),
    fc.constantFrom("<Stats><Details><BytesScanned>1</BytesScanned></Details></Stats>", "<a>", "{\"message\":\"m\"}", "{").map((t) => utf8.encode(t)),
  );
  return fc
    .tuple(
      fc.constantFrom("event", "exception", "error", "nonsense", undefined),
      fc.oneof(fc.constantFrom(...names, "initial-response"), fc.string({ maxLength: 12 })),
      fc.option(fc.string({ maxLength: 12 })),
      bodies,
      fc.option(headerValue),
    )
    .map(([messageType, type, errorCode, body, stray]) => {
      const entries: Array<[string, HeaderValue]> = [];
      if (messageType !== undefined) entries.push([":message-type", str(messageType)]);
      entries.push([messageType === "exception" ? ":exception-type" : ":event-type", stray && stray.type !== "string" ? stray : str(type)]);
      if (errorCode !== null) entries.push([":error-code", str(errorCode)], [":error-message", str(errorCode)]);
      return { headers: headersFrom(entries), body };
    });
}

/** ConverseStream events written from random values: each must read back as itself. */
const converseEvents = fc.oneof(
  ...membersOf(streamOf(bedrock.ConverseStream))
    .filter((view) => view.shape.type === "structure" && !view.shape.exception && !view.shape.error)
    .map((view) =>
      valueOf(view.shape, { text: fc.string({ unit: "binary", maxLength: 12 }), mode: "output", maxDepth: 3 }).map((value) => ({
        name: view.name,
        value,
        message: {
          headers: headersFrom([[":message-type", str("event")], [":event-type", str(view.name)], [":content-type", str("application/json")]]),
          body: utf8.encode(jsonDocument(view.shape, value)),
        } satisfies Message,
      })),
    ),
);

fuzzFamily("eventstream", (family) => {
  family.asyncProperty("messages split anywhere decode to themselves", 400, fc.asyncProperty(streams, cuts, async (stream, at) => {
    const { yielded, error } = await decodeAll(chunked(stream.bytes, at));
    assert.equal(error, undefined);
    assert.deepStrictEqual(yielded, stream.originals);
  }));

  family.asyncProperty("one flipped bit is always caught, and no damaged frame is yielded", 600, fc.asyncProperty(streams, fc.nat(), fc.integer({ min: 0, max: 7 }), cuts, async (stream, index, bit, at) => {
    const bytes = stream.bytes.slice();
    const where = index % bytes.length;
    bytes[where] = (bytes[where] as number) ^ (1 << bit);
    const damaged = stream.ends.findIndex((end) => where < end);
    const { yielded, error } = await decodeAll(chunked(bytes, at));
    assert.ok(error instanceof EventStreamFrameError, "a flipped bit went unnoticed");
    assert.deepStrictEqual(yielded, stream.originals.slice(0, damaged));
  }));

  family.asyncProperty("a stream cut anywhere yields its whole frames, then \"truncated\"", 500, fc.asyncProperty(streams, fc.nat(), cuts, async (stream, index, at) => {
    const cut = index % stream.bytes.length;
    const whole = stream.ends.filter((end) => end <= cut).length;
    const { yielded, error } = await decodeAll(chunked(stream.bytes.subarray(0, cut), at));
    assert.deepStrictEqual(yielded, stream.originals.slice(0, whole));
    if (cut === 0 || stream.ends.includes(cut)) assert.equal(error, undefined);
    else assert.equal(error?.problem, "truncated");
  }));

  family.asyncProperty("a forged length with a recomputed prelude CRC is never a message", 600, fc.asyncProperty(
    streams,
    fc.nat(),
    fc.constantFrom(0, 4),
    fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 0xffffffff })),
    async (stream, which, field, change) => {
      const i = which % stream.frames.length;
      const frame = (stream.frames[i] as Uint8Array).slice();
      const view = new DataView(frame.buffer);
      const old = view.getUint32(field);
      const forged = change >= -20 && change <= 20 ? (old + change) >>> 0 : change;
      fc.pre(forged !== old);
      view.setUint32(field, forged);
      view.setUint32(8, crc32(frame.subarray(0, 8)));
      const bytes = concat(...stream.frames.slice(0, i), frame, ...stream.frames.slice(i + 1));
      const { yielded, error } = await decodeAll(chunked(bytes, []));
      assert.ok(error instanceof EventStreamFrameError, "a forged length went unnoticed");
      assert.deepStrictEqual(yielded, stream.originals.slice(0, i));
    },
  ));

  family.asyncProperty("frames with right CRCs around random header bytes: messages or a header error", 1000, fc.asyncProperty(headerSoup, fc.uint8Array({ maxLength: 20 }), async (headers, body) => {
    const { error } = await decodeAll(chunked(frameAround(headers, body), []));
    if (error) assert.equal(error.problem, "header");
  }));

  family.asyncProperty("random bytes in random chunks: messages or an EventStreamFrameError", 500, fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), cuts, async (bytes, at) => {
    await decodeAll(chunked(bytes, at));
  }));

  for (const context of CONTEXTS) {
    family.property(`${context.label}: any message is an event, an error or a ParseError`, 600, fc.property(eventMessages(context), (m) => {
      outcome(() => readEventMessage(m, context), [ParseError]);
    }));
  }

  const converse = CONTEXTS[0] as EventReadContext;
  family.property("Bedrock ConverseStream: a written event reads back as itself", 300, fc.property(converseEvents, ({ name, value, message: m }) => {
    assert.deepStrictEqual(readEventMessage(m, converse), { kind: "event", event: { [name]: value } });
  }));

  // ---- corpus ----

  family.corpus("a prelude claiming 4 GiB is refused before any byte of it is awaited", async () => {
    const prelude = new Uint8Array(12);
    const view = new DataView(prelude.buffer);
    view.setUint32(0, 0xffffffff);
    view.setUint32(4, 0);
    view.setUint32(8, crc32(prelude.subarray(0, 8)));
    let pulls = 0;
    const source = (async function* () {
      yield prelude;
      // The decoder must fail on the prelude alone; it should never ask for this chunk.
      pulls++;
      yield new Uint8Array(16);
    })();
    const { error } = await decodeAll(source);
    assert.equal(error?.problem, "length");
    assert.equal(pulls, 0);
  });
});
