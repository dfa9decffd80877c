/**
 * What a queued stub becomes, checked once when it is added and built afresh for each call:
 *
 *   checkExpectedParams   expected input against the operation's input shape (ANY allowed)
 *   checkResponse         a canned output against the output shape
 *   errorShapeFor         the modelled shape of an error code, for its status, fault and fields
 *   buildOutput           the output a real call would return: `$metadata`, and a streamed
 *                         member (S3 GetObject's Body) as a live ResponseBody or EventStream
 *   buildError            the modelled error class when the service has one, else its base
 *
 * Checking reuses the pipeline's validator, so a stub is held to the rules a real input is:
 * an unknown member (a typo), a wrong type or a missing required member is reported with
 * its path, all at once.
 */
import { streamingOutputMember } from "../client/steps/response.ts";
import type { ServiceDefinition } from "../client/definition.ts";
import type { ValidationProblem } from "../errors/index.ts";
import type { ResponseMetadata, ServiceError, ServiceErrorClass } from "../errors/service-error.ts";
import { toRequestBody } from "../http/request-body.ts";
import { bodyFromBytes, createResponseBody, type ResponseBody } from "../http/response-body.ts";
import { membersOf, resolveShape } from "../schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../schema/types.ts";
import { validateInput } from "../validate/validate.ts";
import { isAny } from "./any.ts";
import { pathTo } from "./compare.ts";

/** What every stubbed result and error carries unless the stub says otherwise. */
export const STUBBED_METADATA: ResponseMetadata = { httpStatusCode: 200, requestId: "stubbed", attempts: 1, totalRetryDelay: 0 };

export function inputShapeOf(operation: OperationSchema): StructureShape | undefined {
  return operation.input ? resolveShape(operation.input) : undefined;
}

/** Problems of expected parameters; a member whose value is ANY passes whatever its shape. */
export function checkExpectedParams(operation: OperationSchema, expected: unknown): ValidationProblem[] {
  const shape = inputShapeOf(operation);
  if (!shape) return membersGiven(expected).map((key) => ({ path: pathTo("input", key), message: `${operation.name} takes no input` }));
  const wildcards = anyPaths(expected, "input");
  return validateInput(shape, expected).filter((problem) => !wildcards.some((path) => covers(path, problem.path)));
}

/** Problems of a canned output (its `$metadata` aside; an event stream must be a list or an async iterable). */
export function checkResponse(operation: OperationSchema, response: Readonly<Record<string, unknown>>): ValidationProblem[] {
  const { $metadata: _metadata, ...members } = response;
  const output: Record<string, unknown> = members;
  const shape = operation.output ? resolveShape(operation.output) : undefined;
  if (!shape) return Object.keys(output).map((key) => ({ path: pathTo("response", key), message: `${operation.name} returns no output` }));
  const problems: ValidationProblem[] = [];
  const events = eventStreamMember(operation);
  if (events !== undefined && output[events] !== undefined) {
    const value = output[events];
    if (!Array.isArray(value) && !isAsyncIterable(value)) {
      problems.push({ path: pathTo("response", events), message: "expected the events as an array or an async iterable" });
    }
    delete output[events];
  }
  return [...problems, ...validateInput(shape, output, "response")];
}

/** The modelled shape of `code`: among the operation's errors first, then every operation's. */
export function errorShapeFor(code: string, operation: OperationSchema, others: readonly OperationSchema[]): StructureShape | undefined {
  for (const candidate of [operation, ...others]) {
    for (const ref of candidate.errors ?? []) {
      const shape = resolveShape(ref);
      if (shape.name === code || shape.error?.code === code) return shape;
    }
  }
  return undefined;
}

/** Problems of an error's modelled fields against its shape. */
export function checkErrorFields(shape: StructureShape, fields: Readonly<Record<string, unknown>>): ValidationProblem[] {
  // The message travels as `message`; the model may name it Message, which the class shows as `message`.
  return validateInput({ ...shape, required: [] }, fields, "modeledFields");
}

/** A fresh output for one call: the canned members, `$metadata`, and live streams. */
export function buildOutput(operation: OperationSchema, response: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $metadata, ...members } = response;
  const output: Record<string, unknown> = { ...members };
  output["$metadata"] = {
    ...STUBBED_METADATA,
    httpStatusCode: operation.http.responseCode ?? 200,
    ...($metadata as Partial<ResponseMetadata> | undefined),
  };
  const streamed = streamingOutputMember(operation);
  if (streamed === undefined) return output;
  const live = eventStreamMember(operation) === streamed ? toEventStream(output[streamed]) : toResponseBody(output[streamed], `response.${streamed}`);
  output[streamed] = live;
  Object.defineProperty(output, Symbol.asyncDispose, { value: () => live.cancel(), enumerable: false });
  return output;
}

export interface ErrorStubSpec {
  readonly code: string;
  readonly message?: string | undefined;
  readonly httpStatusCode?: number | undefined;
  readonly modeledFields?: Readonly<Record<string, unknown>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** A fresh error for one call: the class the real client would pick for `code`. */
export function buildError(definition: ServiceDefinition, shape: StructureShape | undefined, spec: ErrorStubSpec): ServiceError {
  const status = spec.httpStatusCode ?? shape?.error?.httpStatusCode ?? (shape?.fault ? 500 : 400);
  const ErrorClass = errorClassFor(definition, spec.code, shape);
  return new ErrorClass({
    code: spec.code,
    message: spec.message,
    fault: (shape ? shape.fault === true : false) || status >= 500 ? "server" : "client",
    metadata: { ...STUBBED_METADATA, httpStatusCode: status },
    headers: spec.headers,
    fields: spec.modeledFields,
  });
}

function errorClassFor(definition: ServiceDefinition, code: string, shape: StructureShape | undefined): ServiceErrorClass {
  for (const key of [code, shape?.error?.code, shape?.name]) {
    if (key !== undefined && Object.hasOwn(definition.errors, key)) {
      const found = definition.errors[key];
      if (found) return found;
    }
  }
  return definition.baseError;
}

// ── the pieces ──────────────────────────────────────────────────────────────────────────

function eventStreamMember(operation: OperationSchema): string | undefined {
  if (!operation.output) return undefined;
  const shape = resolveShape(operation.output);
  return membersOf(shape).find((view) => view.shape.type === "structure" && view.shape.eventstream === true)?.name;
}

/** A streaming body from what a stub gave: a string or bytes (the usual), a stream, or nothing (empty). */
function toResponseBody(value: unknown, where: string): ResponseBody {
  if (value === undefined || value === null) return bodyFromBytes(new Uint8Array());
  if (isResponseBody(value)) return value;
  const body = toRequestBody(value, where);
  if (typeof body === "string" || body instanceof Uint8Array) return bodyFromBytes(body);
  return createResponseBody({ chunks: body.chunks(), release() {} });
}

function isResponseBody(value: unknown): value is ResponseBody {
  return typeof (value as { text?: unknown } | null)?.text === "function" && typeof (value as { cancel?: unknown }).cancel === "function" && isAsyncIterable(value);
}

/** Events from a list or an async iterable, as the async iterable with `cancel()` a real stream is. */
function toEventStream(value: unknown): AsyncIterable<unknown> & AsyncDisposable & { cancel(): Promise<void> } {
  const source: AsyncIterable<unknown> | Iterable<unknown> = value === undefined || value === null ? [] : (value as AsyncIterable<unknown> | Iterable<unknown>);
  let cancelled = false;
  const stream = {
    async *[Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined> {
      for await (const event of source) {
        if (cancelled) return;
        yield event;
      }
    },
    async cancel(): Promise<void> {
      cancelled = true;
    },
    [Symbol.asyncDispose](): Promise<void> {
      return stream.cancel();
    },
  };
  return stream;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

function membersGiven(value: unknown): string[] {
  return value !== null && typeof value === "object" ? Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined) : [];
}

/** Paths (validator-style) of every ANY inside `value`. */
function anyPaths(value: unknown, path: string, out: string[] = []): string[] {
  if (isAny(value)) out.push(path);
  else if (Array.isArray(value)) value.forEach((item: unknown, i) => anyPaths(item, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) anyPaths(item, pathTo(path, key), out);
  }
  return out;
}

/** Whether a problem at `problem` lies at or under the wildcard at `wildcard`. */
function covers(wildcard: string, problem: string): boolean {
  return problem === wildcard || problem.startsWith(`${wildcard}.`) || problem.startsWith(`${wildcard}[`) || problem.startsWith(`${wildcard} `);
}
