/**
 * A loopback stand-in for what S3 does with flexible checksums, which no local S3 server
 * does (s3rver ignores checksum headers and stores aws-chunked framing as object data):
 *
 *   PUT  decodes an `aws-chunked` body strictly (frame sizes in hex, CRLFs, frames of at
 *        least 8 KiB but the last, the zero frame, the trailer named by x-amz-trailer, the
 *        blank line, nothing after) and checks Content-Length against the bytes on the
 *        wire and x-amz-decoded-content-length against the decoded ones; then checks the
 *        checksum (trailer or x-amz-checksum-* header) against the data, with its own
 *        implementations (node:zlib's crc32, node:crypto, bit-at-a-time CRC-32C and a
 *        BigInt CRC-64/NVME), and stores the object with it. Any failure is a 400 with an
 *        S3-style error document and the reason.
 *   GET  returns the object in 16 KiB writes, with its checksum header when the request
 *        says `x-amz-checksum-mode: ENABLED`; `corrupt` flips a byte of the body sent (or
 *        sends a wrong checksum), `composite` sends a multipart-style "-3" value.
 *
 * `failPuts` answers that many PUTs with a 500 after reading their body (retry tests).
 * Every PUT is recorded with its headers, wire length and what was decoded.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32 as zlibCrc32 } from "node:zlib";

export interface DecodedChunked {
  readonly data: Buffer;
  /** Data frame sizes, in order (the zero frame not included). */
  readonly frames: readonly number[];
  readonly trailers: Readonly<Record<string, string>>;
}

export interface ReceivedPut {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Bytes on the wire (framing included). */
  readonly wireLength: number;
  /** The object's bytes (decoded when aws-chunked). */
  readonly data: Buffer;
  readonly chunked: DecodedChunked | undefined;
  /** The checksum that was verified: [algorithm, base64], if any. */
  readonly checksum: readonly [string, string] | undefined;
  /** Why the PUT was refused, if it was. */
  readonly error: string | undefined;
}

export interface FakeS3Options {
  corrupt?: "body" | "checksum" | undefined;
  composite?: boolean | undefined;
  failPuts?: number | undefined;
}

export interface FakeS3 {
  readonly url: string;
  readonly puts: ReceivedPut[];
  readonly gets: IncomingHttpHeaders[];
  readonly objects: Map<string, { data: Buffer; checksum: readonly [string, string] | undefined }>;
  readonly options: FakeS3Options;
  close(): Promise<void>;
}

const ALGORITHMS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"] as const;

export async function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const puts: ReceivedPut[] = [];
  const gets: IncomingHttpHeaders[] = [];
  const objects = new Map<string, { data: Buffer; checksum: readonly [string, string] | undefined }>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      // The client gave up mid-body (a broken source, a wrong length): nothing to answer.
      res.destroy();
      return;
    }
    const raw = Buffer.concat(chunks);
    const key = (req.url ?? "").split("?")[0] ?? "";
    const fail = (status: number, code: string, message: string): void => {
      res.writeHead(status, { "content-type": "application/xml", "x-amz-request-id": "FAKE" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAKE</RequestId></Error>`);
    };
    if (req.method === "PUT") {
      let chunked: DecodedChunked | undefined;
      let data: Buffer = raw;
      let checksum: readonly [string, string] | undefined;
      let error: string | undefined;
      try {
        const declared = req.headers["content-length"];
        if (declared !== undefined && Number(declared) !== raw.length) throw new Error(`Content-Length ${declared} but ${raw.length} bytes arrived`);
        if ((req.headers["content-encoding"] ?? "").split(",").map((s) => s.trim()).includes("aws-chunked")) {
          if (req.headers["x-amz-content-sha256"] !== "STREAMING-UNSIGNED-PAYLOAD-TRAILER") throw new Error(`aws-chunked with x-amz-content-sha256 ${String(req.headers["x-amz-content-sha256"])}`);
          chunked = decodeAwsChunked(raw);
          data = chunked.data;
          const decodedLength = req.headers["x-amz-decoded-content-length"];
          if (decodedLength !== undefined && Number(decodedLength) !== data.length) throw new Error(`x-amz-decoded-content-length ${decodedLength} but ${data.length} bytes decoded`);
          const announced = String(req.headers["x-amz-trailer"] ?? "");
          const names = Object.keys(chunked.trailers);
          if (names.length !== 1 || names[0] !== announced) throw new Error(`x-amz-trailer ${announced} but trailers ${names.join(",")}`);
          const algorithm = announced.replace(/^x-amz-checksum-/, "");
          checksum = [algorithm, chunked.trailers[announced] ?? ""];
        } else {
          const found = ALGORITHMS.find((a) => req.headers[`x-amz-checksum-${a}`] !== undefined);
          if (found) checksum = [found, String(req.headers[`x-amz-checksum-${found}`])];
        }
        if (checksum) {
          const actual = referenceChecksum(checksum[0], data);
          if (actual !== checksum[1]) throw new Error(`BadDigest: ${checksum[0]} sent ${checksum[1]}, data gives ${actual}`);
        }
      } catch (e) {
        error = (e as Error).message;
      }
      puts.push({ url: req.url ?? "", headers: req.headers, wireLength: raw.length, data, chunked, checksum, error });
      if (error !== undefined) return fail(400, error.startsWith("BadDigest") ? "BadDigest" : "InvalidRequest", error);
      if ((options.failPuts ?? 0) > 0) {
        options.failPuts = (options.failPuts ?? 0) - 1;
        return fail(500, "InternalError", "We encountered an internal error. Please try again.");
      }
      objects.set(key, { data, checksum });
      res.writeHead(200, { etag: '"fake"', ...(checksum ? { [`x-amz-checksum-${checksum[0]}`]: checksum[1] } : {}) });
      res.end();
      return;
    }
    if (req.method === "GET") {
      gets.push(req.headers);
      const object = objects.get(key);
      if (!object) return fail(404, "NoSuchKey", "The specified key does not exist.");
      const headers: Record<string, string> = { "content-length": String(object.data.length), "content-type": "application/octet-stream" };
      if (object.checksum && String(req.headers["x-amz-checksum-mode"]).toUpperCase() === "ENABLED") {
        const [algorithm, value] = object.checksum;
        headers[`x-amz-checksum-${algorithm}`] = options.composite ? `${value}-3` : options.corrupt === "checksum" ? referenceChecksum(algorithm, Buffer.from("other")) : value;
        headers["x-amz-checksum-type"] = options.composite ? "COMPOSITE" : "FULL_OBJECT";
      }
      res.writeHead(200, headers);
      const body = Buffer.from(object.data);
      if (options.corrupt === "body" && body.length > 0) body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0x01;
      for (let offset = 0; offset < body.length; offset += 16 * 1024) {
        if (!res.write(body.subarray(offset, offset + 16 * 1024))) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
      return;
    }
    fail(405, "MethodNotAllowed", "not in this fake");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    puts,
    gets,
    objects,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Strict aws-chunked decoding (see the header); throws on any deviation. */
export function decodeAwsChunked(raw: Buffer, minFrame = 8 * 1024): DecodedChunked {
  const parts: Buffer[] = [];
  const frames: number[] = [];
  let pos = 0;
  const line = (): string => {
    const end = raw.indexOf("\r\n", pos);
    if (end < 0) throw new Error(`aws-chunked: no CRLF after byte ${pos}`);
    const text = raw.subarray(pos, end).toString("latin1");
    pos = end + 2;
    return text;
  };
  for (;;) {
    const sizeText = line();
    if (!/^[0-9a-f]+$/.test(sizeText)) throw new Error(`aws-chunked: bad frame size ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    if (pos + size + 2 > raw.length) throw new Error("aws-chunked: truncated frame");
    parts.push(raw.subarray(pos, pos + size));
    frames.push(size);
    pos += size;
    if (raw.subarray(pos, pos + 2).toString("latin1") !== "\r\n") throw new Error("aws-chunked: frame not followed by CRLF");
    pos += 2;
  }
  frames.slice(0, -1).forEach((size, i) => {
    if (size < minFrame) throw new Error(`aws-chunked: frame ${i} has ${size} bytes, fewer than ${minFrame}, and is not the last`);
  });
  const trailers: Record<string, string> = {};
  for (let text = line(); text !== ""; text = line()) {
    const colon = text.indexOf(":");
    if (colon <= 0) throw new Error(`aws-chunked: bad trailer line ${JSON.stringify(text)}`);
    trailers[text.slice(0, colon)] = text.slice(colon + 1);
  }
  if (pos !== raw.length) throw new Error(`aws-chunked: ${raw.length - pos} bytes after the end`);
  return { data: Buffer.concat(parts), frames, trailers };
}

/** Checksums computed independently of the SDK's own code, base64 as S3 sends them. */
export function referenceChecksum(algorithm: string, data: Uint8Array): string {
  switch (algorithm) {
    case "crc32":
      return u32(zlibCrc32(data));
    case "crc32c": {
      let crc = 0xffffffff;
      for (const byte of data) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return u32(~crc >>> 0);
    }
    case "crc64nvme": {
      const table = crc64Table();
      let crc = 0xffffffffffffffffn;
      for (const byte of data) crc = (table[Number((crc ^ BigInt(byte)) & 0xffn)] as bigint) ^ (crc >> 8n);
      crc = ~crc & 0xffffffffffffffffn;
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(crc);
      return out.toString("base64");
    }
    case "sha1":
    case "sha256":
      return createHash(algorithm).update(data).digest("base64");
    default:
      throw new Error(`no such checksum algorithm ${algorithm}`);
  }
}

function u32(value: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out.toString("base64");
}

let table64: bigint[] | undefined;
function crc64Table(): bigint[] {
  if (!table64) {
    table64 = [];
    for (let n = 0n; n < 256n; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0x9a6c9329ac4bc9b5n : c >> 1n;
      table64.push(c);
    }
  }
  return table64;
}
