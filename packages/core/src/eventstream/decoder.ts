/**
 * Frames out of a byte stream: `decodeMessages(chunks)` is an async iterable of `Message`s
 * over an async iterable of `Uint8Array` chunks split anywhere (inside a prelude, a header,
 * a CRC; many frames in one chunk, one frame over many).
 *
 *   chunks ─▶ queue ─▶ 12 bytes? read + check the prelude (CRC, limits) ─▶ totalLength
 *                    ─▶ totalLength bytes? cut the frame, check its CRC ─▶ yield Message
 *
 * Pull-based: a chunk is only read when the consumer asks for the next message and the
 * queue cannot answer, so back-pressure reaches the socket. Breaking out of the consumer's
 * loop returns this generator, which returns the chunk iterator, which releases the
 * connection (response-body.ts). The queue holds at most one frame plus one chunk: frame
 * lengths are checked against the limits as soon as the prelude is in.
 *
 * A stream that ends inside a frame is an EventStreamFrameError ("truncated").
 */
import { EventStreamFrameError } from "./errors.ts";
import { decodeMessage, PRELUDE_LENGTH, readPrelude, type FrameLimits, type Message } from "./message.ts";

export async function* decodeMessages(chunks: AsyncIterable<Uint8Array>, limits: FrameLimits = {}): AsyncGenerator<Message, void, undefined> {
  const queue = new ByteQueue();
  /** The length of the frame at the head of the queue, once its prelude is in. */
  let frameLength: number | undefined;
  for await (const chunk of chunks) {
    if (chunk.byteLength === 0) continue;
    queue.push(chunk);
    for (;;) {
      if (frameLength === undefined) {
        if (queue.length < PRELUDE_LENGTH) break;
        frameLength = readPrelude(queue.peek(PRELUDE_LENGTH), limits).totalLength;
      }
      if (queue.length < frameLength) break;
      const frame = queue.take(frameLength);
      frameLength = undefined;
      yield decodeMessage(frame, limits);
    }
  }
  if (queue.length > 0) {
    const what = frameLength === undefined ? `a prelude (${queue.length} of ${PRELUDE_LENGTH} bytes)` : `a frame (${queue.length} of ${frameLength} bytes)`;
    throw new EventStreamFrameError("truncated", `the stream ended inside ${what}`);
  }
}

/**
 * Chunks in arrival order with a read offset into the first. `take` returns a view of a
 * chunk when the bytes lie in one (the common case: no copy), else one copied array.
 */
class ByteQueue {
  readonly #chunks: Uint8Array[] = [];
  #offset = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  /** The first `count` bytes, left in the queue. */
  peek(count: number): Uint8Array {
    return this.#read(count, false);
  }

  /** The first `count` bytes, removed from the queue. */
  take(count: number): Uint8Array {
    return this.#read(count, true);
  }

  #read(count: number, consume: boolean): Uint8Array {
    const first = this.#chunks[0];
    if (first === undefined || count > this.#length) throw new RangeError("ByteQueue: not enough bytes");
    if (first.byteLength - this.#offset >= count) {
      const out = first.subarray(this.#offset, this.#offset + count);
      if (consume) this.#advance(count);
      return out;
    }
    const out = new Uint8Array(count);
    let filled = 0;
    let offset = this.#offset;
    for (const chunk of this.#chunks) {
      const piece = chunk.subarray(offset, offset + (count - filled));
      out.set(piece, filled);
      filled += piece.byteLength;
      offset = 0;
      if (filled === count) break;
    }
    if (consume) this.#advance(count);
    return out;
  }

  #advance(count: number): void {
    this.#length -= count;
    let left = count;
    while (left > 0) {
      const head = this.#chunks[0];
      if (head === undefined) break;
      const available = head.byteLength - this.#offset;
      if (left < available) {
        this.#offset += left;
        return;
      }
      left -= available;
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}
