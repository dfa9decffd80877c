/**
 * S3's multipart limits and the part size an upload uses within them.
 *
 *   every part but the last   at least 5 MiB, at most 5 GiB
 *   parts per upload          at most 10,000, numbered from 1
 *
 * A body of known length gets the caller's part size (8 MiB unless set), raised to a whole
 * number of MiB when that is needed to fit the body in 10,000 parts: 100 GiB goes in parts
 * of 11 MiB, not 8 (botocore doubles the size until it fits, which can nearly double the
 * memory an upload holds; the smallest size that fits keeps memory lowest). A body of
 * unknown length keeps the caller's size, since nothing says how large it is; it fails at
 * part 10,001 with a message that names the part size to pass (`tooManyPartsMessage`).
 */

const MiB = 1024 * 1024;

export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * 1024 * MiB;
export const MAX_PARTS = 10_000;
export const DEFAULT_PART_SIZE = 8 * MiB;
export const DEFAULT_CONCURRENCY = 4;

/**
 * The part size for a body of `total` bytes (undefined: unknown), starting from the
 * caller's `partSize` (already validated). Undefined when even 10,000 parts of 5 GiB cannot
 * hold the body.
 */
export function partSizeFor(total: number | undefined, partSize: number): number | undefined {
  if (total === undefined || total <= partSize * MAX_PARTS) return partSize;
  const fitting = Math.ceil(total / MAX_PARTS / MiB) * MiB;
  return fitting <= MAX_PART_SIZE ? fitting : undefined;
}

/** How many parts `total` bytes make in parts of `partSize` (an empty body is still one part). */
export function partCount(total: number, partSize: number): number {
  return Math.max(1, Math.ceil(total / partSize));
}

/** Bytes as people read them: "8 MiB", "78.1 GiB", "17 bytes". */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = "bytes";
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${unit}`;
}

/** Why a body of unknown length cannot go on after part 10,000, and what to pass instead. */
export function tooManyPartsMessage(partSize: number): string {
  const limit = partSize * MAX_PARTS;
  const doubled = Math.min(MAX_PART_SIZE, partSize * 2);
  return (
    `the body is longer than ${MAX_PARTS.toLocaleString("en-US")} parts of ${formatBytes(partSize)} (${formatBytes(limit)}), ` +
    `the most one multipart upload may have. Pass a larger partSize (for a body of N bytes, at least ` +
    `N / ${MAX_PARTS} rounded up; e.g. ${doubled} bytes (${formatBytes(doubled)}) allows ${formatBytes(doubled * MAX_PARTS)}), ` +
    "or give the body's length (ContentLength) so the part size is chosen for it"
  );
}
