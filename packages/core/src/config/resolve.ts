/**
 * The small resolvers every client needs, as pure functions over an explicit `env` and an
 * already-loaded profile, so the order of sources is visible in one place and testable
 * without touching the process.
 *
 * Order is always: what the caller passed, then the environment, then the profile. Two
 * orders differ from botocore on purpose, matching the other AWS SDKs and the CLI v2:
 * AWS_PROFILE is read before the legacy AWS_DEFAULT_PROFILE (botocore reads it the other way
 * round), and AWS_REGION before AWS_DEFAULT_REGION (botocore does not read AWS_REGION).
 * Empty strings count as unset everywhere (see settings.ts).
 */
import type { Env } from "../credentials/provider.ts";
import { ConfigError, NoRegionError } from "../errors/index.ts";
import { describeSetting } from "./origin.ts";
import { fromEnv, fromEnvOrProfile, fromProfile, type Found } from "./settings.ts";
import type { SectionValues } from "./shared-config.ts";

export interface RegionOptions {
  readonly region?: string | undefined;
  readonly env: Env;
  readonly profile?: SectionValues | undefined;
}

/** explicit → AWS_PROFILE → AWS_DEFAULT_PROFILE → "default" */
export function resolveProfileName(options: { profile?: string | undefined; env: Env }): string {
  return options.profile || options.env["AWS_PROFILE"] || options.env["AWS_DEFAULT_PROFILE"] || "default";
}

/** explicit → AWS_REGION → AWS_DEFAULT_REGION → the profile's `region`; the one found is validated. */
export function resolveRegion(options: RegionOptions): string | undefined {
  const found: Found<string> | undefined =
    (options.region ? { value: options.region, source: "the region option" } : undefined) ??
    fromEnv(options.env, "AWS_REGION") ??
    fromEnv(options.env, "AWS_DEFAULT_REGION") ??
    fromProfile(options.profile, "region");
  if (!found) return undefined;
  if (!isValidRegion(found.value)) {
    throw new ConfigError(
      `${found.source} is ${JSON.stringify(found.value)}, which is not a region name (only a-z, 0-9 and "-")`,
    );
  }
  return found.value;
}

/** resolveRegion, or NoRegionError listing every place that was looked at. */
export function requireRegion(options: RegionOptions): string {
  const region = resolveRegion(options);
  if (region !== undefined) return region;
  const tried = ["the region option", "AWS_REGION", "AWS_DEFAULT_REGION"];
  if (options.profile) tried.push(describeSetting(options.profile, "region"));
  throw new NoRegionError(tried);
}

/** Lower-case letters, digits and hyphens, e.g. `us-east-1`, `us-gov-west-1`, `local`. */
export function isValidRegion(region: string): boolean {
  return /^[a-z0-9-]+$/.test(region);
}

/** One setting that may come from an environment variable or a profile key; env wins. */
export function configValue(
  options: { env: Env; profile?: SectionValues | undefined },
  key: { envVar?: string; configKey?: string },
): string | undefined {
  return fromEnvOrProfile(options, key)?.value;
}
