/**
 * CRC-64/NVME, S3's `x-amz-checksum-crc64nvme` (the NVMe specification's CRC, the default
 * of S3's full-object checksums): polynomial 0xAD93D23594C93659, reflected in and out
 * (reflected polynomial 0x9A6C9329AC4BC9B5), register preset to all ones and inverted at
 * the end. Check value: CRC-64/NVME("123456789") = 0xAE8B14860A799888.
 *
 * JavaScript has no fast 64-bit integers (BigInt arithmetic allocates), so the register is
 * kept as two unsigned 32-bit halves, `lo` and `hi`, and every table entry likewise: a
 * shift right by 8 is `lo = lo >>> 8 | hi << 24; hi >>>= 8`. Tables are slicing-by-8 (eight
 * 256-entry tables per half, 16 KiB, built on first use): eight input bytes are XORed into
 * the whole 64-bit register and replaced by eight independent lookups, so there is no
 * byte-serial dependency chain in the hot loop.
 *
 * Incremental: `crc64nvme(b, crc64nvme(a))` equals `crc64nvme(a ++ b)`; `Crc64Nvme` does
 * the same without a BigInt per chunk.
 */

const POLY_LO = 0xac4bc9b5;
const POLY_HI = 0x9a6c9329;

// Signed entries: V8 keeps int32 values unboxed (an unsigned one above 2^31 is a double);
// the register halves stay int32 in the loop for the same reason.
let tableLo: Int32Array | undefined;
let tableHi: Int32Array | undefined;

function buildTables(): void {
  const lo = new Int32Array(8 * 256);
  const hi = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let cLo = n;
    let cHi = 0;
    for (let k = 0; k < 8; k++) {
      const bit = cLo & 1;
      cLo = ((cLo >>> 1) | (cHi << 31)) >>> 0;
      cHi = cHi >>> 1;
      if (bit) {
        cLo = (cLo ^ POLY_LO) >>> 0;
        cHi = (cHi ^ POLY_HI) >>> 0;
      }
    }
    lo[n] = cLo;
    hi[n] = cHi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const pLo = lo[(k - 1) * 256 + n] as number;
      const pHi = hi[(k - 1) * 256 + n] as number;
      const index = pLo & 0xff;
      lo[k * 256 + n] = ((pLo >>> 8) | (pHi << 24)) ^ (lo[index] as number);
      hi[k * 256 + n] = (pHi >>> 8) ^ (hi[index] as number);
    }
  }
  tableLo = lo;
  tableHi = hi;
}

/** The register of a CRC-64/NVME in progress, as two 32-bit halves (not yet inverted). */
export class Crc64Nvme {
  #lo = -1;
  #hi = -1;

  /** Continues from a finished value (`crc64nvme`'s result), for incremental use. */
  static from(previous: bigint): Crc64Nvme {
    const out = new Crc64Nvme();
    const register = ~previous & 0xffffffffffffffffn;
    out.#lo = Number(register & 0xffffffffn) | 0;
    out.#hi = Number(register >> 32n) | 0;
    return out;
  }

  update(data: Uint8Array): this {
    if (tableLo === undefined || tableHi === undefined) buildTables();
    const tl = tableLo as Int32Array;
    const th = tableHi as Int32Array;
    let lo = this.#lo;
    let hi = this.#hi;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    // Indexes are in range by construction; `as number` only quiets noUncheckedIndexedAccess.
    for (; i < end8; i += 8) {
      const xl = lo ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24));
      const xh = hi ^ ((data[i + 4] as number) | ((data[i + 5] as number) << 8) | ((data[i + 6] as number) << 16) | ((data[i + 7] as number) << 24));
      const a = 1792 + (xl & 0xff);
      const b = 1536 + ((xl >>> 8) & 0xff);
      const c = 1280 + ((xl >>> 16) & 0xff);
      const d = 1024 + (xl >>> 24);
      const e = 768 + (xh & 0xff);
      const f = 512 + ((xh >>> 8) & 0xff);
      const g = 256 + ((xh >>> 16) & 0xff);
      const h = xh >>> 24;
      lo = (tl[a] as number) ^ (tl[b] as number) ^ (tl[c] as number) ^ (tl[d] as number) ^ (tl[e] as number) ^ (tl[f] as number) ^ (tl[g] as number) ^ (tl[h] as number);
      hi = (th[a] as number) ^ (th[b] as number) ^ (th[c] as number) ^ (th[d] as number) ^ (th[e] as number) ^ (th[f] as number) ^ (th[g] as number) ^ (th[h] as number);
    }
    for (; i < data.length; i++) {
      const index = (lo ^ (data[i] as number)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ (tl[index] as number);
      hi = (hi >>> 8) ^ (th[index] as number);
    }
    this.#lo = lo;
    this.#hi = hi;
    return this;
  }

  /** The finished CRC as an unsigned 64-bit integer. */
  value(): bigint {
    return (BigInt(~this.#hi >>> 0) << 32n) | BigInt(~this.#lo >>> 0);
  }

  /** The finished CRC as 8 big-endian bytes (the form S3 base64-encodes). */
  digest(): Uint8Array {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, ~this.#hi >>> 0);
    view.setUint32(4, ~this.#lo >>> 0);
    return out;
  }
}

/** The CRC-64/NVME of `data`, continuing from `previous` when given. */
export function crc64nvme(data: Uint8Array, previous?: bigint): bigint {
  return (previous === undefined ? new Crc64Nvme() : Crc64Nvme.from(previous)).update(data).value();
}
