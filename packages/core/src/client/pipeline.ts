/**
 * The life of one call, top to bottom, in this one file. The shape is smithy-rs's
 * orchestrator: `invokeOperation` is its `try_op` (everything done once per call, then the
 * attempt loop), `tryAttempt` its `try_attempt` (everything done once per attempt). Each
 * numbered phase below is a commented block that calls one named function; the functions
 * live in ./steps and in the folder that owns the concern (validate/, protocols/,
 * signing/, retry/, http/).
 *
 *   invokeOperation                                    once per call
 *      1. validate        every problem with the input at once; nothing is sent if any
 *      2. settings        the client's runtime (region, credentials…), resolved on its first call
 *      prepareRequest
 *         3. serialize    the protocol writes the request, relative to a host not known yet
 *         4. endpoint     the rule set picks URL and signing name/region; applied to the request
 *         5. compress     gzip the body when the operation accepts it
 *         6. checksum     flexible checksums (header, or an aws-chunked trailer for a
 *                         stream), then Content-MD5 for the legacy trait; a streaming
 *                         body is read into memory here for services that sign its hash
 *      per attempt:
 *      7. send token      adaptive retry mode may hold an attempt back
 *      tryAttempt                                       once per attempt
 *         8. retry headers  amz-sdk-invocation-id (same every attempt), amz-sdk-request
 *         9. user agent
 *        10. beforeSign     hooks: the service's, then the client's
 *        11. sign           SigV4 at the corrected clock; credentials resolved here
 *            ── `buildRequest` stops here: the request that would be sent ──
 *        12. send           the transport resolves when the response headers are in
 *        13. read body      buffered; a streamed output payload is left live for the caller
 *        14. clock          learn the server's time from `Date` (clock-skew correction)
 *        15. afterResponse  hooks
 *        16. parse          the output (+ afterParse hooks), or the ServiceError; an
 *                           event-stream member becomes an async iterable of events
 *     17. redirect        a service hook may send the call once more, at once, to another
 *                         region (S3's x-amz-bucket-region): 3–6 run again for that region
 *         retry decision  the strategy: throttling/transient/connection after a backoff;
 *                         clock skew and an expired token resent at once (the latter after
 *                         the credentials are invalidated and resolved again)
 *     18. metadata        `$metadata` on the result, or on the error thrown
 *
 * A retried request is the same request: phases 3–6 run once, so the body bytes and any
 * idempotency token are identical on every attempt; only what 8–11 add differs (the
 * attempt number, the date and the signature). A body that is a one-shot stream
 * (http/request-body.ts) can only keep that promise until its first byte was read: a
 * failure after that is not retried, and the error says so.
 *
 * Failures that end the call at once, without a retry decision: a ValidationError, an
 * endpoint or credential or signing error, the caller's abort (AbortError) and the call's
 * deadline (TimeoutError "call"). Everything a retry might cure goes through phase 16:
 * service errors, and transport errors flagged `isConnectionError` (NetworkError, and
 * the per-attempt TimeoutErrors "connect" / "request" / "idle").
 */
import { abandonable } from "../abort/index.ts";
import type { Credentials } from "../credentials/credentials.ts";
import { ValidationError } from "../errors/index.ts";
import type { CallMetadata } from "../errors/index.ts";
import { ServiceError, type ResponseMetadata } from "../errors/service-error.ts";
import type { HttpResponse } from "../http/http-handler.ts";
import { cloneRequest, type HttpRequest } from "../http/http-request.ts";
import { RequestBody } from "../http/request-body.ts";
import { createResponseBody, type ResponseBody } from "../http/response-body.ts";
import type { RawResponse } from "../protocols/protocol.ts";
import { isClockSkewErrorCode, type AttemptOutcome } from "../retry/classify.ts";
import { parseRetryAfter } from "../retry/backoff.ts";
import type { RetryCall } from "../retry/strategy.ts";
import { resolveShape } from "../schema/normalize.ts";
import type { OperationSchema } from "../schema/types.ts";
import { validateInput } from "../validate/validate.ts";
import { CallScope, type CallOptions } from "./call-scope.ts";
import { runAfterParse, runAfterResponse, runBeforeSign, runRedirect, type HookContext } from "./hooks.ts";
import type { ClientRuntime } from "./runtime.ts";
import { compressRequest } from "./steps/compress-request.ts";
import { applyChecksums, checkedChunks, checkResponseBytes, expectedResponseChecksum, type ExpectedChecksum } from "./steps/checksum.ts";
import { applyContentMd5 } from "./steps/content-md5.ts";
import { attachEventStream } from "./steps/event-stream.ts";
import { applyEndpoint, endpointParameters, RELATIVE_ENDPOINT, resolveCallEndpoint, type CallEndpoint } from "./steps/endpoint.ts";
import { debugSafely, exchangeLog } from "./steps/log-exchange.ts";
import {
  isSuccess,
  parseFailure,
  parseOutput,
  readResponse,
  requestIdsOf,
  streamingOutputMember,
  toServiceError,
} from "./steps/response.ts";
import { signAttempt } from "./steps/sign.ts";
import { withUserAgent } from "./steps/user-agent.ts";

/** A call's result: the operation's output plus what every result carries. */
export type Output<O> = O & { readonly $metadata: ResponseMetadata };

/** The client's runtime, resolved on first use (2. settings). */
export type RuntimeSource = () => Promise<ClientRuntime>;

/** Phases 3–6 done: the request every attempt starts from. */
export interface PreparedRequest {
  readonly operation: OperationSchema;
  readonly input: Readonly<Record<string, unknown>>;
  /** Serialized, endpoint applied, compressed, checksummed. Attempts copy it, never change it. */
  readonly request: HttpRequest;
  readonly endpoint: CallEndpoint;
}

/** What `buildRequest` returns: the first attempt's request, signed, as it would be sent. */
export interface BuiltRequest {
  readonly request: HttpRequest;
  readonly prepared: PreparedRequest;
  readonly signingDate: Date;
}

// ── try_op ─────────────────────────────────────────────────────────────────────────────

export async function invokeOperation<O extends object>(
  source: RuntimeSource,
  operation: OperationSchema,
  input: object,
  options: CallOptions = {},
): Promise<Output<O>> {
  const call = new CallScope(options);
  const metadata: { attempts: number; totalRetryDelay: number } = { attempts: 0, totalRetryDelay: 0 };
  let streamedBody = false;
  try {
    // 1. Validate: every problem at once, before anything is built or resolved.
    const values = validate(operation, input);

    // 2. Settings: the client's runtime, resolved once per client.
    const runtime = await abandonable(source(), call.signal);

    // 3–6. Serialize, endpoint, compress, checksum: once per call (once more if redirected, 17).
    let prepared = await prepareRequest(runtime, operation, values);
    let redirected = false;
    const retry = runtime.retry.newCall();

    for (let attempt = 1; ; attempt++) {
      // 7. Send token: adaptive mode may hold the attempt back (0 elsewhere).
      await waitForSendToken(retry, attempt, call);

      metadata.attempts = attempt;
      const result = await tryAttempt(runtime, prepared, retry, attempt, call, metadata);
      if (result.ok) {
        retry.onSuccess();
        if (runtime.logger) debugSafely(runtime.logger, `${runtime.definition.schema.serviceId}.${operation.name} succeeded`, () => ({ ...metadata }));
        streamedBody = result.streamed;
        // 18. Metadata: already on the output (it is final once an attempt succeeds).
        return result.output as Output<O>;
      }

      // 17. Redirect: once per call, at once, outside the retry strategy (the request was
      //     not wrong, only sent to the wrong region). A one-shot body already sent cannot go again.
      const region = redirected ? undefined : redirectRegion(runtime, prepared, result.error, attempt);
      if (region !== undefined && canResend(prepared.request)) {
        logAttemptFailure(runtime, operation, attempt, result.error, { retry: true, kind: "redirect", delayMs: 0 });
        prepared = await prepareRequest(runtime, operation, values, region);
        redirected = true;
        continue;
      }

      //     Retry decision.
      const decision = retry.decide(result.outcome, attempt);
      // A one-shot stream whose first byte went out cannot be sent again.
      const resendable = !decision.retry || canResend(prepared.request);
      logAttemptFailure(runtime, operation, attempt, result.error, resendable ? decision : { retry: false, kind: decision.kind, reason: "one-shot-body" });
      if (!decision.retry) throw result.error;
      if (!resendable) throw notResent(result.error, prepared.request);
      // Only the credentials this attempt was refused: concurrent calls share one refresh.
      if (decision.kind === "expired-token") runtime.credentials.invalidate(result.credentials);
      await call.sleep(decision.delayMs);
      metadata.totalRetryDelay += decision.delayMs;
    }
  } catch (error) {
    // 18. Metadata on the error.
    throw withCallMetadata(call.failure(error), metadata);
  } finally {
    call.close(streamedBody);
  }
}

/** The stop point before send: phases 1–11 for a first attempt, without sending. */
export async function buildRequest(
  source: RuntimeSource,
  operation: OperationSchema,
  input: object,
  options: CallOptions = {},
): Promise<BuiltRequest> {
  const call = new CallScope(options);
  try {
    const values = validate(operation, input);
    const runtime = await abandonable(source(), call.signal);
    const prepared = await prepareRequest(runtime, operation, values);
    const { request, signingDate } = await buildAttempt(runtime, prepared, runtime.retry.newCall(), 1, call);
    return { request, prepared, signingDate };
  } catch (error) {
    throw call.failure(error);
  } finally {
    call.close();
  }
}

/** Phases 3–6, on input that passed validation; `region` replaces the client's for a redirected call (17). */
export async function prepareRequest(
  runtime: ClientRuntime,
  operation: OperationSchema,
  values: Readonly<Record<string, unknown>>,
  region?: string,
): Promise<PreparedRequest> {
  const context: HookContext = { operation, input: values, attempt: 0 };

  // 3. Serialize: the protocol writes method, path, query, headers and body (no host yet).
  const { definition } = runtime;
  let request = runtime.protocol.serializeRequest({
    service: definition.schema,
    operation,
    input: values,
    endpoint: RELATIVE_ENDPOINT,
  });

  // 4. Endpoint: rule-set parameters → URL and signing target; applied to the request.
  const settings = region === undefined ? runtime.endpoint : { ...runtime.endpoint, region };
  const params = endpointParameters(settings, operation, values, runtime.hooks, context);
  const endpoint = resolveCallEndpoint(settings, operation, params);
  request = applyEndpoint(request, endpoint);

  // 5. Compress: gzip the body when the operation's requestCompression trait allows it.
  request = compressRequest(request, operation, runtime.compression);

  // 6. Checksum: flexible checksums (header, or aws-chunked trailer for a one-shot stream),
  //    then Content-MD5 for the legacy trait. Async: a Blob is read for its checksum, and a
  //    stream is read into memory for a service that signs the payload hash.
  request = await applyChecksums(request, operation, endpoint.signing, runtime.checksums);
  request = applyContentMd5(request, operation);

  return { operation, input: values, request, endpoint };
}

// ── try_attempt ────────────────────────────────────────────────────────────────────────

type AttemptResult =
  | { readonly ok: true; readonly output: Record<string, unknown>; readonly streamed: boolean }
  | { readonly ok: false; readonly error: unknown; readonly outcome: AttemptOutcome; readonly credentials?: Credentials | undefined };

async function tryAttempt(
  runtime: ClientRuntime,
  prepared: PreparedRequest,
  retry: RetryCall,
  attempt: number,
  call: CallScope,
  metadata: { readonly attempts: number; readonly totalRetryDelay: number },
): Promise<AttemptResult> {
  const { operation } = prepared;
  const context: HookContext = { operation, input: prepared.input, attempt };

  // 8–11. Retry headers, user agent, beforeSign hooks, signature.
  const { request, signingDate, credentials } = await buildAttempt(runtime, prepared, retry, attempt, call);

  // 12. Send: resolves when the status and headers have arrived. With `logHttp`, the
  //     request and (after 13) the response are logged, redacted (steps/log-exchange.ts).
  const wire = exchangeLog(runtime, operation, attempt);
  wire?.request(request);
  let response: HttpResponse;
  try {
    response = await runtime.http.handle(request, { signal: call.signal });
  } catch (error) {
    return connectionFailure(error, call);
  }

  // 13. Read the body: buffered, unless the output's payload is a stream the caller reads.
  const streamMember = streamingOutputMember(operation);
  const streamed = streamMember !== undefined && isSuccess(response.statusCode);
  let raw: RawResponse;
  try {
    raw = await readResponse(response, streamed);
  } catch (error) {
    return connectionFailure(error, call);
  }
  wire?.response(raw, streamed);

  try {
    // 14. Clock: learn the server's time; note whether this attempt was signed off it.
    const skewed = runtime.clock.correct(raw.headers["date"], signingDate);

    // 15. afterResponse hooks (may turn a 200 into a failure).
    raw = runAfterResponse(runtime.hooks, raw, context);
    if (streamed && !isSuccess(raw.statusCode)) {
      // A hook failed a streamed response: its body is the error document after all.
      raw = { ...raw, body: await response.body.bytes() };
    }

    // 16. Parse: the output, or the service's error. A checksum the call asked for is
    //     checked first (buffered body) or while the caller reads (streamed body).
    if (isSuccess(raw.statusCode)) {
      const expected = expectedResponseChecksum(operation, prepared.request, raw.headers);
      if (expected !== undefined && !streamed) checkResponseBytes(raw.body, expected);
      const output = parseOutput(runtime.protocol, runtime.definition.schema, operation, raw);
      runAfterParse(runtime.hooks, output, context, raw);
      output["$metadata"] = responseMetadata(runtime, raw, metadata);
      if (streamed && streamMember !== undefined) {
        attachStream(output, streamMember, response.body, call, expected);
        // An event stream: the live body becomes the async iterable of its events.
        attachEventStream(output, streamMember, {
          definition: runtime.definition,
          protocol: runtime.protocol,
          operation,
          response: raw,
          metadata: output["$metadata"] as ResponseMetadata,
        });
      }
      return { ok: true, output, streamed };
    }
    const parsed = parseFailure(runtime.protocol, runtime.definition.schema, operation, raw);
    const ids = requestIdsOf(runtime.protocol, raw);
    const error = toServiceError(runtime.definition, parsed, raw, {
      httpStatusCode: raw.statusCode,
      requestId: parsed.requestId ?? ids.requestId,
      extendedRequestId: parsed.extendedRequestId ?? ids.extendedRequestId,
      attempts: metadata.attempts,
      totalRetryDelay: metadata.totalRetryDelay,
    });
    return { ok: false, error, outcome: serviceOutcome(error, parsed.shape?.retryable, raw, skewed), credentials };
  } catch (error) {
    // A stream nobody will get (a hook or the parser threw): give its socket back.
    if (streamed && !response.body.bodyUsed) await response.body.cancel();
    throw error;
  }
}

/** Phases 8–11: the attempt's signed request, from the prepared one (which stays as it was). */
async function buildAttempt(
  runtime: ClientRuntime,
  prepared: PreparedRequest,
  retry: RetryCall,
  attempt: number,
  call: CallScope,
): Promise<{ request: HttpRequest; signingDate: Date; credentials: Credentials | undefined }> {
  const { operation } = prepared;

  // 8. Retry headers: one invocation id per call, this attempt's number of the maximum.
  let request = withHeaders(prepared.request, { ...retry.invocationIdHeader(), ...retry.requestHeader(attempt) });

  // 9. User agent.
  request = withUserAgent(request, runtime.userAgent);

  // 10. beforeSign hooks.
  request = runBeforeSign(runtime.hooks, request, { operation, input: prepared.input, attempt });

  // 11. Sign with the corrected clock (credentials resolved here; cached by the provider).
  const target = prepared.endpoint.signing;
  const credentials = target.scheme === "none" ? undefined : await resolveCredentials(runtime, call);
  const signingDate = runtime.clock.now();
  request = signAttempt({ request, operation, target, credentials, signingDate });
  return { request, signingDate, credentials };
}

// ── the small pieces the phases above call ─────────────────────────────────────────────

/** 1: the input as a record, or a ValidationError listing every problem. No input means `{}`. */
export function validate(operation: OperationSchema, input: object | undefined | null): Readonly<Record<string, unknown>> {
  const given: object = input ?? {};
  const structure = operation.input ? resolveShape(operation.input) : undefined;
  const problems = structure
    ? validateInput(structure, given)
    : Object.keys(given).map((key) => ({ path: `input.${key}`, message: `${operation.name} takes no input` }));
  if (problems.length > 0) throw new ValidationError(operation.name, problems);
  return given as Readonly<Record<string, unknown>>;
}

/** 17: whether the prepared request's body can go out again (see request-body.ts). */
function canResend(request: HttpRequest): boolean {
  return !(request.body instanceof RequestBody) || request.body.canSend;
}

/** 17: a retryable failure that is not retried because its one-shot body was already read: the error says so. */
function notResent(error: unknown, request: HttpRequest): unknown {
  const description = request.body instanceof RequestBody ? request.body.description : "a stream";
  if (error instanceof Error) {
    error.message +=
      ` (not retried: the request body, ${description}, is a stream that was already read and cannot be sent again;` +
      " pass bytes, a string, a Blob or RequestBody.replayable(() => stream) to make the call retryable)";
  }
  return error;
}

/**
 * 17: the region a service hook redirects this failure to, if any. A redirect to the region
 * the request was already signed for would only repeat it.
 */
function redirectRegion(runtime: ClientRuntime, prepared: PreparedRequest, error: unknown, attempt: number): string | undefined {
  if (!(error instanceof ServiceError)) return undefined;
  const context: HookContext = { operation: prepared.operation, input: prepared.input, attempt };
  const region = runRedirect(runtime.hooks, error, context)?.region;
  const signing = prepared.endpoint.signing;
  return signing.scheme === "sigv4" && region === signing.region ? undefined : region;
}

/** 7: loops while the adaptive rate limiter says "wait". */
async function waitForSendToken(retry: RetryCall, attempt: number, call: CallScope): Promise<void> {
  for (let ms = retry.beforeAttempt(attempt); ms > 0; ms = retry.beforeAttempt(attempt)) await call.sleep(ms);
}

function withHeaders(request: HttpRequest, headers: Readonly<Record<string, string>>): HttpRequest {
  const out = cloneRequest(request);
  Object.assign(out.headers, headers);
  return out;
}

function resolveCredentials(runtime: ClientRuntime, call: CallScope): Promise<Credentials> {
  return runtime.credentials.resolve({ signal: call.signal });
}

/** 12/13: a transport failure is retryable when it says so; the call's own abort is not. */
function connectionFailure(error: unknown, call: CallScope): AttemptResult {
  if (call.signal.aborted) throw call.signal.reason;
  if ((error as { isConnectionError?: unknown } | null)?.isConnectionError === true) {
    return { ok: false, error, outcome: { isConnectionError: true } };
  }
  throw error;
}

/** 16: what the retry strategy needs to know about a service error. */
function serviceOutcome(
  error: ServiceError,
  retryable: { readonly throttling?: boolean } | undefined,
  response: RawResponse,
  skewed: boolean,
): AttemptOutcome {
  return {
    errorCode: error.code,
    httpStatusCode: response.statusCode,
    isClockSkewError: skewed && isClockSkewErrorCode(error.code),
    retryable: retryable ? { throttling: retryable.throttling === true } : undefined,
    retryAfterMs: parseRetryAfter(response.headers, Date.now()),
  };
}

/** 18: a result's `$metadata`. */
function responseMetadata(
  runtime: ClientRuntime,
  response: RawResponse,
  metadata: { readonly attempts: number; readonly totalRetryDelay: number },
): ResponseMetadata {
  const ids = requestIdsOf(runtime.protocol, response);
  return {
    httpStatusCode: response.statusCode,
    requestId: ids.requestId,
    extendedRequestId: ids.extendedRequestId,
    attempts: metadata.attempts,
    totalRetryDelay: metadata.totalRetryDelay,
  };
}

/** 18: `$metadata` on the call errors that carry one (ServiceErrors already have theirs). */
function withCallMetadata(error: unknown, metadata: CallMetadata): unknown {
  if (error !== null && typeof error === "object" && "$metadata" in error && !(error instanceof ValidationError)) {
    const current = (error as { $metadata: CallMetadata }).$metadata;
    // Errors of this call made before any attempt finished, or by the transport.
    if (current.httpStatusCode === undefined && current.attempts === 0) {
      (error as { $metadata: CallMetadata }).$metadata = { attempts: metadata.attempts, totalRetryDelay: metadata.totalRetryDelay };
    }
  }
  return error;
}

/**
 * 16: hands the live body to the caller as the payload member. The caller's signal stays
 * linked to it until it is read or cancelled; the output is `await using`-disposable.
 */
function attachStream(output: Record<string, unknown>, member: string, body: ResponseBody, call: CallScope, checksum?: ExpectedChecksum): void {
  const live = createResponseBody(
    { chunks: checksum ? checkedChunks(body, checksum) : body, release: (reason) => body.cancel(reason) },
    () => call.release(),
  );
  output[member] = live;
  Object.defineProperty(output, Symbol.asyncDispose, { value: disposerOf(live), enumerable: false });
}

/**
 * 16: `() => body.cancel()`, made out here: an arrow written in attachStream would share
 * that function's scope with the source's `release`, which the body's collection net holds
 * (response-body.ts), and so keep the body from ever being collected. (Not `bind`: V8's
 * `await using` refuses a bound function as a disposer.)
 */
function disposerOf(body: ResponseBody): () => Promise<void> {
  return () => body.cancel();
}

function logAttemptFailure(
  runtime: ClientRuntime,
  operation: OperationSchema,
  attempt: number,
  error: unknown,
  decision: { readonly retry: boolean; readonly kind?: string | undefined; readonly delayMs?: number; readonly reason?: string },
): void {
  const logger = runtime.logger;
  if (!logger?.debug) return;
  const service = error as Partial<ServiceError>;
  debugSafely(logger, `${runtime.definition.schema.serviceId}.${operation.name} attempt ${attempt} failed`, () => ({
    code: service.code ?? (error as Error | undefined)?.name,
    httpStatusCode: service.$metadata?.httpStatusCode,
    requestId: service.$metadata?.requestId,
    retry: decision.retry,
    kind: decision.kind,
    ...(decision.retry ? { delayMs: decision.delayMs } : { reason: decision.reason }),
  }));
}
