/**
 * Choosing the active profile, with botocore's forgiveness rule: a profile nobody asked for
 * (the implicit "default") may be missing and simply has no settings, but a profile that was
 * named — by the caller, AWS_PROFILE or AWS_DEFAULT_PROFILE, even if the name is "default" —
 * must exist, or the user's intent would be silently ignored.
 */
import type { Env } from "../credentials/provider.ts";
import { ProfileNotFoundError } from "../errors/index.ts";
import { resolveProfileName } from "./resolve.ts";
import type { SectionValues, SharedConfig } from "./shared-config.ts";

export interface SelectedProfile {
  readonly name: string;
  /** undefined only for the implicit default profile when neither file has it. */
  readonly values: SectionValues | undefined;
  /** True when the name came from the caller or the environment rather than the fallback. */
  readonly explicit: boolean;
}

export function selectProfile(options: { profile?: string | undefined; env: Env; config: SharedConfig }): SelectedProfile {
  const name = resolveProfileName(options);
  const explicit = Boolean(options.profile || options.env["AWS_PROFILE"] || options.env["AWS_DEFAULT_PROFILE"]);
  const values = explicit ? requireProfile(options.config, name) : options.config.profile(name);
  return { name, values, explicit };
}

/** The merged profile, or ProfileNotFoundError naming both files. */
export function requireProfile(config: SharedConfig, name: string): SectionValues {
  const values = config.profile(name);
  if (!values) throw new ProfileNotFoundError(name, [config.configFile, config.credentialsFile]);
  return values;
}
