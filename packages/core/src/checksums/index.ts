/**
 * Flexible checksums: the five algorithms S3 accepts and returns (CRC32, CRC32C,
 * CRC64NVME, SHA1, SHA256), each incremental, so a stream is summed as it passes.
 *
 *   crc32.ts       CRC-32 (IEEE), table-driven; shared with event-stream framing
 *   crc32c.ts      CRC-32C (Castagnoli), slicing-by-8
 *   crc64nvme.ts   CRC-64/NVME, slicing-by-8 on 32-bit halves
 *   algorithms.ts  one `Checksum` interface over the five (SHA via node:crypto, CRC32 via
 *                  node:zlib's native crc32 when there is one), header names, base64
 *   settings.ts    requestChecksumCalculation / responseChecksumValidation
 *   errors.ts      ChecksumMismatchError
 *
 * Where they are applied (which upload gets which checksum, header or aws-chunked trailer,
 * and how a download is checked) is the pipeline's checksum step,
 * client/steps/checksum.ts.
 */
export {
  checksumBase64,
  checksumBase64Length,
  checksumHeaderName,
  createChecksum,
  DEFAULT_CHECKSUM_ALGORITHM,
  parseChecksumAlgorithm,
  RESPONSE_PRIORITY,
  type Checksum,
} from "./algorithms.ts";
export { crc32 } from "./crc32.ts";
export { md5, md5Hex } from "./md5.ts";
export { crc32c } from "./crc32c.ts";
export { crc64nvme, Crc64Nvme } from "./crc64nvme.ts";
export { ChecksumMismatchError } from "./errors.ts";
export {
  DEFAULT_CHECKSUM_SETTINGS,
  resolveChecksumSettings,
  type ChecksumSettings,
  type ChecksumSettingsOptions,
  type ChecksumWhen,
} from "./settings.ts";
