/**
 * What can be wrong with the bytes of an event stream, as one typed error. The decoder
 * throws it, never a RangeError from a DataView and never a hang: every length a frame
 * claims is checked against the limits before any byte of it is awaited, and both CRCs are
 * checked before anything in the frame is believed.
 *
 *   prelude-crc   the 12-byte prelude does not match its CRC (misaligned or corrupt stream)
 *   message-crc   the frame's trailing CRC does not match the frame
 *   length        a total or headers length that is impossible or beyond the limits
 *   truncated     the stream ended inside a frame
 *   header        a header that cannot be read or written (unknown type, overruns, bad value)
 *
 * A frame that is well formed but says something the client cannot use (an unknown
 * `:message-type`, a payload that does not parse) is a `ParseError`, as for any response.
 */
import { StratusError } from "../errors/index.ts";

export type FrameProblem = "prelude-crc" | "message-crc" | "length" | "truncated" | "header";

export class EventStreamFrameError extends StratusError {
  override name = "EventStreamFrameError";
  readonly problem: FrameProblem;
  constructor(problem: FrameProblem, detail: string) {
    super(`event stream: ${detail}`);
    this.problem = problem;
  }
}
