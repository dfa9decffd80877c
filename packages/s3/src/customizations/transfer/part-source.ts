/**
 * An upload's body, read front to back in parts. Every part comes out as bytes the upload
 * owns (a retry resends exactly them), and nothing is read before it is asked for, so the
 * caller's memory holds one part being filled plus the parts in flight.
 *
 *   bytes (a string is UTF-8 encoded)   parts are views of it: no copy
 *   Blob / File                         each part is its own slice, read when asked for
 *   anything streamed                   chunks copied into a part buffer; a chunk that
 *                                       crosses a part boundary is split, its rest kept for
 *                                       the next part. Buffers of parts already sent are
 *                                       reused, so an upload allocates (concurrency + 1)
 *                                       part buffers in all instead of one per part: 25
 *                                       garbage 8 MiB buffers for 200 MiB would otherwise
 *                                       sit in memory until the GC gets to them
 *
 * A body whose length was declared (ContentLength, a file stream's size) must yield exactly
 * that many bytes: more or fewer is a TransferError, since the parts would otherwise make
 * an object of another size than the caller said.
 */
import { RequestBody, toRequestBody } from "@stratus/core";
import { TransferError } from "./errors.ts";

export interface PartSource {
  /** Bytes in the whole body when known before reading it. */
  readonly length: number | undefined;
  /** The body as it should go to a single PutObject when it is small (bytes or a Blob). */
  readonly whole: Uint8Array | Blob | undefined;
  /** The next `size` bytes (fewer only at the end; empty once the body is used up). */
  read(size: number): Promise<Uint8Array>;
  /** Whether every byte was read (a stream may pull its next chunk ahead to tell). */
  ended(): Promise<boolean>;
  /** Gives back bytes just read: the next read starts with them. */
  unread(bytes: Uint8Array): void;
  /** A part returned by `read` was sent and will not be sent again: its buffer may hold a later part. */
  release(part: Uint8Array): void;
  /** Stops reading: a stream is cancelled. Does not wait for a source that is mid-read. */
  close(): void;
}

const encoder = new TextEncoder();

/** The part source for any body `toRequestBody` accepts; `declaredLength` is the caller's ContentLength. */
export function partSourceFor(body: unknown, declaredLength: number | undefined): PartSource {
  if (typeof Blob !== "undefined" && body instanceof Blob) return new SliceableSource(body);
  const value = toRequestBody(body, "upload: Body", declaredLength);
  if (typeof value === "string") return new SliceableSource(encoder.encode(value));
  if (value instanceof Uint8Array) return new SliceableSource(value);
  return new StreamSource(value);
}

/** Bytes or a Blob: both can be sliced at any offset, so a part is a view of bytes or a Blob slice read when asked for. */
class SliceableSource implements PartSource {
  readonly length: number;
  readonly whole: Uint8Array | Blob;
  #offset = 0;

  constructor(whole: Uint8Array | Blob) {
    this.whole = whole;
    this.length = whole instanceof Uint8Array ? whole.byteLength : whole.size;
  }

  async read(size: number): Promise<Uint8Array> {
    const end = Math.min(this.length, this.#offset + size);
    const part =
      this.whole instanceof Uint8Array
        ? this.whole.subarray(this.#offset, end)
        : new Uint8Array(await this.whole.slice(this.#offset, end).arrayBuffer());
    this.#offset = end;
    return part;
  }

  async ended(): Promise<boolean> {
    return this.#offset >= this.length;
  }

  unread(bytes: Uint8Array): void {
    this.#offset -= bytes.byteLength;
  }

  release(): void {}

  close(): void {}
}

class StreamSource implements PartSource {
  readonly length: number | undefined;
  readonly whole = undefined;
  readonly #body: RequestBody;
  #chunks: AsyncIterator<Uint8Array> | undefined;
  /** Bytes read from the source but not yet handed out, oldest first. */
  readonly #pending: Uint8Array[] = [];
  #done = false;
  /** Whole-part buffers of parts already sent, for the next parts. */
  readonly #spare: Uint8Array[] = [];
  /** The buffers this source allocated (a part handed back must be one of them, whole). */
  readonly #owned = new WeakSet<ArrayBufferLike>();
  /** A read returned a whole part: the body is not small, later parts get whole buffers at once. */
  #filledOne = false;
  /** Bytes pulled from the source so far (for the declared-length check). */
  #pulled = 0;

  constructor(body: RequestBody) {
    this.#body = body;
    this.length = body.length;
  }

  async read(size: number): Promise<Uint8Array> {
    // Chunks are always copied: a source may reuse its buffer once asked for the next
    // chunk, and a part is kept (for a retry) long after that.
    // A whole buffer of ours given back by `unread` is a part already: no second copy.
    const first = this.#pending[0];
    if (first !== undefined && first.byteLength === size && this.#isWhole(first)) return this.#pending.shift() as Uint8Array;
    let part: Uint8Array = new Uint8Array(0);
    let filled = 0;
    while (filled < size) {
      const chunk = this.#pending.shift() ?? (await this.#pull());
      if (chunk === undefined) break;
      const used = Math.min(size - filled, chunk.byteLength);
      if (filled + used > part.byteLength) part = this.#grown(part, filled, this.#capacityFor(size, filled + used));
      part.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used < chunk.byteLength) this.#pending.unshift(chunk.subarray(used));
    }
    if (filled === size) this.#filledOne = true;
    // The last, short part: keep only its bytes, not a whole part's buffer.
    return filled === part.byteLength ? part : part.slice(0, filled);
  }

  /**
   * The buffer for a part of `size` that must hold `needed` bytes: the whole part when the
   * body is known (or, having filled a part before, likely) to fill it; else 256 KiB, then
   * 1 MiB, then the whole part, so a small body of unknown length does not cost a whole
   * part's memory and a large one does not leave a trail of outgrown buffers.
   */
  #capacityFor(size: number, needed: number): number {
    const left = this.length === undefined ? undefined : this.length - this.#pulled + needed;
    if (this.#filledOne || (left !== undefined && left >= size)) return size;
    for (const step of [256 * 1024, 1024 * 1024]) if (needed <= step && step < size) return step;
    return size;
  }

  /** `part`'s first `filled` bytes in a buffer of `capacity`: a spare one when it fits exactly. */
  #grown(part: Uint8Array, filled: number, capacity: number): Uint8Array {
    const spare = this.#spare.findIndex((buffer) => buffer.byteLength === capacity);
    const bigger = spare >= 0 ? (this.#spare.splice(spare, 1)[0] as Uint8Array) : new Uint8Array(capacity);
    this.#owned.add(bigger.buffer);
    bigger.set(part.subarray(0, filled));
    return bigger;
  }

  release(part: Uint8Array): void {
    if (!this.#done && this.#isWhole(part)) this.#spare.push(part);
  }

  /** Whether `bytes` is a whole buffer this source allocated (so it may be handed out or reused as is). */
  #isWhole(bytes: Uint8Array): boolean {
    return this.#owned.has(bytes.buffer) && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  }

  async ended(): Promise<boolean> {
    if (this.#pending.length > 0) return false;
    const chunk = await this.#pull();
    if (chunk === undefined) return true;
    this.#pending.push(chunk);
    return false;
  }

  unread(bytes: Uint8Array): void {
    if (bytes.byteLength > 0) this.#pending.unshift(bytes);
  }

  close(): void {
    this.#done = true;
    this.#pending.length = 0;
    this.#spare.length = 0;
    const chunks = this.#chunks;
    this.#chunks = undefined;
    // A generator mid-`next()` finishes that step first: stopping must not wait for it.
    chunks?.return?.().catch(() => undefined);
  }

  /** The next non-empty chunk from the source, or undefined at its end. */
  async #pull(): Promise<Uint8Array | undefined> {
    while (!this.#done) {
      this.#chunks ??= this.#body.chunks()[Symbol.asyncIterator]();
      const next = await this.#chunks.next();
      if (next.done) {
        this.#done = true;
        this.#chunks = undefined;
        if (this.length !== undefined && this.#pulled !== this.length) {
          throw new TransferError(`the body ended after ${this.#pulled} bytes, but its length was given as ${this.length}`);
        }
        return undefined;
      }
      const chunk = next.value;
      if (chunk.byteLength === 0) continue;
      this.#pulled += chunk.byteLength;
      if (this.length !== undefined && this.#pulled > this.length) {
        this.close();
        throw new TransferError(`the body yielded more than the ${this.length} bytes its length was given as`);
      }
      return chunk;
    }
    return undefined;
  }
}
