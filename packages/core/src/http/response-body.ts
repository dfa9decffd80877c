/**
 * A response body that has not been read yet: what a handler hands back and what a
 * streaming output member (S3 GetObject's `Body`) gives the caller. It is read once, in one
 * of three ways:
 *
 *   for await (const chunk of body) { … }   Uint8Array chunks as they arrive (back-pressured)
 *   await body.bytes()                       the whole body in memory
 *   await body.text()                        the same, decoded as UTF-8
 *
 * The contract that keeps sockets from leaking: whoever holds an unread body either reads
 * it to the end, or calls `cancel()`, or disposes of it (`await using`). Breaking out of a
 * `for await` loop cancels too. Cancelling lets the source decide what is cheapest: the
 * Node handler reads a short remainder to keep the connection for reuse and closes the
 * socket otherwise. (A body that is simply dropped holds its connection until the server
 * or the idle timeout closes it: the pipeline never drops one, callers must not either.)
 *
 * `onDone` (for the pipeline) runs once when the body ended, failed or was cancelled.
 */
const decoder = new TextDecoder("utf-8");

/** Where a body's bytes come from. */
export interface BodySource {
  /** The chunks, iterated at most once. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** The reader stops early: give the connection back (or close it). */
  release(reason?: unknown): void | Promise<void>;
}

export interface ResponseBody extends AsyncIterable<Uint8Array>, AsyncDisposable {
  /** True once reading began (or the body was cancelled): a body is read once. */
  readonly bodyUsed: boolean;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  /** Stops reading and releases the connection. Harmless after the body was read. */
  cancel(reason?: unknown): Promise<void>;
}

export function createResponseBody(source: BodySource, onDone?: () => void): ResponseBody {
  return new SourceBody(source, onDone);
}

/** A body already in memory (stubs, fetch-less tests, a handler that buffers). */
export function bodyFromBytes(bytes: Uint8Array | string): ResponseBody {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return createResponseBody({
    chunks: (async function* () {
      if (data.byteLength > 0) yield data;
    })(),
    release() {},
  });
}

type State = "unread" | "reading" | "done";

class SourceBody implements ResponseBody {
  readonly #source: BodySource;
  #onDone: (() => void) | undefined;
  #state: State = "unread";

  constructor(source: BodySource, onDone: (() => void) | undefined) {
    this.#source = source;
    this.#onDone = onDone;
  }

  get bodyUsed(): boolean {
    return this.#state !== "unread";
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.#read();
  }

  async bytes(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.#read()) {
      chunks.push(chunk);
      size += chunk.byteLength;
    }
    if (chunks.length === 1 && chunks[0]) return chunks[0];
    const out = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  async cancel(reason?: unknown): Promise<void> {
    if (this.#state === "done") return;
    this.#state = "done";
    try {
      await this.#source.release(reason);
    } finally {
      this.#finish();
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cancel();
  }

  async *#read(): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.#state !== "unread") throw new TypeError("the response body was already read or cancelled");
    this.#state = "reading";
    let ended = false;
    try {
      for await (const chunk of this.#source.chunks) yield chunk;
      ended = true;
    } finally {
      // Reached on end, on a read error and when the consumer stops early (break/return).
      const early = !ended && this.#state === "reading";
      this.#state = "done";
      try {
        if (early) await this.#source.release();
      } finally {
        this.#finish();
      }
    }
  }

  #finish(): void {
    const done = this.#onDone;
    this.#onDone = undefined;
    done?.();
  }
}
