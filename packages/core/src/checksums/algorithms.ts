/**
 * The five flexible-checksum algorithms behind one incremental interface, and the names
 * S3 gives them on the wire:
 *
 *   algorithm   header                   digest          base64     implementation
 *   CRC32       x-amz-checksum-crc32     4 bytes (BE)    8 chars    node:zlib's native crc32 where the
 *                                                                   runtime has it, else crc32.ts
 *   CRC32C      x-amz-checksum-crc32c    4 bytes (BE)    8 chars    crc32c.ts (slicing-by-8)
 *   CRC64NVME   x-amz-checksum-crc64nvme 8 bytes (BE)    12 chars   crc64nvme.ts (slicing-by-8)
 *   SHA1        x-amz-checksum-sha1      20 bytes        28 chars   node:crypto (a runtime without it
 *                                                                   cannot compute SHA1: a StratusError)
 *   SHA256      x-amz-checksum-sha256    32 bytes        44 chars   node:crypto, else sha256-js (as the
 *                                                                   signer does, signing/hash.ts)
 *
 * Built-ins are asked for through platform/ (`nodeBuiltin`), never imported, so the module
 * loads on every runtime.
 *
 * A `Checksum` is fed chunk by chunk and digested once, so a streamed body is summed without
 * being kept. The value that travels in a header or trailer is the base64 of the digest;
 * a CRC's digest is its integer in big-endian bytes, as S3 (and botocore, and the v3 SDK)
 * encode it.
 *
 * `RESPONSE_PRIORITY` is the order in which a response's checksum headers are looked for
 * (botocore's: the cheapest to compute first); S3 sends only the one it stored anyway.
 */
import { RawSha256 } from "@aws-crypto/sha256-js/build/main/RawSha256.js";
import { StratusError } from "../errors/index.ts";
import { bytesToBase64 } from "../platform/bytes.ts";
import { nodeBuiltin } from "../platform/index.ts";
import type { ChecksumAlgorithm } from "../schema/types.ts";
import { crc32 } from "./crc32.ts";
import { crc32c } from "./crc32c.ts";
import { Crc64Nvme } from "./crc64nvme.ts";

export type { ChecksumAlgorithm };

/** A checksum in progress: `update` with each chunk, then `digest` once. */
export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  update(chunk: Uint8Array): void;
  /** The digest of everything given to `update`; call it once. */
  digest(): Uint8Array;
}

/** Every algorithm, in the order a response's checksum headers are looked for. */
export const RESPONSE_PRIORITY: readonly ChecksumAlgorithm[] = ["CRC64NVME", "CRC32C", "CRC32", "SHA1", "SHA256"];

/** The default when a checksum is wanted and the caller chose none (botocore ≥ 1.36, the v3 SDK). */
export const DEFAULT_CHECKSUM_ALGORITHM: ChecksumAlgorithm = "CRC32";

const DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

/** The algorithm a member value or header suffix names ("crc32c", "SHA256"…), case-insensitively. */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.trim().toUpperCase();
  return Object.hasOwn(DIGEST_BYTES, upper) ? (upper as ChecksumAlgorithm) : undefined;
}

/** `x-amz-checksum-<algorithm>`, the header (or trailer) that carries the value. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** Characters of the base64 value, known before the data is: the aws-chunked length needs it. */
export function checksumBase64Length(algorithm: ChecksumAlgorithm): number {
  return 4 * Math.ceil(DIGEST_BYTES[algorithm] / 3);
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case "CRC32":
      return new Crc32Checksum(algorithm, crc32Function());
    case "CRC32C":
      return new Crc32Checksum(algorithm, crc32c);
    case "CRC64NVME":
      return new Crc64Checksum();
    case "SHA1":
      return new HashChecksum(algorithm, "sha1");
    case "SHA256":
      return new HashChecksum(algorithm, "sha256");
  }
}

/** The base64 checksum of `data` (a string counts as its UTF-8 bytes). */
export function checksumBase64(algorithm: ChecksumAlgorithm, data: Uint8Array | string): string {
  const checksum = createChecksum(algorithm);
  checksum.update(typeof data === "string" ? new TextEncoder().encode(data) : data);
  return bytesToBase64(checksum.digest());
}

class Crc32Checksum implements Checksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly #update: (data: Uint8Array, previous: number) => number;
  #value = 0;

  constructor(algorithm: ChecksumAlgorithm, update: (data: Uint8Array, previous: number) => number) {
    this.algorithm = algorithm;
    this.#update = update;
  }

  update(chunk: Uint8Array): void {
    this.#value = this.#update(chunk, this.#value);
  }

  digest(): Uint8Array {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, this.#value >>> 0);
    return out;
  }
}

class Crc64Checksum implements Checksum {
  readonly algorithm: ChecksumAlgorithm = "CRC64NVME";
  readonly #crc = new Crc64Nvme();

  update(chunk: Uint8Array): void {
    this.#crc.update(chunk);
  }

  digest(): Uint8Array {
    return this.#crc.digest();
  }
}

class HashChecksum implements Checksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly #update: (chunk: Uint8Array) => void;
  readonly #digest: () => Uint8Array;

  constructor(algorithm: ChecksumAlgorithm, name: "sha1" | "sha256") {
    this.algorithm = algorithm;
    // Asked for on use, not imported: a runtime without node:crypto still loads this module
    // (and has the CRC checksums, and SHA256 from sha256-js as the signer does).
    const crypto = nodeBuiltin("node:crypto");
    if (crypto) {
      const hash = crypto.createHash(name);
      this.#update = (chunk) => void hash.update(chunk);
      this.#digest = () => {
        const out = hash.digest();
        return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      };
    } else if (name === "sha256") {
      const hash = new RawSha256();
      this.#update = (chunk) => hash.update(chunk);
      this.#digest = () => hash.digest();
    } else {
      throw new StratusError(`the ${algorithm} checksum needs node:crypto, which this runtime does not have; choose CRC32, CRC32C, CRC64NVME or SHA256`);
    }
  }

  update(chunk: Uint8Array): void {
    this.#update(chunk);
  }

  digest(): Uint8Array {
    return this.#digest();
  }
}

type Crc32Function = (data: Uint8Array, previous: number) => number;
let crc32Impl: Crc32Function | undefined;

/**
 * CRC32 is the default checksum of every upload, so its speed is the upload's: node:zlib's
 * native `crc32` (Node 20.15+/22.2+) runs at several GB/s where the table-driven one does a
 * few hundred MB/s. Looked up on first use, without a static import, so a runtime without
 * node:zlib falls back to crc32.ts.
 */
function crc32Function(): Crc32Function {
  if (crc32Impl === undefined) {
    const native: unknown = nodeBuiltin("node:zlib")?.crc32;
    crc32Impl = typeof native === "function" ? (native as Crc32Function) : crc32;
  }
  return crc32Impl;
}
