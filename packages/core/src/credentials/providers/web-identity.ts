/**
 * Web identity: trade an OIDC token from a file for role credentials with STS
 * `AssumeRoleWithWebIdentity` (EKS IRSA, GitHub Actions, any OIDC federation). botocore's
 * `AssumeRoleWithWebIdentityProvider`, setting by setting:
 *
 *   token file    AWS_WEB_IDENTITY_TOKEN_FILE, else the profile's web_identity_token_file
 *   role          AWS_ROLE_ARN,                else the profile's role_arn
 *   session name  AWS_ROLE_SESSION_NAME,       else the profile's role_session_name,
 *                 else `stratus-session-<unix seconds>`, chosen once per provider
 *
 * Each setting is looked up on its own, variable first, as botocore does, so a token file
 * from the environment may pair with a role from the profile. No token file anywhere means
 * "not configured"; a token file without a role is a configuration error.
 *
 * The token file is read again on every resolve: Kubernetes and other issuers rotate it in
 * place, and a token read once would expire long before the role credentials do. The call
 * is unsigned, so it needs no other credentials. The token is a bearer secret: it is never
 * part of a message (read errors name the file and the error code only).
 *
 * When this profile is the source of another role (see config-file.ts) the environment is
 * ignored (`ignoreEnv`), as botocore does for source profiles.
 */
import { configValue, describeSetting, loadSharedConfig, resolveProfileName } from "../../config/index.ts";
import type { SectionValues, SharedConfig } from "../../config/index.ts";
import { ConfigError, CredentialsError, CredentialsNotFound } from "../../errors/index.ts";
import type { Credentials } from "../credentials.ts";
import type { CredentialProvider, Env, ResolveOptions } from "../provider.ts";
import { assumeRoleWithWebIdentity, defaultRoleSessionName, stsTarget, type StsTarget } from "../sts.ts";

export interface WebIdentityOptions {
  readonly env: Env;
  /** The profile name to read settings from; AWS_PROFILE's order when absent. */
  readonly profile?: string | undefined;
  readonly homeDir?: string | undefined;
  /** The loaded shared config, or a loader shared with other providers; loaded when absent. */
  readonly config?: SharedConfig | (() => Promise<SharedConfig>) | undefined;
  /** Read only the profile, not the AWS_* variables (a role chain's source profile). */
  readonly ignoreEnv?: boolean | undefined;
  /** The caller's region for the STS endpoint, ahead of the environment and profile. */
  readonly region?: string | undefined;
  /** Where STS calls go; worked out from env and profile when absent. */
  readonly stsTarget?: StsTarget | undefined;
  readonly timeoutMs?: number | undefined;
  /** Clock for the default session name, milliseconds since the epoch. */
  readonly now?: (() => number) | undefined;
}

const NAME = "web-identity";

export function fromWebIdentity(options: WebIdentityOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  // Chosen on first use and kept, as botocore keeps it per fetcher.
  let generatedSessionName: string | undefined;
  return {
    name: NAME,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      const env: Env = options.ignoreEnv ? {} : options.env;
      const config = await sharedConfig(options);
      const profileName = resolveProfileName({ profile: options.profile, env: options.env });
      const profile = config.profile(profileName);
      const source = options.ignoreEnv || !env["AWS_WEB_IDENTITY_TOKEN_FILE"] ? `profile:${profileName} (web-identity)` : NAME;

      const tokenFile = configValue({ env, profile }, { envVar: "AWS_WEB_IDENTITY_TOKEN_FILE", configKey: "web_identity_token_file" });
      if (!tokenFile) {
        throw new CredentialsNotFound(
          NAME,
          options.ignoreEnv
            ? `profile "${profileName}" has no web_identity_token_file`
            : `AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile "${profileName}" has no web_identity_token_file`,
        );
      }
      const roleArn = configValue({ env, profile }, { envVar: "AWS_ROLE_ARN", configKey: "role_arn" });
      if (!roleArn) {
        throw new ConfigError(
          `a web identity token file is configured (${tokenOrigin(env, profile)}) but no role is: ` +
            `set AWS_ROLE_ARN or role_arn in profile "${profileName}"`,
        );
      }
      const roleSessionName =
        configValue({ env, profile }, { envVar: "AWS_ROLE_SESSION_NAME", configKey: "role_session_name" }) ??
        (generatedSessionName ??= defaultRoleSessionName(now()));
      const webIdentityToken = await readToken(source, tokenFile);
      const target = options.stsTarget ?? stsTarget({ env: options.env, config, profile, region: options.region });
      return assumeRoleWithWebIdentity(
        { roleArn, roleSessionName, webIdentityToken },
        { target, provider: source, timeoutMs: options.timeoutMs, signal: resolveOptions.signal, now },
      );
    },
  };
}

async function sharedConfig(options: WebIdentityOptions): Promise<SharedConfig> {
  if (typeof options.config === "function") return options.config();
  return options.config ?? loadSharedConfig({ env: options.env, homeDir: options.homeDir });
}

function tokenOrigin(env: Env, profile: SectionValues | undefined): string {
  return env["AWS_WEB_IDENTITY_TOKEN_FILE"] ? "AWS_WEB_IDENTITY_TOKEN_FILE" : describeSetting(profile, "web_identity_token_file");
}

async function readToken(provider: string, path: string): Promise<string> {
  let token: string;
  try {
    const { readFile } = await import("node:fs/promises");
    token = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CredentialsError(provider, `cannot read the web identity token file ${path}${code ? ` (${code})` : ""}`);
  }
  // Issuers write the bare JWT; a trailing newline from `echo` is not part of it.
  token = token.trim();
  if (!token) throw new CredentialsError(provider, `the web identity token file ${path} is empty`);
  return token;
}
