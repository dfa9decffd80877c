/**
 * Reading one setting out of the environment or a profile, with the rules every resolver
 * here shares:
 *   - An empty string means unset, in the environment (`AWS_PROFILE=` in a shell) and in a
 *     file (`region =`), so an empty value never hides the next source in line.
 *   - Only own properties count: a profile is a plain object, and `profile["toString"]`
 *     must not find Object.prototype's.
 *   - A key that holds a nested block where a single value is expected (or the reverse) is
 *     a ConfigError rather than a silent miss: it is always a mistake in the file.
 * Each result carries a `source` phrase for messages about the value.
 */
import type { Env } from "../credentials/provider.ts";
import { ConfigError } from "../errors/index.ts";
import { describeSetting } from "./origin.ts";
import type { SectionValues } from "./shared-config.ts";

export interface Found<T> {
  readonly value: T;
  /** e.g. `the AWS_REGION environment variable` or `region in profile "dev" (/h/.aws/config:2)` */
  readonly source: string;
}

export function fromEnv(env: Env, variable: string): Found<string> | undefined {
  const value = env[variable];
  return value ? { value, source: `the ${variable} environment variable` } : undefined;
}

export function fromProfile(profile: SectionValues | undefined, key: string): Found<string> | undefined {
  if (!profile || !Object.hasOwn(profile, key)) return undefined;
  const value = profile[key];
  const source = describeSetting(profile, key);
  if (typeof value === "object") {
    throw new ConfigError(`${source} is an indented block of settings; a single value was expected`);
  }
  return value ? { value, source } : undefined;
}

/** A nested block such as `s3 =\n  addressing_style = path`; undefined if absent or empty. */
export function blockFromProfile(
  profile: SectionValues | undefined,
  key: string,
): Found<Readonly<Record<string, string>>> | undefined {
  if (!profile || !Object.hasOwn(profile, key)) return undefined;
  const value = profile[key];
  const source = describeSetting(profile, key);
  if (typeof value === "string") {
    if (value === "") return undefined;
    throw new ConfigError(`${source} is a single value; an indented block of "key = value" lines was expected`);
  }
  return value === undefined ? undefined : { value, source };
}

/** The environment variable if set, else the profile key. */
export function fromEnvOrProfile(
  options: { env: Env; profile?: SectionValues | undefined },
  key: { envVar?: string | undefined; configKey?: string | undefined },
): Found<string> | undefined {
  return (
    (key.envVar === undefined ? undefined : fromEnv(options.env, key.envVar)) ??
    (key.configKey === undefined ? undefined : fromProfile(options.profile, key.configKey))
  );
}

/** `true` / `false` in any letter case; anything else is an error naming where it came from. */
export function parseBoolean(found: Found<string>): boolean {
  const lower = found.value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new ConfigError(`${found.source} must be "true" or "false", not ${JSON.stringify(found.value)}`);
}
