/**
 * Everything a profile can say about credentials, read from the merged view of the config
 * and credentials files: botocore's AssumeRoleProvider, SSOProvider, ProcessProvider and
 * ConfigProvider, folded into one provider because they share one question ("what does
 * this profile say?") and one recursion (a role's `source_profile` is another profile).
 *
 * For a profile, the first of these that applies decides:
 *
 *   1. role_arn (without web_identity_token_file)  assume the role, from
 *        source_profile = P          P's credentials, resolved by these same rules
 *        credential_source = X       Environment | Ec2InstanceMetadata | EcsContainer
 *      exactly one of the two, else a ConfigError; external_id, role_session_name,
 *      duration_seconds, mfa_serial (needs the caller's mfaCodeProvider) go with it
 *   2. web_identity_token_file      AssumeRoleWithWebIdentity (see web-identity.ts)
 *   3. sso_account_id / sso_role_name   SSO (see sso.ts; it reports missing SSO keys)
 *   4. aws_access_key_id / aws_secret_access_key   static keys (both, or an error)
 *   5. credential_process           run the helper (see process.ts)
 *   nothing: "not configured" for the chain, or a ConfigError for a source profile.
 *
 * A source profile that holds static keys uses them even if it also names a role, which
 * is botocore's rule and what makes role chains end. The recursion carries the path of
 * profiles visited: coming back to one is a `ProfileCycleError` showing the path, with
 * botocore's one exception: a profile may name itself as source_profile when it holds
 * static keys (the keys and the role then live in one profile).
 *
 * The whole plan is built, and checked, before anything is called: a cycle or a missing
 * source profile is reported without a single STS call. Every STS call of a chain uses the
 * selected profile's region and endpoint settings, as botocore's session-wide STS client
 * does.
 */
import { ConfigError, CredentialsNotFound, ProfileCycleError } from "../../errors/index.ts";
import { describeSetting, resolveHomeDir, resolveProfileName } from "../../config/index.ts";
import type { SectionValues, SharedConfig } from "../../config/index.ts";
import type { Credentials } from "../credentials.ts";
import type { CredentialProvider, ResolveOptions } from "../provider.ts";
import { stsTarget, type StsTarget } from "../sts.ts";
import { fromAssumeRole, type MfaCodeProvider } from "./assume-role.ts";
import { fromContainerEndpoint } from "./container.ts";
import {
  has,
  hasStaticKeys,
  isSsoProfile,
  sharedConfigOf,
  staticCredentials,
  stringSetting,
  type ProfileProviderOptions,
} from "./credentials-file.ts";
import { fromEnvironment } from "./environment.ts";
import { fromInstanceMetadata } from "./imds.ts";
import { fromProcess } from "./process.ts";
import { fromSso } from "./sso.ts";
import { fromWebIdentity } from "./web-identity.ts";

/** The `credential_source` values botocore accepts (its providers' canonical names). */
export type CredentialSourceName = "Environment" | "Ec2InstanceMetadata" | "EcsContainer";
const CREDENTIAL_SOURCES: readonly CredentialSourceName[] = ["Environment", "Ec2InstanceMetadata", "EcsContainer"];

export interface ConfigFileOptions extends ProfileProviderOptions {
  /** The caller's region for STS, ahead of the environment and profile. */
  readonly region?: string | undefined;
  /** Asked for the one-time code of a role's `mfa_serial` device. */
  readonly mfaCodeProvider?: MfaCodeProvider | undefined;
  /**
   * Replaces the provider behind a `credential_source` name (tests; embedders with their
   * own instance-metadata settings). The defaults read `env` and the selected profile.
   */
  readonly credentialSources?: Partial<Record<CredentialSourceName, CredentialProvider>> | undefined;
  /** Deadline for each STS call and each credential_process run. */
  readonly timeoutMs?: number | undefined;
  /** Clock, milliseconds since the epoch (signing, default session names). */
  readonly now?: (() => number) | undefined;
}

const NAME = "config-file";

export function fromConfigFile(options: ConfigFileOptions): CredentialProvider {
  return {
    name: NAME,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      const config = await sharedConfigOf(options);
      const name = resolveProfileName({ profile: options.profile, env: options.env });
      const profile = config.profile(name);
      if (!profile) {
        throw new CredentialsNotFound(NAME, `profile "${name}" is in neither ${config.configFile} nor ${config.credentialsFile}`);
      }
      const plan = new Planner(options, config, profile);
      const provider = plan.forProfile(name, [name]);
      if (!provider) {
        throw new CredentialsNotFound(
          NAME,
          `profile "${name}" has no role_arn, web_identity_token_file, SSO settings, static keys or credential_process`,
        );
      }
      return provider.resolve(resolveOptions);
    },
  };
}

/** Builds the provider for a profile; one instance per resolve, over one loaded config. */
class Planner {
  readonly #options: ConfigFileOptions;
  readonly #config: SharedConfig;
  /** The selected profile: its region and endpoint settings apply to every STS call. */
  readonly #selected: SectionValues;
  #target: StsTarget | undefined;

  constructor(options: ConfigFileOptions, config: SharedConfig, selected: SectionValues) {
    this.#options = options;
    this.#config = config;
    this.#selected = selected;
  }

  /** Worked out on first need, so a profile of plain keys never trips over an STS setting. */
  get #sts(): StsTarget {
    this.#target ??= stsTarget({
      env: this.#options.env,
      config: this.#config,
      profile: this.#selected,
      region: this.#options.region,
    });
    return this.#target;
  }

  /** `path` ends with `name`; undefined when the profile configures no credentials at all. */
  forProfile(name: string, path: readonly string[]): CredentialProvider | undefined {
    const profile = this.#config.profile(name);
    if (!profile) return undefined;
    const asSource = path.length > 1;
    const label = `profile:${name}`;
    const o = this.#options;

    if (has(profile, "role_arn") && !has(profile, "web_identity_token_file") && !(asSource && hasStaticKeys(profile))) {
      return this.#role(name, profile, path);
    }
    if (has(profile, "web_identity_token_file")) {
      return fromWebIdentity({
        env: o.env,
        profile: name,
        config: this.#config,
        ignoreEnv: true,
        stsTarget: this.#sts,
        timeoutMs: o.timeoutMs,
        now: o.now,
      });
    }
    if (isSsoProfile(profile)) {
      return fromSso({
        profileName: name,
        profile,
        config: this.#config,
        env: o.env,
        homeDir: o.homeDir ?? resolveHomeDir(o.env),
        now: o.now,
        timeoutMs: o.timeoutMs,
      });
    }
    if (hasStaticKeys(profile)) return this.#static(name, profile);
    const command = stringSetting(profile, "credential_process");
    if (command !== undefined) {
      return fromProcess({
        command,
        env: o.env,
        name: `${label} (credential-process)`,
        accountId: stringSetting(profile, "aws_account_id"),
        timeoutMs: o.timeoutMs,
      });
    }
    return undefined;
  }

  #role(name: string, profile: SectionValues, path: readonly string[]): CredentialProvider {
    const sourceProfile = stringSetting(profile, "source_profile");
    const credentialSource = stringSetting(profile, "credential_source");
    if (sourceProfile !== undefined && credentialSource !== undefined) {
      throw new ConfigError(
        `profile "${name}" sets both source_profile and credential_source; a role takes its source credentials from exactly one`,
      );
    }
    let source: CredentialProvider;
    if (credentialSource !== undefined) {
      source = this.#credentialSource(name, profile, credentialSource);
    } else if (sourceProfile !== undefined) {
      source = this.#sourceProfile(name, profile, sourceProfile, path);
    } else {
      throw new ConfigError(
        `${describeSetting(profile, "role_arn", `profile "${name}"`)} needs source_profile or credential_source to say where the credentials that assume it come from`,
      );
    }
    return fromAssumeRole({
      roleArn: stringSetting(profile, "role_arn")!,
      source,
      stsTarget: this.#sts,
      roleSessionName: stringSetting(profile, "role_session_name"),
      externalId: stringSetting(profile, "external_id"),
      durationSeconds: durationSeconds(name, profile),
      mfaSerial: stringSetting(profile, "mfa_serial"),
      mfaCodeProvider: this.#options.mfaCodeProvider,
      profile: name,
      name: `profile:${name} (assume-role)`,
      timeoutMs: this.#options.timeoutMs,
      now: this.#options.now,
    });
  }

  #sourceProfile(name: string, profile: SectionValues, sourceName: string, path: readonly string[]): CredentialProvider {
    if (path.includes(sourceName)) {
      // botocore's one allowed loop: the role's own profile holds the keys that assume it.
      if (sourceName === name && hasStaticKeys(profile)) return this.#static(name, profile);
      throw new ProfileCycleError([...path, sourceName]);
    }
    if (!this.#config.profile(sourceName)) {
      throw new ConfigError(
        `${describeSetting(profile, "source_profile", `profile "${name}"`)} names profile "${sourceName}", ` +
          `which is in neither ${this.#config.configFile} nor ${this.#config.credentialsFile}`,
      );
    }
    const provider = this.forProfile(sourceName, [...path, sourceName]);
    if (!provider) {
      throw new ConfigError(
        `profile "${sourceName}" is the source_profile of profile "${name}" but has no credentials ` +
          "(no role_arn, web_identity_token_file, SSO settings, static keys or credential_process)",
      );
    }
    return provider;
  }

  #credentialSource(name: string, profile: SectionValues, value: string): CredentialProvider {
    if (!CREDENTIAL_SOURCES.includes(value as CredentialSourceName)) {
      throw new ConfigError(
        `${describeSetting(profile, "credential_source", `profile "${name}"`)} is ${JSON.stringify(value)}; ` +
          `expected one of ${CREDENTIAL_SOURCES.join(", ")}`,
      );
    }
    const which = value as CredentialSourceName;
    const injected = this.#options.credentialSources?.[which];
    if (injected) return injected;
    const env = this.#options.env;
    switch (which) {
      case "Environment":
        return fromEnvironment({ env });
      case "Ec2InstanceMetadata":
        return fromInstanceMetadata({ env, profile: this.#selected });
      case "EcsContainer":
        return fromContainerEndpoint({ env });
    }
  }

  #static(name: string, profile: SectionValues): CredentialProvider {
    // Say which file the keys came from: the merged view may take them from either.
    const fromCredentialsFile = this.#config.credentialProfiles.get(name)?.["aws_access_key_id"] !== undefined;
    const source = `profile:${name} (${fromCredentialsFile ? "credentials-file" : "config-file"})`;
    const credentials = staticCredentials(profile, name, source);
    return { name: source, resolve: async () => credentials };
  }
}

function durationSeconds(name: string, profile: SectionValues): number | undefined {
  const text = stringSetting(profile, "duration_seconds");
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw new ConfigError(
      `${describeSetting(profile, "duration_seconds", `profile "${name}"`)} is ${JSON.stringify(text)}; expected a whole number of seconds`,
    );
  }
  return Number(text.trim());
}
