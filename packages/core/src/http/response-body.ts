/**
 * A response body that has not been read yet: what a handler hands back and what a
 * streaming output member (S3 GetObject's `Body`) gives the caller. It is read once, in one
 * of five ways:
 *
 *   for await (const chunk of body) { … }   Uint8Array chunks as they arrive (back-pressured)
 *   body.stream()                            the same as a web ReadableStream (pulled, not pushed)
 *   await body.bytes()                       the whole body in memory
 *   await body.text()                        the same, decoded as UTF-8
 *   await body.json()                        the same, parsed as JSON (not checked against a type)
 *
 * A second read throws a TypeError saying how the body was used. Reading is pull-driven
 * everywhere: nothing is fetched from the source before a reader asks for it, so a slow
 * reader slows the socket down instead of filling memory.
 *
 * The contract that keeps sockets from leaking: whoever holds an unread body either reads
 * it to the end, or calls `cancel()`, or disposes of it (`await using`). Breaking out of a
 * `for await` loop cancels too, and so does cancelling the stream `stream()` returned.
 * Cancelling lets the source decide what is cheapest: the Node handler reads a short
 * remainder to keep the connection for reuse and closes the socket otherwise.
 *
 * The safety net, for a body that is simply dropped: each body is registered with a
 * FinalizationRegistry, and when an unread (or partly read) body is garbage-collected its
 * source is released as if it had been cancelled, so the pool gets its socket back. The
 * registry holds only the source's release function (and `onDone`), never the body, so the
 * registration itself keeps nothing alive; a body that was read or cancelled is
 * unregistered. This is a net, not the rule: when (and whether) the collector runs is up
 * to the engine, and a program that drops bodies faster than it allocates may wait on a
 * full pool until it does. Dispose or cancel what you do not read.
 *
 * `onDone` (for the pipeline) runs once when the body ended, failed, was cancelled or was
 * collected unread.
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
  /** The body parsed as JSON; a SyntaxError when it is not JSON. The value is not checked against any type. */
  json(): Promise<unknown>;
  /** The chunks as a web ReadableStream, read as its reader pulls; cancelling it releases the connection. */
  stream(): ReadableStream<Uint8Array>;
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

/** The safety net of the header: the held value releases a collected body's source. */
const collected: FinalizationRegistry<() => void> | undefined =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry((release) => release()) : undefined;

/**
 * What the registry calls for a collected body. Built outside the class so the closure
 * cannot capture the body (which would keep it alive for ever).
 */
function releaseWhenCollected(source: BodySource, onDone: (() => void) | undefined): () => void {
  // A failure here has nobody to report to (the body's owner is gone), and one thrown out
  // of a finalization callback would end the process.
  return () => {
    try {
      void Promise.resolve(source.release()).catch(() => undefined);
    } catch {}
    try {
      onDone?.();
    } catch {}
  };
}

/** How the body was used, for the message of a second read. */
type State = "unread" | "reading" | "read" | "cancelled";

const SECOND_READ: Record<Exclude<State, "unread">, string> = {
  reading: "the response body is already being read; a body is read once",
  read: "the response body was already read; a body is read once (keep the bytes or text you got)",
  cancelled: "the response body was cancelled (or disposed of) and cannot be read",
};

class SourceBody implements ResponseBody {
  readonly #source: BodySource;
  #onDone: (() => void) | undefined;
  #state: State = "unread";

  constructor(source: BodySource, onDone: (() => void) | undefined) {
    this.#source = source;
    this.#onDone = onDone;
    collected?.register(this, releaseWhenCollected(source, onDone), this);
  }

  get bodyUsed(): boolean {
    return this.#state !== "unread";
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim();
    return this.#read();
  }

  async bytes(): Promise<Uint8Array> {
    this.#claim();
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

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  stream(): ReadableStream<Uint8Array> {
    const chunks = this[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        // Releases the source at once, even while a pull waits on it.
        cancel: (reason) => this.cancel(reason),
      },
      // Nothing is read ahead of the stream's reader: back-pressure reaches the socket.
      { highWaterMark: 0 },
    );
  }

  async cancel(reason?: unknown): Promise<void> {
    if (this.#state === "read" || this.#state === "cancelled") return;
    this.#state = "cancelled";
    try {
      await this.#source.release(reason);
    } finally {
      this.#finish();
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cancel();
  }

  /** Marks the body as being read, or throws saying how it was used already. */
  #claim(): void {
    if (this.#state !== "unread") throw new TypeError(SECOND_READ[this.#state]);
    this.#state = "reading";
  }

  async *#read(): AsyncGenerator<Uint8Array, void, undefined> {
    // Cancelled between claiming and the first pull.
    if (this.#state !== "reading") throw new TypeError(SECOND_READ.cancelled);
    let ended = false;
    try {
      for await (const chunk of this.#source.chunks) yield chunk;
      ended = true;
    } finally {
      // Reached on end, on a read error and when the consumer stops early (break/return).
      const early = !ended && this.#state === "reading";
      if (this.#state === "reading") this.#state = "read";
      try {
        if (early) await this.#source.release();
      } finally {
        this.#finish();
      }
    }
  }

  /** The body is over (read, failed, cancelled): the net is not needed any more; tell the owner. */
  #finish(): void {
    collected?.unregister(this);
    const done = this.#onDone;
    this.#onDone = undefined;
    done?.();
  }
}
