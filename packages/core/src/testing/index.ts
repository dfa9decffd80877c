/**
 * @stratus/core/testing: helpers for testing code that uses Stratus clients without AWS.
 * Kept out of the main entry point so an application's bundle never carries them.
 *
 *   Stubber            canned responses and errors for one client, checked against the
 *                      service's schema when added and against each call's input when
 *                      called (stubber.ts; botocore's Stubber)
 *   ANY, ANY_PARAMS    "any value" in expected parameters (any.ts)
 *   recordHttp         an HTTP handler that records redacted exchanges of real calls
 *   replayHttp         an HTTP handler that answers from such a recording (no network)
 *
 * Unit tests stub the client: no HTTP happens at all. Integration tests record a session
 * against a real endpoint once and replay it afterwards: the whole pipeline (serialize,
 * sign, parse, retries, streaming) runs, only the transport is replaced.
 */

/** Stubbing a client: the Stubber and the types its stubs are written in. */
export {
  Stubber,
  type CannedResponse,
  type CannedValue,
  type ErrorStub,
  type Expected,
  type ResponseStub,
  type StubInput,
  type StubOutput,
} from "./stubber.ts";

/** `ANY` matches any value of a member, `ANY_PARAMS` any input (botocore's `stub.ANY`). */
export { ANY, ANY_PARAMS, type Any, type AnyParams } from "./any.ts";

/** What the Stubber and the replay handler throw; each message says what was expected instead. */
export {
  InvalidStubError,
  PendingStubsError,
  ReplayMismatchError,
  StubberError,
  StubMismatchError,
  UnexpectedCallError,
  UnknownOperationError,
  type ParamDifference,
} from "./errors.ts";

/** Recording real HTTP exchanges (redacted) for later replay. */
export { recordHttp, type HttpRecorder, type RecordHttpOptions } from "./record-http.ts";

/** Answering HTTP requests from a recording. */
export { loadRecording, replayHttp, type HttpReplayer, type ReplayHttpOptions, type ReplayMatch } from "./replay-http.ts";

/** The JSON layout of a recording. */
export type { HttpExchange, HttpRecording, RecordedBody, RecordedRequest, RecordedResponse } from "./http-exchange.ts";
