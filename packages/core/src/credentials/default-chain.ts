/**
 * The default credential chain, in boto3's order as the Stratus spec states it:
 *
 *   1. explicit            keys the caller passed in code
 *   2. environment         AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN…
 *   3. web-identity        AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the profile's
 *   4. credentials-file    the profile's static keys in ~/.aws/credentials
 *   5. config-file         the profile: role_arn, web identity, SSO, static keys,
 *                          credential_process
 *   6. container-endpoint  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI
 *   7. instance-metadata   EC2 IMDS
 *
 * and cached (cache.ts): resolved on first use, refreshed ahead of expiry by one call.
 *
 * Two botocore rules about the profile apply here, where the whole chain is visible:
 *   - A profile passed as the `profile` option takes the environment keys, and the web
 *     identity variables, out of the chain (botocore's `disable_env_vars`): asking for a
 *     profile in code means that profile. One named by AWS_PROFILE does not: then both came
 *     from the environment, and the keys win.
 *   - A profile named explicitly (option, AWS_PROFILE, AWS_DEFAULT_PROFILE) that is in
 *     neither file is a `ProfileNotFoundError` rather than a quiet fall-through to the
 *     instance role. The check runs when the chain first needs the shared files (at the
 *     web-identity link), so keys in the environment still work without them.
 *
 * A bundle for the `browser`, `worker` or `workerd` condition gets default-chain.edge.ts
 * instead (explicit keys and the environment), through the package's
 * `#default-credential-chain` import.
 *
 * The shared files are read once per resolution, by whichever link needs them first, and
 * that one read is shared by the rest of the chain. A refresh (a new resolution) reads them
 * again, so an edited profile takes effect at the next refresh.
 */
import { loadSharedConfig, selectProfile } from "../config/index.ts";
import type { SharedConfig } from "../config/index.ts";
import { cacheCredentials, type CachedCredentialProvider } from "./cache.ts";
import { chainProviders } from "./chain.ts";
import type { CredentialIdentity, Credentials } from "./credentials.ts";
import type { CredentialProvider, Env, ResolveOptions } from "./provider.ts";
import type { MfaCodeProvider } from "./providers/assume-role.ts";
import { fromConfigFile } from "./providers/config-file.ts";
import { fromContainerEndpoint } from "./providers/container.ts";
import { fromCredentialsFile } from "./providers/credentials-file.ts";
import { fromEnvironment } from "./providers/environment.ts";
import { fromInstanceMetadata } from "./providers/imds.ts";
import { fromStatic } from "./providers/static.ts";
import { fromWebIdentity } from "./providers/web-identity.ts";
import { processEnv } from "../platform/index.ts";

export interface DefaultCredentialOptions {
  /** Stands in for `process.env`; always pass one in tests. */
  readonly env?: Env | undefined;
  /** The profile; otherwise AWS_PROFILE, AWS_DEFAULT_PROFILE, then "default". */
  readonly profile?: string | undefined;
  /** Where `~/.aws` lives; otherwise HOME / USERPROFILE. */
  readonly homeDir?: string | undefined;
  /** Keys from code: first in the chain. */
  readonly credentials?: CredentialIdentity | undefined;
  /** The caller's region, used for STS calls ahead of the environment and profile. */
  readonly region?: string | undefined;
  /** Asked for MFA codes when a profile's role has `mfa_serial`. */
  readonly mfaCodeProvider?: MfaCodeProvider | undefined;
  /** Clock for refresh windows, signing and session names (milliseconds since the epoch). */
  readonly now?: (() => number) | undefined;
  /** Deadline for each STS call and credential_process run. */
  readonly timeoutMs?: number | undefined;
}

/** The chain, cached: what a Session or client uses. */
export function defaultCredentialProvider(options: DefaultCredentialOptions = {}): CachedCredentialProvider {
  return cacheCredentials(defaultCredentialChain(options), { now: options.now });
}

/** The chain without a cache (every resolve walks it again). */
export function defaultCredentialChain(options: DefaultCredentialOptions = {}): CredentialProvider {
  const env = options.env ?? processEnv();
  // Built now, so half-filled keys in code fail where they were written.
  const explicit = options.credentials ? fromStatic(options.credentials) : undefined;
  return {
    name: "default",
    resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      return chainProviders(links(options, env, explicit), { name: "default" }).resolve(resolveOptions);
    },
  };
}

/** This resolution's providers, sharing one read of the shared files. */
function links(options: DefaultCredentialOptions, env: Env, explicit: CredentialProvider | undefined): CredentialProvider[] {
  const { profile, homeDir, region, now, timeoutMs } = options;
  let loading: Promise<SharedConfig> | undefined;
  const config = (): Promise<SharedConfig> => {
    loading ??= loadSharedConfig({ env, homeDir }).then((loaded) => {
      selectProfile({ profile, env, config: loaded }); // throws ProfileNotFoundError for a named, missing profile
      return loaded;
    });
    return loading;
  };
  const list: CredentialProvider[] = [];
  if (explicit) list.push(explicit);
  if (!profile) list.push(fromEnvironment({ env }));
  list.push(
    // An explicit profile also hides the web identity variables (botocore's disable_env_vars).
    fromWebIdentity({ env, profile, homeDir, config, region, now, timeoutMs, ignoreEnv: Boolean(profile) }),
    fromCredentialsFile({ env, profile, homeDir, config }),
    fromConfigFile({ env, profile, homeDir, config, region, mfaCodeProvider: options.mfaCodeProvider, now, timeoutMs }),
    fromContainerEndpoint({ env }),
    {
      // IMDS settings may come from the profile, so it is built once the files are read.
      name: "instance-metadata",
      async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
        const selected = selectProfile({ profile, env, config: await config() });
        return fromInstanceMetadata({ env, profile: selected.values, now }).resolve(resolveOptions);
      },
    },
  );
  return list;
}
