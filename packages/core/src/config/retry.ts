/**
 * Retry settings: AWS_RETRY_MODE / AWS_MAX_ATTEMPTS over the profile's `retry_mode` /
 * `max_attempts`, each setting resolved on its own (the mode may come from the environment
 * and the count from the file).
 *
 * `maxAttempts` counts the first try, as botocore's `max_attempts` does. When it is not set
 * the default follows the mode, as in botocore: 5 for "legacy" (its _retry.json default), 3
 * for "standard" and "adaptive". The default mode is "standard" (botocore still defaults to
 * "legacy"; the newer SDKs and the CLI v2 default to "standard").
 * Mode names are case-sensitive like botocore's; counts are plain decimal digits, at least 1.
 */
import type { Env } from "../credentials/provider.ts";
import { ConfigError } from "../errors/index.ts";
import { fromEnvOrProfile } from "./settings.ts";
import type { SectionValues } from "./shared-config.ts";

export type RetryMode = "legacy" | "standard" | "adaptive";

export interface RetryConfig {
  readonly mode: RetryMode;
  /** Total attempts including the first. */
  readonly maxAttempts: number;
}

const MODES: readonly RetryMode[] = ["legacy", "standard", "adaptive"];

export function resolveRetryConfig(options: { env: Env; profile?: SectionValues | undefined }): RetryConfig {
  const modeFound = fromEnvOrProfile(options, { envVar: "AWS_RETRY_MODE", configKey: "retry_mode" });
  let mode: RetryMode = "standard";
  if (modeFound) {
    const known = MODES.find((m) => m === modeFound.value);
    if (!known) {
      throw new ConfigError(
        `${modeFound.source} is ${JSON.stringify(modeFound.value)}; expected one of ${MODES.map((m) => `"${m}"`).join(", ")}`,
      );
    }
    mode = known;
  }

  const attemptsFound = fromEnvOrProfile(options, { envVar: "AWS_MAX_ATTEMPTS", configKey: "max_attempts" });
  let maxAttempts = mode === "legacy" ? 5 : 3;
  if (attemptsFound) {
    const n = /^\d+$/.test(attemptsFound.value) ? Number(attemptsFound.value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new ConfigError(
        `${attemptsFound.source} is ${JSON.stringify(attemptsFound.value)}; expected a whole number of attempts, 1 or more`,
      );
    }
    maxAttempts = n;
  }
  return { mode, maxAttempts };
}
