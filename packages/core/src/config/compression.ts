/**
 * Request compression settings (the Smithy `requestCompression` trait's two SDK settings),
 * each resolved on its own from, in order: the caller's client option, the environment,
 * the profile.
 *
 *   disableRequestCompression   AWS_DISABLE_REQUEST_COMPRESSION / disable_request_compression
 *                               "true" or "false" in any case; default false
 *   minCompressionSizeBytes     AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES /
 *                               request_min_compression_size_bytes
 *                               a whole number of bytes, 0 to 10485760; default 10240
 *
 * The range is the one the SDK specification gives and the v3 SDK enforces (botocore
 * accepts 1 to 1048576 instead); 0 means "compress every body the operation allows".
 * A bad value is a ConfigError naming where it came from, like every other setting here,
 * rather than a silent fall back to the default.
 */
import type { Env } from "../credentials/provider.ts";
import { ConfigError } from "../errors/index.ts";
import { fromEnvOrProfile, parseBoolean } from "./settings.ts";
import type { SectionValues } from "./shared-config.ts";

export interface CompressionSettings {
  readonly disableRequestCompression: boolean;
  /** Bodies smaller than this many bytes are sent as they are. */
  readonly minCompressionSizeBytes: number;
}

export const DEFAULT_MIN_COMPRESSION_SIZE_BYTES = 10_240;
export const MAX_MIN_COMPRESSION_SIZE_BYTES = 10_485_760;

export interface CompressionOptions {
  readonly env: Env;
  readonly profile?: SectionValues | undefined;
  /** Client options; they win over the environment and the profile. */
  readonly disableRequestCompression?: boolean | undefined;
  readonly minCompressionSizeBytes?: number | undefined;
}

export function resolveCompressionSettings(options: CompressionOptions): CompressionSettings {
  let disableRequestCompression = false;
  if (options.disableRequestCompression !== undefined) {
    disableRequestCompression = options.disableRequestCompression;
  } else {
    const found = fromEnvOrProfile(options, { envVar: "AWS_DISABLE_REQUEST_COMPRESSION", configKey: "disable_request_compression" });
    if (found) disableRequestCompression = parseBoolean(found);
  }

  let minCompressionSizeBytes = DEFAULT_MIN_COMPRESSION_SIZE_BYTES;
  if (options.minCompressionSizeBytes !== undefined) {
    minCompressionSizeBytes = checkMinCompressionSize(options.minCompressionSizeBytes, "the minCompressionSizeBytes option");
  } else {
    const found = fromEnvOrProfile(options, {
      envVar: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
      configKey: "request_min_compression_size_bytes",
    });
    if (found) {
      // Plain decimal digits only: "1e4", "0x10", " 10" and "10.0" are mistakes, not numbers.
      const n = /^\d+$/.test(found.value) ? Number(found.value) : Number.NaN;
      if (!inRange(n)) throw new ConfigError(`${found.source} is ${JSON.stringify(found.value)}; ${EXPECTED}`);
      minCompressionSizeBytes = n;
    }
  }
  return { disableRequestCompression, minCompressionSizeBytes };
}

const EXPECTED = `expected a whole number of bytes from 0 to ${MAX_MIN_COMPRESSION_SIZE_BYTES}`;

function inRange(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_MIN_COMPRESSION_SIZE_BYTES;
}

/** The threshold itself if it is valid; a ConfigError naming `source` otherwise. */
export function checkMinCompressionSize(value: number, source: string): number {
  if (!inRange(value)) throw new ConfigError(`${source} is ${String(value)}; ${EXPECTED}`);
  return value;
}
