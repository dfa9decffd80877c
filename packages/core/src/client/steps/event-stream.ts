/**
 * Phase 16 for an output whose member is an event stream (Bedrock ConverseStream, S3
 * SelectObjectContent, Lambda InvokeWithResponseStream, Kinesis SubscribeToShard…): the
 * live body the pipeline attached to that member is replaced by an `EventStream`, the
 * async iterable of the union's events.
 *
 *   body chunks ─decodeMessages─▶ frames ─readEventMessage─▶ event  → yielded
 *                                                             exception/error → thrown as
 *                                                             the modelled class (else the
 *                                                             service's base class), with
 *                                                             the response's `$metadata`
 *
 * Which member: the output's payload member when it targets an event stream (REST
 * protocols), else any member that does (awsJson: the whole body is the stream).
 * Leaving the loop early (break, return, a throw in the loop body), `cancel()` and
 * `await using` all release the connection through the body (response-body.ts); so does an
 * exception event. A stream is read once.
 */
import type { ResponseMetadata } from "../../errors/service-error.ts";
import type { ResponseBody } from "../../http/response-body.ts";
import { decodeMessages } from "../../eventstream/decoder.ts";
import type { EventStream } from "../../eventstream/event-stream.ts";
import { readEventMessage, type EventReadContext } from "../../eventstream/events.ts";
import type { FrameLimits } from "../../eventstream/message.ts";
import type { Protocol, RawResponse } from "../../protocols/protocol.ts";
import { membersOf, payloadMember, resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../../schema/types.ts";
import type { ServiceDefinition } from "../definition.ts";
import { toServiceError } from "./response.ts";

export interface EventStreamMember {
  readonly name: string;
  /** The event-stream union. */
  readonly shape: StructureShape;
}

const members = new WeakMap<OperationSchema, EventStreamMember | null>();

/** The output member that is an event stream, if the operation has one (cached per operation). */
export function eventStreamMember(operation: OperationSchema): EventStreamMember | undefined {
  let found = members.get(operation);
  if (found === undefined) {
    found = null;
    if (operation.output) {
      const output = resolveShape(operation.output);
      const payload = payloadMember(output);
      const candidates = payload ? [payload] : membersOf(output);
      for (const view of candidates) {
        if (view.shape.type === "structure" && view.shape.eventstream === true) {
          found = { name: view.name, shape: view.shape };
          break;
        }
      }
    }
    members.set(operation, found);
  }
  return found ?? undefined;
}

export interface EventStreamCall {
  readonly definition: ServiceDefinition;
  readonly protocol: Protocol;
  readonly operation: OperationSchema;
  /** The response (body not read): its status and headers go on errors from the stream. */
  readonly response: RawResponse;
  readonly metadata: ResponseMetadata;
  readonly limits?: FrameLimits | undefined;
}

/**
 * If `member` is the operation's event stream, replaces the live body at `output[member]`
 * with the stream of its events. Other outputs are left as they are.
 */
export function attachEventStream(output: Record<string, unknown>, member: string, call: EventStreamCall): void {
  const stream = eventStreamMember(call.operation);
  if (stream === undefined || stream.name !== member) return;
  output[member] = new DecodedEventStream(output[member] as ResponseBody, {
    protocol: call.protocol,
    service: call.definition.schema,
    operation: call.operation,
    stream: stream.shape,
  }, call);
}

class DecodedEventStream implements EventStream<Record<string, unknown>> {
  readonly #body: ResponseBody;
  readonly #context: EventReadContext;
  readonly #call: EventStreamCall;

  constructor(body: ResponseBody, context: EventReadContext, call: EventStreamCall) {
    this.#body = body;
    this.#context = context;
    this.#call = call;
  }

  [Symbol.asyncIterator](): AsyncIterator<Record<string, unknown>> {
    return this.#events();
  }

  cancel(reason?: unknown): Promise<void> {
    return this.#body.cancel(reason);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cancel();
  }

  async *#events(): AsyncGenerator<Record<string, unknown>, void, undefined> {
    const { definition, response, metadata, limits } = this.#call;
    // Leaving this loop in any way returns the decoder, which returns the body's iterator,
    // which releases the connection.
    for await (const message of decodeMessages(this.#body, limits)) {
      const read = readEventMessage(message, this.#context);
      switch (read.kind) {
        case "event":
          yield read.event;
          break;
        case "skip":
          break;
        case "exception":
        case "error":
          throw toServiceError(definition, read.error, response, metadata);
      }
    }
  }
}
