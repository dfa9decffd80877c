/**
 * Where `download()` writes, behind one small interface that takes bytes in order and
 * waits when the destination is full (its back-pressure is the download's):
 *
 *   a file path            a temporary file beside it (same folder, so the final rename is
 *                          atomic), renamed over the path once every byte is written and
 *                          removed on failure: the path never holds a partial object, and a
 *                          file already there stays intact until the download succeeded
 *                          (as boto3's s3transfer does)
 *   a Node Writable        write() / 'drain'; ended on success and destroyed on failure, as
 *                          stream.pipeline treats its destination
 *   a web WritableStream   through its writer; closed on success and aborted on failure, as
 *                          pipeTo treats its destination
 *
 * node:fs is imported only for a path, so the package still loads where there is none.
 */
import { StratusError } from "@stratus/core";

export type DownloadTarget = string | NodeJS.WritableStream | WritableStream<Uint8Array>;

export interface DownloadSink {
  /** Resolves once the destination can take more. */
  write(chunk: Uint8Array): Promise<void>;
  /** Every byte was written: flush and close (a file is moved into place). */
  finish(): Promise<void>;
  /** The download failed: nothing of it is left behind (a file's bytes are removed). */
  discard(reason: unknown): Promise<void>;
}

/** Why `to` is not a destination download() can write to, or undefined when it is. */
export function targetProblem(to: unknown): string | undefined {
  if (typeof to === "string") return to === "" ? "expected a file path, not an empty string" : undefined;
  if (isWebWritable(to) || isNodeWritable(to)) return undefined;
  return "expected a file path, a Node Writable or a web WritableStream";
}

export async function openSink(to: DownloadTarget): Promise<DownloadSink> {
  if (typeof to === "string") return FileSink.open(to);
  if (isWebWritable(to)) return new WebStreamSink(to);
  return new NodeStreamSink(to);
}

function isWebWritable(to: unknown): to is WritableStream<Uint8Array> {
  return typeof (to as { getWriter?: unknown } | null)?.getWriter === "function";
}

function isNodeWritable(to: unknown): to is NodeJS.WritableStream {
  const stream = to as { write?: unknown; end?: unknown; once?: unknown } | null;
  return typeof stream?.write === "function" && typeof stream.end === "function" && typeof stream.once === "function";
}

type FileHandle = import("node:fs/promises").FileHandle;
type FsPromises = typeof import("node:fs/promises");

class FileSink implements DownloadSink {
  readonly #fs: FsPromises;
  readonly #handle: FileHandle;
  readonly #temporary: string;
  readonly #path: string;

  private constructor(fs: FsPromises, handle: FileHandle, temporary: string, path: string) {
    this.#fs = fs;
    this.#handle = handle;
    this.#temporary = temporary;
    this.#path = path;
  }

  static async open(path: string): Promise<FileSink> {
    // Inside `try`: bundlers for browsers and workers then accept the unresolvable built-in.
    let fs: FsPromises;
    try {
      fs = await import("node:fs/promises");
    } catch (error) {
      throw new StratusError("download() to a file path needs a runtime with files; pass a stream instead", { cause: error });
    }
    const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.stratus-download`;
    const handle = await fs.open(temporary, "wx");
    return new FileSink(fs, handle, temporary, path);
  }

  async write(chunk: Uint8Array): Promise<void> {
    for (let offset = 0; offset < chunk.byteLength; ) {
      const { bytesWritten } = await this.#handle.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    }
  }

  async finish(): Promise<void> {
    try {
      await this.#handle.close();
      await this.#fs.rename(this.#temporary, this.#path);
    } catch (error) {
      await this.#fs.rm(this.#temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async discard(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    await this.#fs.rm(this.#temporary, { force: true });
  }
}

class NodeStreamSink implements DownloadSink {
  readonly #stream: NodeJS.WritableStream;
  #error: unknown;
  readonly #onError = (error: unknown): void => {
    this.#error ??= error ?? new Error("the destination stream failed");
  };

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    stream.on("error", this.#onError);
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#check();
    if (this.#stream.write(chunk)) return;
    await this.#until("drain");
  }

  async finish(): Promise<void> {
    this.#check();
    const finished = this.#until("finish");
    this.#stream.end();
    try {
      await finished;
    } finally {
      this.#stream.removeListener("error", this.#onError);
    }
  }

  async discard(reason: unknown): Promise<void> {
    const stream = this.#stream as NodeJS.WritableStream & { destroy?: (error?: Error) => void };
    // Destroyed with the reason, so whoever reads the other end sees the failure.
    if (typeof stream.destroy === "function") stream.destroy(reason instanceof Error ? reason : undefined);
    // Errors emitted while it goes down are the reason's echo: still listened for, so none is unhandled.
    queueMicrotask(() => this.#stream.removeListener("error", this.#onError));
  }

  #check(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** Waits for `event`; rejects on an error, or on 'close' before it. */
  #until(event: "drain" | "finish"): Promise<void> {
    const stream = this.#stream;
    return new Promise<void>((resolve, reject) => {
      const done = (error?: unknown): void => {
        stream.removeListener(event, onEvent);
        stream.removeListener("error", onFailure);
        stream.removeListener("close", onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onEvent = (): void => done();
      const onFailure = (error: unknown): void => done(error ?? new Error("the destination stream failed"));
      const onClose = (): void => done(this.#error ?? new Error(`the destination stream closed before '${event}'`));
      stream.once(event, onEvent);
      stream.once("error", onFailure);
      stream.once("close", onClose);
    });
  }
}

class WebStreamSink implements DownloadSink {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;

  constructor(stream: WritableStream<Uint8Array>) {
    this.#writer = stream.getWriter();
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.#writer.ready;
    await this.#writer.write(chunk);
  }

  async finish(): Promise<void> {
    try {
      await this.#writer.close();
    } finally {
      this.#writer.releaseLock();
    }
  }

  async discard(reason: unknown): Promise<void> {
    try {
      await this.#writer.abort(reason);
    } catch {
      // Already errored: nothing more to tell it.
    } finally {
      this.#writer.releaseLock();
    }
  }
}
