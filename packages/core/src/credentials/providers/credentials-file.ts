/**
 * Static keys of the active profile in the shared credentials file (`~/.aws/credentials`
 * or AWS_SHARED_CREDENTIALS_FILE), botocore's `SharedCredentialProvider`:
 * `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` (or the legacy
 * `aws_security_token`) and `aws_account_id`.
 *
 * One precedence rule reaches across files. botocore tries the assume-role and SSO
 * providers before this one, so a profile whose merged view (config file overlaid with
 * credentials file) configures a role or SSO is left to the config-file provider, even
 * when the credentials file also holds keys for it: those keys are then the role's source
 * (`source_profile` naming the profile itself, which botocore allows), not the answer.
 *
 * `staticCredentials` (the key reading, with an error naming a missing key and where the
 * other one was found) is shared with the config-file provider.
 */
import { describeSetting, loadSharedConfig, resolveProfileName } from "../../config/index.ts";
import type { SectionValues, SharedConfig } from "../../config/index.ts";
import { ConfigError, CredentialsNotFound } from "../../errors/index.ts";
import { Credentials } from "../credentials.ts";
import type { CredentialProvider, Env } from "../provider.ts";

export interface ProfileProviderOptions {
  readonly env: Env;
  /** The profile name; explicit → AWS_PROFILE → AWS_DEFAULT_PROFILE → "default" when absent. */
  readonly profile?: string | undefined;
  readonly homeDir?: string | undefined;
  /** The loaded shared config, or a loader shared with other providers; loaded when absent. */
  readonly config?: SharedConfig | (() => Promise<SharedConfig>) | undefined;
}

const NAME = "credentials-file";

export function fromCredentialsFile(options: ProfileProviderOptions): CredentialProvider {
  return {
    name: NAME,
    async resolve(): Promise<Credentials> {
      const config = await sharedConfigOf(options);
      const name = resolveProfileName({ profile: options.profile, env: options.env });
      const section = config.credentialProfiles.get(name);
      if (!section) throw new CredentialsNotFound(NAME, `profile "${name}" is not in ${config.credentialsFile}`);
      const deferTo = configuredElsewhere(config.profile(name) ?? section);
      if (deferTo) {
        throw new CredentialsNotFound(NAME, `profile "${name}" sets ${deferTo}, which the config-file provider handles`);
      }
      if (!has(section, "aws_access_key_id")) {
        throw new CredentialsNotFound(NAME, `profile "${name}" in ${config.credentialsFile} has no aws_access_key_id`);
      }
      return staticCredentials(section, name, `profile:${name} (credentials-file)`);
    },
  };
}

/** The config, from the options or loaded now. */
export async function sharedConfigOf(options: ProfileProviderOptions): Promise<SharedConfig> {
  if (typeof options.config === "function") return options.config();
  return options.config ?? loadSharedConfig({ env: options.env, homeDir: options.homeDir });
}

/** The setting that makes a profile more than static keys (botocore tries those first). */
function configuredElsewhere(profile: SectionValues): string | undefined {
  for (const key of ["role_arn", "web_identity_token_file", "sso_account_id", "sso_role_name"]) {
    if (has(profile, key)) return key;
  }
  return undefined;
}

/**
 * A profile that asks for SSO role credentials. An `sso_session` alone is not one: it may be
 * there only for token-based services (botocore's SSOProvider also needs the account or role).
 */
export function isSsoProfile(profile: SectionValues): boolean {
  return has(profile, "sso_account_id") || has(profile, "sso_role_name");
}

/** A non-empty string setting. */
export function has(profile: SectionValues, key: string): boolean {
  return Object.hasOwn(profile, key) && typeof profile[key] === "string" && profile[key] !== "";
}

/** The string value of a setting, or undefined (nested blocks are not settings here). */
export function stringSetting(profile: SectionValues, key: string): string | undefined {
  const value = Object.hasOwn(profile, key) ? profile[key] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** True if either static key is present: the profile means to hold keys. */
export function hasStaticKeys(profile: SectionValues): boolean {
  return has(profile, "aws_access_key_id") || has(profile, "aws_secret_access_key");
}

/** The profile's static keys as `Credentials`; one key without the other is a ConfigError. */
export function staticCredentials(profile: SectionValues, profileName: string, source: string): Credentials {
  const accessKeyId = stringSetting(profile, "aws_access_key_id");
  const secretAccessKey = stringSetting(profile, "aws_secret_access_key");
  if (!accessKeyId || !secretAccessKey) {
    const [present, missing] = accessKeyId
      ? ["aws_access_key_id", "aws_secret_access_key"]
      : ["aws_secret_access_key", "aws_access_key_id"];
    throw new ConfigError(`${describeSetting(profile, present, `profile "${profileName}"`)} has no matching ${missing}`);
  }
  return new Credentials(
    {
      accessKeyId,
      secretAccessKey,
      sessionToken: stringSetting(profile, "aws_session_token") ?? stringSetting(profile, "aws_security_token"),
      accountId: stringSetting(profile, "aws_account_id"),
    },
    source,
  );
}
