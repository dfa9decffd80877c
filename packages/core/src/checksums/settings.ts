/**
 * The two flexible-checksum settings every AWS SDK shares, each resolved on its own from,
 * in order: the client option, the environment, the profile.
 *
 *   requestChecksumCalculation   AWS_REQUEST_CHECKSUM_CALCULATION / request_checksum_calculation
 *   responseChecksumValidation   AWS_RESPONSE_CHECKSUM_VALIDATION / response_checksum_validation
 *
 * Each is "when_supported" (the default, as in botocore ≥ 1.36 and the v3 SDK) or
 * "when_required", in any case:
 *
 *   request   when_supported  every upload whose operation models a checksum algorithm
 *                             member gets one (CRC32 unless the caller chose another)
 *             when_required   only operations that require a checksum get one, and those
 *                             where the caller chose an algorithm
 *   response  when_supported  responses of operations that can carry a checksum are asked
 *                             for it (`x-amz-checksum-mode: ENABLED`) and validated
 *             when_required   only when the caller set the validation mode member
 *
 * "when_required" is the switch for S3-compatible stores that reject or mishandle
 * checksum headers and aws-chunked bodies. A bad value is a ConfigError naming its source.
 */
import type { Env } from "../credentials/provider.ts";
import { fromEnvOrProfile } from "../config/settings.ts";
import type { SectionValues } from "../config/shared-config.ts";
import { ConfigError } from "../errors/index.ts";

export type ChecksumWhen = "when_supported" | "when_required";

export interface ChecksumSettings {
  readonly requestChecksumCalculation: ChecksumWhen;
  readonly responseChecksumValidation: ChecksumWhen;
}

export const DEFAULT_CHECKSUM_SETTINGS: ChecksumSettings = Object.freeze({
  requestChecksumCalculation: "when_supported",
  responseChecksumValidation: "when_supported",
});

export interface ChecksumSettingsOptions {
  readonly env: Env;
  readonly profile?: SectionValues | undefined;
  /** Client options ("WHEN_SUPPORTED" as the v3 SDK spells it is accepted too); they win over the environment and the profile. */
  readonly requestChecksumCalculation?: ChecksumWhen | Uppercase<ChecksumWhen> | undefined;
  readonly responseChecksumValidation?: ChecksumWhen | Uppercase<ChecksumWhen> | undefined;
}

export function resolveChecksumSettings(options: ChecksumSettingsOptions): ChecksumSettings {
  return {
    requestChecksumCalculation: resolveOne(options, options.requestChecksumCalculation, "requestChecksumCalculation", {
      envVar: "AWS_REQUEST_CHECKSUM_CALCULATION",
      configKey: "request_checksum_calculation",
    }),
    responseChecksumValidation: resolveOne(options, options.responseChecksumValidation, "responseChecksumValidation", {
      envVar: "AWS_RESPONSE_CHECKSUM_VALIDATION",
      configKey: "response_checksum_validation",
    }),
  };
}

function resolveOne(
  options: ChecksumSettingsOptions,
  given: string | undefined,
  option: string,
  key: { envVar: string; configKey: string },
): ChecksumWhen {
  if (given !== undefined) return parse(given, `the ${option} option`);
  const found = fromEnvOrProfile(options, key);
  return found ? parse(found.value, found.source) : "when_supported";
}

function parse(value: string, source: string): ChecksumWhen {
  const lower = value.trim().toLowerCase();
  if (lower === "when_supported" || lower === "when_required") return lower;
  throw new ConfigError(`${source} is ${JSON.stringify(value)}; expected "when_supported" or "when_required"`);
}
