/**
 * Counts the payload bytes of a request body sent as `aws-chunked` (SigV4 streaming: hex
 * size line, that many bytes, CRLF, …, a zero-size chunk, trailer lines, an empty line),
 * as it streams, so that the bench server counts what the client uploaded and not the
 * framing around it. Malformed framing is an error: a bench must not pass on a body the
 * real S3 would refuse. Trailer headers (the checksum S3 echoes back) are kept.
 */

const CR = 0x0d;
const LF = 0x0a;
/** No size or trailer line of a sane client comes near this. */
const MAX_LINE = 4096;

type State = "size" | "data" | "data-end" | "trailer" | "done";

export class AwsChunkedCounter {
  /** Payload bytes so far (the framing left out). */
  decoded = 0;
  /** Trailer headers by lower-case name, once the body ended. */
  readonly trailers = new Map<string, string>();
  #state: State = "size";
  #line: number[] = [];
  #left = 0;

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#state === "data") {
        const take = Math.min(this.#left, chunk.length - at);
        this.decoded += take;
        this.#left -= take;
        at += take;
        if (this.#left === 0) this.#state = "data-end";
        continue;
      }
      if (this.#state === "done") throw new Error("aws-chunked: bytes after the final chunk");
      const byte = chunk[at++] as number;
      if (byte !== LF) {
        if (this.#line.length >= MAX_LINE) throw new Error("aws-chunked: a framing line is too long");
        this.#line.push(byte);
        continue;
      }
      if (this.#line.at(-1) !== CR) throw new Error("aws-chunked: a line does not end in CRLF");
      const line = Buffer.from(this.#line.slice(0, -1)).toString("latin1");
      this.#line = [];
      this.#endLine(line);
    }
  }

  /** The payload's length; throws when the body stopped before its final chunk and trailers. */
  end(): number {
    if (this.#state !== "done") throw new Error(`aws-chunked: the body ended in the middle (reading ${this.#state})`);
    return this.decoded;
  }

  #endLine(line: string): void {
    switch (this.#state) {
      case "size": {
        const hex = line.split(";")[0] ?? "";
        if (!/^[0-9a-fA-F]+$/.test(hex)) throw new Error(`aws-chunked: bad chunk size line ${JSON.stringify(line.slice(0, 80))}`);
        this.#left = Number.parseInt(hex, 16);
        this.#state = this.#left === 0 ? "trailer" : "data";
        return;
      }
      case "data-end":
        if (line !== "") throw new Error("aws-chunked: a chunk is longer than its size line says");
        this.#state = "size";
        return;
      case "trailer": {
        if (line === "") {
          this.#state = "done";
          return;
        }
        const colon = line.indexOf(":");
        if (colon <= 0) throw new Error(`aws-chunked: bad trailer line ${JSON.stringify(line.slice(0, 80))}`);
        this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        return;
      }
      default:
        throw new Error(`aws-chunked: unexpected line in state ${this.#state}`);
    }
  }
}

/** Whether a request's body is aws-chunked framed. */
export function isAwsChunked(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const encoding = String(headers["content-encoding"] ?? "");
  const hash = String(headers["x-amz-content-sha256"] ?? "");
  return encoding.split(",").some((e) => e.trim() === "aws-chunked") || hash.startsWith("STREAMING-");
}
