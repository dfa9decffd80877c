/**
 * Event streams (`application/vnd.amazon.eventstream`): the binary framing and the reading
 * of events by the model, used for outputs such as Bedrock's ConverseStream, S3's
 * SelectObjectContent and Lambda's InvokeWithResponseStream.
 *
 *   message.ts       one frame: prelude, headers, payload, both CRCs; limits
 *   headers.ts       header values of every wire type, both ways
 *   decoder.ts       frames out of a byte stream split anywhere (async iterable)
 *   encoder.ts       frames for an input stream
 *   signer.ts        SigV4 signing of input frames (each wrapped in a signed envelope)
 *   events.ts        a message → the union's event, or an exception/error to throw
 *   event-stream.ts  the type the caller iterates
 *   errors.ts        EventStreamFrameError: bad CRC, impossible length, truncated frame…
 *
 * The pipeline's part (which output member is a stream, turning it into events and errors
 * into classes) is client/steps/event-stream.ts.
 */
export { decodeMessages } from "./decoder.ts";
export { encodeMessages } from "./encoder.ts";
export { EventStreamFrameError, type FrameProblem } from "./errors.ts";
export type { EventStream } from "./event-stream.ts";
export { decodeHeaders, encodeHeaders, type HeaderValue, type MessageHeaders } from "./headers.ts";
export {
  decodeMessage,
  DEFAULT_MAX_HEADERS_LENGTH,
  DEFAULT_MAX_PAYLOAD_LENGTH,
  encodeMessage,
  readPrelude,
  type FrameLimits,
  type Message,
  type Prelude,
} from "./message.ts";
export { signEventStream, type EventSigningParams } from "./signer.ts";
