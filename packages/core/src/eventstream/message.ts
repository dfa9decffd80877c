/**
 * One event-stream frame (`application/vnd.amazon.eventstream`), both ways:
 *
 *   ┌──────────────── prelude (12) ────────────────┐
 *   total length (4) │ headers length (4) │ prelude CRC (4) │ headers │ payload │ message CRC (4)
 *
 * Integers are unsigned big-endian. The prelude CRC covers the first 8 bytes; the message
 * CRC covers everything before it, prelude CRC included. `total length` counts the whole
 * frame, so a frame is at least 16 bytes.
 *
 * Limits (botocore's and the service documentation's): headers at most 128 KiB, payload at
 * most 16 MiB. A reader checks the prelude, its CRC and these limits before it waits for
 * the rest of a frame (decoder.ts), so a corrupt or hostile length can neither make it
 * allocate gigabytes nor wait for bytes that will never come.
 */
import { crc32 } from "../checksums/crc32.ts";
import { EventStreamFrameError } from "./errors.ts";
import { decodeHeaders, encodeHeaders, type MessageHeaders } from "./headers.ts";

export interface Message {
  readonly headers: MessageHeaders;
  readonly body: Uint8Array;
}

export const PRELUDE_LENGTH = 12;
const CRC_LENGTH = 4;
/** Prelude + message CRC: a frame with no headers and no payload. */
export const MIN_FRAME_LENGTH = PRELUDE_LENGTH + CRC_LENGTH;

export interface FrameLimits {
  /** Largest headers section accepted, in bytes (default 128 KiB). */
  readonly maxHeadersLength?: number | undefined;
  /** Largest payload accepted, in bytes (default 16 MiB). */
  readonly maxPayloadLength?: number | undefined;
}

export const DEFAULT_MAX_HEADERS_LENGTH = 128 * 1024;
export const DEFAULT_MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;

export interface Prelude {
  readonly totalLength: number;
  readonly headersLength: number;
}

/** The frame's bytes. Throws EventStreamFrameError when the message exceeds the limits. */
export function encodeMessage(message: Message, limits: FrameLimits = {}): Uint8Array {
  const headers = encodeHeaders(message.headers);
  const body = message.body;
  checkLengths(headers.byteLength, body.byteLength, limits);
  const totalLength = MIN_FRAME_LENGTH + headers.byteLength + body.byteLength;
  const frame = new Uint8Array(totalLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, totalLength);
  view.setUint32(4, headers.byteLength);
  view.setUint32(8, crc32(frame.subarray(0, 8)));
  frame.set(headers, PRELUDE_LENGTH);
  frame.set(body, PRELUDE_LENGTH + headers.byteLength);
  view.setUint32(totalLength - CRC_LENGTH, crc32(frame.subarray(0, totalLength - CRC_LENGTH)));
  return frame;
}

/**
 * Reads and checks a prelude (the first 12 bytes of a frame): its CRC first (so a
 * misaligned stream is reported as such, not as an absurd length), then the lengths.
 */
export function readPrelude(bytes: Uint8Array, limits: FrameLimits = {}): Prelude {
  if (bytes.byteLength < PRELUDE_LENGTH) {
    throw new EventStreamFrameError("truncated", `a prelude needs ${PRELUDE_LENGTH} bytes; got ${bytes.byteLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, PRELUDE_LENGTH);
  const totalLength = view.getUint32(0);
  const headersLength = view.getUint32(4);
  const expected = view.getUint32(8);
  const actual = crc32(bytes.subarray(0, 8));
  if (actual !== expected) {
    throw new EventStreamFrameError("prelude-crc", `prelude CRC mismatch (frame says ${hex(expected)}, bytes give ${hex(actual)})`);
  }
  if (totalLength < MIN_FRAME_LENGTH + headersLength) {
    throw new EventStreamFrameError(
      "length",
      `a frame of ${totalLength} bytes cannot hold ${headersLength} bytes of headers plus ${MIN_FRAME_LENGTH} bytes of prelude and CRC`,
    );
  }
  checkLengths(headersLength, totalLength - MIN_FRAME_LENGTH - headersLength, limits);
  return { totalLength, headersLength };
}

/** Reads one whole frame (exactly its bytes), checking both CRCs and the limits. */
export function decodeMessage(frame: Uint8Array, limits: FrameLimits = {}): Message {
  const { totalLength, headersLength } = readPrelude(frame, limits);
  if (frame.byteLength !== totalLength) {
    throw new EventStreamFrameError(
      frame.byteLength < totalLength ? "truncated" : "length",
      `the frame says it is ${totalLength} bytes; got ${frame.byteLength}`,
    );
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const expected = view.getUint32(totalLength - CRC_LENGTH);
  const actual = crc32(frame.subarray(0, totalLength - CRC_LENGTH));
  if (actual !== expected) {
    throw new EventStreamFrameError("message-crc", `message CRC mismatch (frame says ${hex(expected)}, bytes give ${hex(actual)})`);
  }
  const headersEnd = PRELUDE_LENGTH + headersLength;
  return {
    headers: decodeHeaders(frame.subarray(PRELUDE_LENGTH, headersEnd)),
    body: frame.subarray(headersEnd, totalLength - CRC_LENGTH),
  };
}

function checkLengths(headersLength: number, payloadLength: number, limits: FrameLimits): void {
  const maxHeaders = limits.maxHeadersLength ?? DEFAULT_MAX_HEADERS_LENGTH;
  const maxPayload = limits.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH;
  if (headersLength > maxHeaders) {
    throw new EventStreamFrameError("length", `${headersLength} bytes of headers exceed the limit of ${maxHeaders}`);
  }
  if (payloadLength > maxPayload) {
    throw new EventStreamFrameError("length", `a payload of ${payloadLength} bytes exceeds the limit of ${maxPayload}`);
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}
