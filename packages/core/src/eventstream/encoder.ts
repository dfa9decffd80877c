/**
 * Frames for an input event stream: `encodeMessages(messages)` turns messages (a sync or
 * async iterable, e.g. a generator the caller feeds) into frame bytes, one chunk per
 * message, lazily, so a request body built from it streams with back-pressure. Signing
 * the frames, for services that require it, is signer.ts's job, applied after this.
 */
import { encodeMessage, type FrameLimits, type Message } from "./message.ts";

export async function* encodeMessages(
  messages: AsyncIterable<Message> | Iterable<Message>,
  limits: FrameLimits = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const message of messages) yield encodeMessage(message, limits);
}
