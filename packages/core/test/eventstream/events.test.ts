// Messages read as the union's events by the model and the service's protocol: header-bound
// members (which no model generated here uses yet), blob and structure payloads, body
// members as JSON and XML, modelled exceptions, unmodelled errors, unknown event types.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError } from "../../src/errors/index.ts";
import { readEventMessage, type EventReadContext } from "../../src/eventstream/events.ts";
import type { Message, MessageHeaders } from "../../src/eventstream/index.ts";
import { PROTOCOLS } from "../../src/protocols/index.ts";
import type { OperationSchema, ProtocolName, ScalarShape, StructureShape } from "../../src/schema/types.ts";

const Str: ScalarShape = { type: "string" };
const Long: ScalarShape = { type: "long" };
const Time: ScalarShape = { type: "timestamp" };
const Bytes: ScalarShape = { type: "blob" };
const Stats: StructureShape = { type: "structure", name: "Stats", members: { Scanned: { target: Long }, Returned: { target: Long } } };
const RecordsEvent: StructureShape = { type: "structure", name: "RecordsEvent", members: { Payload: { target: Bytes, eventpayload: true } }, event: true };
const StatsEvent: StructureShape = { type: "structure", name: "StatsEvent", members: { Details: { target: Stats, eventpayload: true } }, event: true };
const TaggedEvent: StructureShape = {
  type: "structure",
  name: "TaggedEvent",
  members: {
    id: { target: Str, eventheader: true },
    seq: { target: Long, eventheader: true },
    at: { target: Time, eventheader: true },
    text: { target: Str },
    count: { target: Long },
  },
  event: true,
};
const TextEvent: StructureShape = { type: "structure", name: "TextEvent", members: { Body: { target: Str, eventpayload: true } }, event: true };
const Boom: StructureShape = {
  type: "structure",
  name: "BoomException",
  members: { message: { target: Str }, reason: { target: Str } },
  exception: true,
  error: { httpStatusCode: 400, senderFault: true },
};
const Stream: StructureShape = {
  type: "structure",
  name: "TestStream",
  members: {
    Records: { target: RecordsEvent },
    Stats: { target: StatsEvent },
    Tagged: { target: TaggedEvent },
    Text: { target: TextEvent },
    boom: { target: Boom },
  },
  eventstream: true,
};
const operation: OperationSchema = { name: "Select", http: { method: "POST", requestUri: "/" } };

function context(protocol: ProtocolName): EventReadContext {
  return {
    protocol: PROTOCOLS[protocol],
    service: { serviceId: "Test", apiVersion: "2020-01-01", protocol, signingName: "test", endpointPrefix: "test" },
    operation,
    stream: Stream,
  };
}

const str = (value: string) => ({ type: "string" as const, value });
function message(headers: MessageHeaders, body = ""): Message {
  return { headers, body: new TextEncoder().encode(body) };
}
const event = (type: string, extra: MessageHeaders = {}, body = ""): Message =>
  message({ ":message-type": str("event"), ":event-type": str(type), ...extra }, body);

test("header-bound members come from the message headers, the rest from the JSON body", () => {
  for (const protocol of ["rest-json", "json"] as const) {
    const read = readEventMessage(
      event("Tagged", { id: str("abc"), seq: { type: "long", value: 42n }, at: { type: "timestamp", value: new Date(5000) } }, '{"text":"hi","count":3,"id":"ignored"}'),
      context(protocol),
    );
    assert.deepEqual(read, { kind: "event", event: { Tagged: { id: "abc", seq: 42, at: new Date(5000), text: "hi", count: 3 } } }, protocol);
  }
});

test("restXml bodies and payloads: a structure payload as XML, a blob payload as bytes, a string as text", () => {
  const stats = readEventMessage(event("Stats", {}, "<Stats><Scanned>10</Scanned><Returned>2</Returned></Stats>"), context("rest-xml"));
  assert.deepEqual(stats, { kind: "event", event: { Stats: { Details: { Scanned: 10, Returned: 2 } } } });
  const records = readEventMessage(event("Records", {}, "a,b\n1,2\n"), context("rest-xml"));
  assert.equal(records.kind, "event");
  const payload = (records as unknown as { event: { Records: { Payload: Uint8Array } } }).event.Records.Payload;
  assert.ok(payload instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(payload), "a,b\n1,2\n");
  assert.deepEqual(readEventMessage(event("Text", {}, "plain ✓"), context("rest-json")), { kind: "event", event: { Text: { Body: "plain ✓" } } });
  const tagged = readEventMessage(event("Tagged", { id: str("x") }, "<TaggedEvent><text>in xml</text></TaggedEvent>"), context("rest-xml"));
  assert.deepEqual(tagged, { kind: "event", event: { Tagged: { id: "x", text: "in xml" } } });
});

test("an exception event is the modelled error with its fields; an error event its code and message", () => {
  const read = readEventMessage(
    message({ ":message-type": str("exception"), ":exception-type": str("boom") }, '{"message":"it broke","reason":"r"}'),
    context("rest-json"),
  );
  assert.equal(read.kind, "exception");
  const { error } = read as { error: { code: string; message?: string; shape?: StructureShape; fields: Record<string, unknown> } };
  assert.equal(error.code, "BoomException");
  assert.equal(error.message, "it broke");
  assert.equal(error.shape, Boom);
  assert.deepEqual(error.fields, { message: "it broke", reason: "r" });

  const unmodelled = readEventMessage(message({ ":message-type": str("exception"), ":exception-type": str("newThing") }, '{"Message":"later"}'), context("json"));
  assert.deepEqual(unmodelled, { kind: "exception", error: { code: "newThing", message: "later", fields: {} } });

  const failure = readEventMessage(message({ ":message-type": str("error"), ":error-code": str("InternalFailure"), ":error-message": str("oops") }), context("json"));
  assert.deepEqual(failure, { kind: "error", error: { code: "InternalFailure", message: "oops", fields: {} } });
});

test("unknown event types are kept as $unknown; initial-response is skipped; malformed messages are ParseErrors", () => {
  const unknown = event("FromTheFuture", {}, "{}");
  assert.deepEqual(readEventMessage(unknown, context("json")), { kind: "event", event: { $unknown: ["FromTheFuture", unknown] } });
  assert.deepEqual(readEventMessage(event("initial-response", {}, "{}"), context("json")), { kind: "skip" });
  assert.throws(() => readEventMessage(message({}), context("json")), (e: unknown) => e instanceof ParseError && /no :message-type/.test(e.message));
  assert.throws(() => readEventMessage(message({ ":message-type": str("weird") }), context("json")), ParseError);
  assert.throws(() => readEventMessage(event("Tagged", { seq: str("not a number") }), context("json")), (e: unknown) => e instanceof ParseError && /header seq/.test(e.message));
  assert.throws(() => readEventMessage(event("Tagged", {}, "{not json"), context("rest-json")), ParseError);
});
