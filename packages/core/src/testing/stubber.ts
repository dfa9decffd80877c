/**
 * `Stubber`: canned responses and errors for a service client, checked against the
 * service's schema, for unit tests of code that calls AWS (botocore's Stubber, rebuilt).
 *
 *   const stubber = new Stubber(ddb);
 *   stubber.add("GetItem", { response: { Item: { id: { S: "ada" } } }, expectedParams: { TableName: "users", Key: ANY } });
 *   stubber.addError("PutItem", { code: "ConditionalCheckFailedException" });
 *   using active = stubber.activate();        // calls now answer from the queue, in order
 *   await codeUnderTest(ddb);
 *   stubber.assertAllConsumed();
 *
 * How: while active, the client's own `send` (the one call every generated method,
 * paginator and waiter goes through) is shadowed by an instance property that answers from
 * the queue; `deactivate()` deletes it and the class's `send` is back. The generated code is
 * untouched, and nothing of the client is resolved while stubbed: no settings, no
 * credentials, no connection, so a client with no region or an unreachable endpoint works.
 *
 * A stubbed call, in order:
 *   1. the real input validation (the same ValidationError a real call throws)
 *   2. the next queued stub must be for this operation, else UnexpectedCallError
 *   3. its expected parameters, if any, must equal the input, else StubMismatchError (a diff)
 *   4. the stub is consumed: its output (with `$metadata`, streams made live), or its error
 *      (the service's modelled class when it has one, else the service's base class)
 *
 * Stubs are checked when added: the operation must exist (else UnknownOperationError with
 * close names), the expected parameters must fit the input shape and the response the
 * output shape (else InvalidStubError listing every problem).
 */
import type { CallOptions } from "../client/call-scope.ts";
import type { ServiceDefinition } from "../client/definition.ts";
import { definitionOf, ServiceClient } from "../client/service-client.ts";
import type { ResponseMetadata } from "../errors/service-error.ts";
import type { EventStream } from "../eventstream/event-stream.ts";
import { isStreamingBodyInput, toRequestBody } from "../http/request-body.ts";
import type { ResponseBody } from "../http/response-body.ts";
import { membersOf } from "../schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../schema/types.ts";
import { validate } from "../client/pipeline.ts";
import { ANY_PARAMS, type Any, type AnyParams } from "./any.ts";
import { differences } from "./compare.ts";
import { InvalidStubError, PendingStubsError, StubberError, StubMismatchError, UnexpectedCallError } from "./errors.ts";
import { findOperation, operationsOf, type ClientOperation, type OperationTable } from "./operations.ts";
import {
  buildError,
  buildOutput,
  checkErrorFields,
  checkExpectedParams,
  checkResponse,
  errorShapeFor,
  inputShapeOf,
  type ErrorStubSpec,
} from "./stub-values.ts";

// ── the types a stub is written in, derived from the client's methods ───────────────────

/** The client method for an operation named either way ("GetItem" or "getItem"). */
type MethodOf<C, N extends string> = N extends keyof C ? C[N] : Uncapitalize<N> extends keyof C ? C[Uncapitalize<N>] : undefined;

/** The operation's input type (a plain record when the name is not a method of the client). */
export type StubInput<C, N extends string> = MethodOf<C, N> extends (input: infer I, ...rest: never[]) => Promise<unknown> ? I : Record<string, unknown>;

/** The operation's output type, without `$metadata`. */
export type StubOutput<C, N extends string> = MethodOf<C, N> extends (...args: never[]) => Promise<infer O> ? Omit<O, "$metadata"> : Record<string, unknown>;

/** Expected parameters: the input with `ANY` allowed in place of any value. */
export type Expected<T> = T extends string | number | bigint | boolean | null | undefined | Date | Uint8Array | Blob | ReadableStream<unknown> | AsyncIterable<unknown>
  ? T | Any
  : T extends readonly (infer E)[]
    ? readonly Expected<E>[] | Any
    : T extends object
      ? { readonly [K in keyof T]: Expected<T[K]> } | Any
      : T | Any;

/** A canned member: a streamed body may be given as a string or bytes, an event stream as a list of events. */
export type CannedValue<V> = V extends ResponseBody
  ? ResponseBody | string | Uint8Array
  : V extends EventStream<infer E>
    ? EventStream<E> | AsyncIterable<E> | readonly E[]
    : V;

/** A canned response: the output's members, and optionally some `$metadata` to use instead of the stub's. */
export type CannedResponse<O> = { readonly [K in keyof O]: CannedValue<O[K]> } & { readonly $metadata?: Partial<ResponseMetadata> };

export interface ResponseStub<I, O> {
  /** The output the call returns (default: empty). */
  readonly response?: CannedResponse<O> | undefined;
  /** The input the call must be made with; `ANY` for a member, `ANY_PARAMS` for the whole input. Default: not checked. */
  readonly expectedParams?: Expected<I> | AnyParams | undefined;
}

export interface ErrorStub<I> {
  /** The service's error code, e.g. "ConditionalCheckFailedException", "NoSuchKey". */
  readonly code: string;
  readonly message?: string | undefined;
  /** Default: the model's status for the error, else 400 (500 for a server fault). */
  readonly httpStatusCode?: number | undefined;
  /** The modelled error's members (e.g. `Item` of ConditionalCheckFailedException), checked against its shape. */
  readonly modeledFields?: Readonly<Record<string, unknown>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly expectedParams?: Expected<I> | AnyParams | undefined;
}

interface QueuedStub {
  readonly operation: ClientOperation;
  readonly expected: unknown;
  /** Builds the result (or throws the error) for the one call that consumes the stub. */
  readonly answer: () => Record<string, unknown>;
}

type SendFunction = (operation: OperationSchema, input: object, options?: CallOptions) => Promise<unknown>;

export class Stubber<C extends ServiceClient = ServiceClient> implements Disposable {
  readonly client: C;
  readonly #definition: ServiceDefinition;
  readonly #queue: QueuedStub[] = [];
  readonly #consumed: string[] = [];
  #operations: OperationTable | undefined;
  #active = false;

  constructor(client: C) {
    if (!(client instanceof ServiceClient)) {
      throw new StubberError(`a Stubber takes a service client (such as new DynamoDB()), got ${describe(client)}`);
    }
    this.client = client;
    this.#definition = definitionOf(client);
  }

  /** The service's id, e.g. "DynamoDB". */
  get service(): string {
    return this.#definition.schema.serviceId;
  }

  /** Operations of the stubs not consumed yet, in the order they will be. */
  get pending(): readonly string[] {
    return this.#queue.map((stub) => stub.operation.name);
  }

  /**
   * Queues a response for the next call of `operation` (botocore's `add_response`). Throws
   * at once when the operation does not exist or the stub does not fit its schema.
   */
  add<N extends string>(operation: N, stub: ResponseStub<StubInput<C, N>, StubOutput<C, N>> = {}): this {
    const found = this.#find(operation);
    const response = (stub.response ?? {}) as Readonly<Record<string, unknown>>;
    const expected = this.#checkExpected(found, stub.expectedParams);
    const problems = checkResponse(found.schema, response);
    if (problems.length > 0) throw new InvalidStubError(found.name, "stubbed response", problems);
    this.#queue.push({ operation: found, expected, answer: () => buildOutput(found.schema, response) });
    return this;
  }

  /**
   * Queues a service error for the next call of `operation` (botocore's `add_client_error`):
   * the service's modelled class for `code` when it has one, so `instanceof` works as with
   * a real answer, else the service's base error class with that code.
   */
  addError<N extends string>(operation: N, stub: ErrorStub<StubInput<C, N>>): this {
    const found = this.#find(operation);
    if (typeof stub.code !== "string" || stub.code === "") throw new StubberError(`addError("${found.name}") needs the error's code`);
    const expected = this.#checkExpected(found, stub.expectedParams);
    const shape = errorShapeFor(stub.code, found.schema, this.#table().all.map((other) => other.schema));
    if (stub.modeledFields !== undefined) {
      if (!shape) {
        throw new InvalidStubError(found.name, `stubbed error ${stub.code}`, [
          { path: "modeledFields", message: `${stub.code} is not an error ${this.service} models, so it has no fields to set` },
        ]);
      }
      const problems = checkErrorFields(shape, stub.modeledFields);
      if (problems.length > 0) throw new InvalidStubError(found.name, `stubbed error ${stub.code}`, problems);
    }
    const spec: ErrorStubSpec = stub;
    this.#queue.push({
      operation: found,
      expected,
      answer: () => {
        throw buildError(this.#definition, shape, spec);
      },
    });
    return this;
  }

  /** From now on the client answers from the queue and sends nothing. Returns the stubber, for `using`. */
  activate(): this {
    if (this.#active) return this;
    if (Object.hasOwn(this.client, "send")) throw new StubberError(`this ${this.service} client is already stubbed (deactivate the other Stubber first)`);
    const send: SendFunction = (operation, input, options) => this.#answer(operation, input, options);
    Object.defineProperty(this.client, "send", { value: send, configurable: true, writable: true, enumerable: false });
    this.#active = true;
    return this;
  }

  /** The client sends real requests again. Queued stubs stay queued. */
  deactivate(): void {
    if (!this.#active) return;
    delete (this.client as { send?: unknown }).send;
    this.#active = false;
  }

  /** Throws PendingStubsError when stubs were queued and never consumed (botocore's `assert_no_pending_responses`). */
  assertAllConsumed(): void {
    if (this.#queue.length > 0) throw new PendingStubsError(this.pending);
  }

  [Symbol.dispose](): void {
    this.deactivate();
  }

  // ── a stubbed call ──────────────────────────────────────────────────────────────────

  async #answer(operation: OperationSchema, input: object | undefined | null, options: CallOptions | undefined): Promise<Record<string, unknown>> {
    // 1. The real validation: the same ValidationError as a real call.
    const values = validate(operation, input);
    options?.signal?.throwIfAborted();

    // 2. The next stub must be for this operation.
    const next = this.#queue[0];
    if (!next) {
      const before = this.#consumed.length > 0 ? ` (${this.#consumed.length} consumed before: ${this.#consumed.join(", ")})` : "";
      throw new UnexpectedCallError(operation.name, undefined, `unexpected call: ${this.service}.${operation.name} was called, but no stubbed response is queued${before}`);
    }
    if (next.operation.name !== operation.name) {
      const later = this.#queue.length > 1 ? `, then ${this.pending.slice(1).join(", ")}` : "";
      throw new UnexpectedCallError(
        operation.name,
        next.operation.name,
        `unexpected call: ${this.service}.${operation.name} was called, but the next stubbed response is for ${next.operation.name}${later}`,
      );
    }
    this.#queue.shift();

    // 3. Its expected parameters (a streamed body is read first, as sending would).
    if (next.expected !== undefined && next.expected !== ANY_PARAMS) {
      const shape = inputShapeOf(operation);
      const actual = shape ? await withStreamsRead(shape, values) : values;
      const found = differences(shape, next.expected, actual);
      if (found.length > 0) {
        this.#queue.unshift(next);
        throw new StubMismatchError(`${this.service}.${operation.name}`, found);
      }
    }

    // 4. Consumed: the output, or the error thrown.
    this.#consumed.push(operation.name);
    return next.answer();
  }

  #checkExpected(operation: ClientOperation, expected: unknown): unknown {
    if (expected === undefined || expected === ANY_PARAMS) return expected;
    const problems = checkExpectedParams(operation.schema, expected);
    if (problems.length > 0) throw new InvalidStubError(operation.name, "expected parameters", problems);
    return expected;
  }

  #find(name: string): ClientOperation {
    return findOperation(this.#table(), this.service, name);
  }

  #table(): OperationTable {
    this.#operations ??= operationsOf(this.client);
    return this.#operations;
  }
}

/** The input with each streamed member (a Blob, a stream) read into bytes, so it compares by content. */
async function withStreamsRead(shape: StructureShape, values: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>> {
  let copy: Record<string, unknown> | undefined;
  for (const view of membersOf(shape)) {
    const value = values[view.name];
    if (!isStreamingBodyInput(value)) continue;
    const body = toRequestBody(value, `input.${view.name}`);
    copy ??= { ...values };
    copy[view.name] = typeof body === "string" || body instanceof Uint8Array ? body : await body.bytes();
  }
  return copy ?? values;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  return `a ${(Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? "object"}`;
}
