/**
 * CRC-32C (Castagnoli), S3's `x-amz-checksum-crc32c`: the same reflected CRC as crc32.ts
 * (register preset to all ones, inverted at the end), over the polynomial 0x1EDC6F41
 * (reflected: 0x82F63B78). Check value: CRC-32C("123456789") = 0xE3069283.
 *
 * There is no native CRC-32C in Node, so this is in-house and sized for bulk uploads:
 * slicing-by-8, eight 256-entry tables (8 KiB, built on first use from crc32.ts's
 * `crcTable`), consuming eight bytes per step with eight independent lookups, about four
 * times the speed of one byte per step. The tail (fewer than 8 bytes) goes byte by byte.
 *
 * Incremental: `crc32c(b, crc32c(a))` equals `crc32c(a ++ b)`.
 */
import { crcTable } from "./crc32.ts";

/** The Castagnoli polynomial, bit-reflected. */
export const CRC32C_POLYNOMIAL = 0x82f63b78;

let tables: Int32Array | undefined;

/**
 * Slicing-by-8 tables of a reflected 32-bit CRC, table k at offset 256·k. Signed entries
 * on purpose: V8 keeps int32 values unboxed, where an unsigned entry above 2^31 would be
 * loaded as a double; XOR does not care about the sign.
 */
export function slicingTables32(polynomial: number): Int32Array {
  const out = new Int32Array(8 * 256);
  out.set(new Int32Array(crcTable(polynomial).buffer));
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const previous = out[(k - 1) * 256 + n] as number;
      out[k * 256 + n] = (previous >>> 8) ^ (out[previous & 0xff] as number);
    }
  }
  return out;
}

/** Continues a reflected 32-bit CRC (`previous`, as returned) over `data` with slicing-by-8 `t`. */
export function updateCrc32Sliced(t: Int32Array, data: Uint8Array, previous: number): number {
  let crc = ~previous;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  // Indexes are in range by construction; `as number` only quiets noUncheckedIndexedAccess.
  for (; i < end8; i += 8) {
    const lo = crc ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24));
    crc =
      (t[1792 + (lo & 0xff)] as number) ^
      (t[1536 + ((lo >>> 8) & 0xff)] as number) ^
      (t[1280 + ((lo >>> 16) & 0xff)] as number) ^
      (t[1024 + (lo >>> 24)] as number) ^
      (t[768 + (data[i + 4] as number)] as number) ^
      (t[512 + (data[i + 5] as number)] as number) ^
      (t[256 + (data[i + 6] as number)] as number) ^
      (t[data[i + 7] as number] as number);
  }
  for (; i < data.length; i++) crc = (t[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** The CRC-32C of `data` (unsigned), continuing from `previous` when given. */
export function crc32c(data: Uint8Array, previous = 0): number {
  tables ??= slicingTables32(CRC32C_POLYNOMIAL);
  return updateCrc32Sliced(tables, data, previous);
}
