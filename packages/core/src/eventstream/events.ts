/**
 * From a decoded message to what the caller sees, driven by the event-stream union's shape
 * and the service's own protocol. The message's `:message-type` header says what it is:
 *
 *   event       `:event-type` names the union member; the event structure is read as
 *               { [member]: { ...its fields } }. Its fields come from three places:
 *                 `eventheader` members   the message header of that name, by type
 *                 an `eventpayload` member the whole payload: blob as bytes, string as
 *                                          UTF-8, structure parsed by the protocol
 *                 the other members        the payload as the protocol's body (JSON for
 *                                          awsJson/restJson, XML for restXml, CBOR…)
 *               An event type the model does not know (the service is newer than the
 *               model) gives { $unknown: [eventType, message] }, as unions do elsewhere.
 *               `initial-response` (awsJson services send the non-stream output members
 *               first) is skipped: the stream is this output's only member in every
 *               model here.
 *   exception   `:exception-type` names the union member whose target is a modelled error;
 *               its payload is the error's members. The caller gets it as the modelled
 *               error class, thrown from the iterator (client/steps/event-stream.ts).
 *   error       `:error-code` / `:error-message`: an error the model does not describe.
 *
 * Bodies go through `protocol.parseResponse` with a stand-in operation whose output is the
 * structure to read (only its body members), so every protocol's value rules (timestamps,
 * blobs, unions, `$unknown`) apply to events exactly as to responses, with no second copy.
 */
import { ParseError } from "../errors/index.ts";
import type { ParsedError, Protocol } from "../protocols/protocol.ts";
import { membersOf, type MemberView } from "../schema/normalize.ts";
import type { Member, OperationSchema, ServiceSchema, Shape, StructureShape } from "../schema/types.ts";
import type { HeaderValue } from "./headers.ts";
import type { Message } from "./message.ts";

const PROTOCOL = "event-stream";
const utf8 = new TextDecoder("utf-8");

export interface EventReadContext {
  readonly protocol: Protocol;
  readonly service: ServiceSchema;
  /** The operation whose output carries the stream (its errors name modelled classes). */
  readonly operation: OperationSchema;
  /** The event-stream union. */
  readonly stream: StructureShape;
}

export type ReadEvent =
  /** `{ [member]: value }`, or `{ $unknown: [eventType, message] }`. */
  | { readonly kind: "event"; readonly event: Record<string, unknown> }
  /** A modelled (`exception`) or unmodelled (`error`) error, ready for the error classes. */
  | { readonly kind: "exception" | "error"; readonly error: ParsedError }
  | { readonly kind: "skip" };

export function readEventMessage(message: Message, context: EventReadContext): ReadEvent {
  const messageType = headerString(message, ":message-type");
  switch (messageType) {
    case "event": {
      const eventType = headerString(message, ":event-type");
      if (eventType === undefined) throw new ParseError(PROTOCOL, "an event message has no :event-type header");
      if (eventType === "initial-response") return { kind: "skip" };
      const view = memberNamed(context.stream, eventType);
      if (view === undefined || view.shape.type !== "structure") return { kind: "event", event: { $unknown: [eventType, message] } };
      return { kind: "event", event: { [view.name]: readStructureEvent(message, view.shape, context) } };
    }
    case "exception": {
      const exceptionType = headerString(message, ":exception-type");
      if (exceptionType === undefined) throw new ParseError(PROTOCOL, "an exception message has no :exception-type header");
      const view = memberNamed(context.stream, exceptionType);
      if (view === undefined || view.shape.type !== "structure") {
        return { kind: "exception", error: { code: exceptionType, message: textOf(message.body), fields: {} } };
      }
      const shape = view.shape;
      const fields = readStructureEvent(message, shape, context);
      const text = fields["message"] ?? fields["Message"];
      return {
        kind: "exception",
        error: { code: shape.error?.code ?? shape.name, message: typeof text === "string" ? text : undefined, shape, fields },
      };
    }
    case "error": {
      const code = headerString(message, ":error-code") ?? "UnknownError";
      return { kind: "error", error: { code, message: headerString(message, ":error-message"), fields: {} } };
    }
    default:
      throw new ParseError(PROTOCOL, messageType === undefined ? "a message has no :message-type header" : `unknown :message-type "${messageType}"`);
  }
}

// ── one event structure ──────────────────────────────────────────────────────────────────

/** How a structure's members split between headers, the payload and the body; per shape, cached. */
interface EventLayout {
  readonly headers: readonly MemberView[];
  readonly payload: MemberView | undefined;
  /** The structure holding only the members read from the body (undefined: none). */
  readonly body: StructureShape | undefined;
}

const layouts = new WeakMap<StructureShape, EventLayout>();

function layoutOf(shape: StructureShape): EventLayout {
  let layout = layouts.get(shape);
  if (layout === undefined) {
    const views = membersOf(shape);
    const headers = views.filter((view) => view.member.eventheader === true);
    const payload = views.find((view) => view.member.eventpayload === true);
    const bodyViews = views.filter((view) => view.member.eventheader !== true && view.member.eventpayload !== true);
    let body: StructureShape | undefined;
    if (payload === undefined && bodyViews.length > 0) {
      body = bodyViews.length === views.length
        ? shape
        : { ...shape, members: Object.fromEntries(bodyViews.map((view): [string, Member] => [view.name, view.member])), required: [] };
    }
    layout = { headers, payload, body };
    layouts.set(shape, layout);
  }
  return layout;
}

function readStructureEvent(message: Message, shape: StructureShape, context: EventReadContext): Record<string, unknown> {
  const layout = layoutOf(shape);
  const out: Record<string, unknown> = {};
  for (const view of layout.headers) {
    const header = Object.hasOwn(message.headers, view.wireName) ? message.headers[view.wireName] : undefined;
    if (header !== undefined) out[view.name] = headerMemberValue(header, view);
  }
  if (layout.payload !== undefined) {
    const value = readPayload(message.body, layout.payload, context);
    if (value !== undefined) out[layout.payload.name] = value;
  } else if (layout.body !== undefined) {
    Object.assign(out, parseBody(message.body, layout.body, context));
  }
  return out;
}

function readPayload(body: Uint8Array, view: MemberView, context: EventReadContext): unknown {
  const shape: Shape = view.shape;
  switch (shape.type) {
    case "blob":
      return body;
    case "string":
      return utf8.decode(body);
    case "structure":
      return body.byteLength === 0 ? undefined : parseBody(body, shape, context);
    default:
      throw new ParseError(PROTOCOL, `an event payload of type ${shape.type} (member ${view.name}) is not supported`);
  }
}

/** The protocol reads `structure` from `body`, as it would a response's output. */
function parseBody(body: Uint8Array, structure: StructureShape, context: EventReadContext): Record<string, unknown> {
  const { operation } = context;
  const standIn: OperationSchema = { name: operation.name, http: operation.http, output: structure };
  return context.protocol.parseResponse({ service: context.service, operation: standIn, response: { statusCode: 200, headers: {}, body } });
}

function headerMemberValue(header: HeaderValue, view: MemberView): unknown {
  const { shape } = view;
  const mismatch = (): ParseError =>
    new ParseError(PROTOCOL, `header ${view.wireName} is a ${header.type}, which cannot be member ${view.name} (${shape.type})`);
  switch (shape.type) {
    case "string":
      if (header.type === "string" || header.type === "uuid") return header.value;
      throw mismatch();
    case "boolean":
      if (header.type === "boolean") return header.value;
      throw mismatch();
    case "byte":
    case "short":
    case "integer":
    case "long":
      if (header.type === "byte" || header.type === "short" || header.type === "integer") return header.value;
      if (header.type === "long") return Number(header.value);
      throw mismatch();
    case "blob":
      if (header.type === "binary") return header.value;
      throw mismatch();
    case "timestamp":
      if (header.type === "timestamp") return header.value;
      throw mismatch();
    default:
      throw mismatch();
  }
}

// ── small helpers ────────────────────────────────────────────────────────────────────────

const memberIndex = new WeakMap<StructureShape, ReadonlyMap<string, MemberView>>();

/** The union member an `:event-type` / `:exception-type` names (the member's name). */
function memberNamed(stream: StructureShape, name: string): MemberView | undefined {
  let index = memberIndex.get(stream);
  if (index === undefined) {
    index = new Map(membersOf(stream).map((view) => [view.name, view]));
    memberIndex.set(stream, index);
  }
  return index.get(name);
}

function headerString(message: Message, name: string): string | undefined {
  const header = Object.hasOwn(message.headers, name) ? message.headers[name] : undefined;
  return header?.type === "string" ? header.value : undefined;
}

/** An unmodelled exception's payload as a message (JSON `message` if it has one). */
function textOf(body: Uint8Array): string | undefined {
  if (body.byteLength === 0) return undefined;
  const text = utf8.decode(body.subarray(0, 4096));
  try {
    const data = JSON.parse(text) as unknown;
    if (data !== null && typeof data === "object") {
      const found = (data as Record<string, unknown>)["message"] ?? (data as Record<string, unknown>)["Message"];
      if (typeof found === "string") return found;
    }
  } catch {
    // Not JSON: the text itself is the best message there is.
  }
  return text;
}
