/**
 * A `Session` is boto3's Session: the one place that knows which profile is active, which
 * region applies and where credentials come from, shared by every client built from it.
 *
 * Everything is lazy and done once: the shared files are read on the first question that
 * needs them, the credential chain is built on the first `credentials()` call and then
 * cached (with its refresh windows and single-flight refresh) for the life of the session.
 * Constructing a session touches neither the file system nor the network, so creating one
 * at module load costs nothing.
 *
 * The environment is a parameter (default `process.env`), which is how tests, and
 * applications that want isolation, keep a session away from the real `~/.aws`.
 */
import type { InspectOptions, inspect } from "node:util";
import {
  loadSharedConfig,
  requireRegion,
  resolveEndpointFlags,
  resolveEndpointUrl,
  resolveProfileName,
  resolveRegion,
  resolveRetryConfig,
  selectProfile,
  type RetryConfig,
  type SelectedProfile,
  type SharedConfig,
} from "../config/index.ts";
import { cacheCredentials, type CachedCredentialProvider } from "../credentials/cache.ts";
import type { CredentialIdentity, Credentials } from "../credentials/credentials.ts";
import { defaultCredentialProvider } from "#default-credential-chain";
import type { CredentialProvider, Env, ResolveOptions } from "../credentials/provider.ts";
import { processEnv } from "../platform/index.ts";

/** `util.inspect.custom`, without importing node:util (a Worker may have none). */
const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");

export interface SessionOptions {
  /** Profile name; otherwise AWS_PROFILE, then "default". */
  readonly profile?: string | undefined;
  /** Region; otherwise AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`. */
  readonly region?: string | undefined;
  /** Fixed keys, or any provider; otherwise the default chain. */
  readonly credentials?: CredentialIdentity | CredentialProvider | undefined;
  /** Stands in for `process.env` (tests, isolated applications). */
  readonly env?: Env | undefined;
  /** Where `~/.aws` lives; otherwise HOME/USERPROFILE. */
  readonly homeDir?: string | undefined;
}

/** What a client for one service needs to know before its first request. */
export interface ServiceSettings {
  readonly region: string;
  /** A configured endpoint URL (option, AWS_ENDPOINT_URL_*, profile), if any. */
  readonly endpointUrl: string | undefined;
  readonly useFips: boolean;
  readonly useDualStack: boolean;
  readonly retry: RetryConfig;
}

export interface ServiceSettingsOverrides {
  readonly region?: string | undefined;
  readonly endpointUrl?: string | undefined;
}

export class Session {
  readonly #options: SessionOptions;
  readonly #env: Env;
  #sharedConfig: Promise<SharedConfig> | undefined;
  #credentials: CachedCredentialProvider | undefined;

  constructor(options: SessionOptions = {}) {
    this.#options = options;
    this.#env = options.env ?? processEnv();
  }

  /** The active profile's name (no file is read to answer this). */
  get profileName(): string {
    return resolveProfileName({ profile: this.#options.profile, env: this.#env });
  }

  /** Both shared files, read once. */
  sharedConfig(): Promise<SharedConfig> {
    this.#sharedConfig ??= loadSharedConfig({ env: this.#env, homeDir: this.#options.homeDir });
    return this.#sharedConfig;
  }

  /** The active profile; a profile that was named but exists nowhere is an error. */
  async profile(): Promise<SelectedProfile> {
    return selectProfile({ profile: this.#options.profile, env: this.#env, config: await this.sharedConfig() });
  }

  /** The region, or undefined when none is configured anywhere. */
  async region(): Promise<string | undefined> {
    const { values } = await this.profile();
    return resolveRegion({ region: this.#options.region, env: this.#env, profile: values });
  }

  /** The credentials, from the chain (or the given provider), cached and refreshed. */
  credentials(options?: ResolveOptions): Promise<Credentials> {
    return this.credentialProvider().resolve(options);
  }

  /** The session's cached provider, for clients that resolve credentials per request. */
  credentialProvider(): CachedCredentialProvider {
    this.#credentials ??= this.#buildCredentialProvider();
    return this.#credentials;
  }

  /** Region, configured endpoint, variant flags and retry settings for one service. */
  async serviceSettings(serviceId: string, overrides: ServiceSettingsOverrides = {}): Promise<ServiceSettings> {
    const config = await this.sharedConfig();
    const { values: profile } = await this.profile();
    const env = this.#env;
    const region = requireRegion({ region: overrides.region ?? this.#options.region, env, profile });
    const endpointUrl = resolveEndpointUrl({ endpointUrl: overrides.endpointUrl, serviceId, env, profile, config });
    const flags = resolveEndpointFlags({ env, profile });
    return { region, endpointUrl, ...flags, retry: resolveRetryConfig({ env, profile }) };
  }

  #buildCredentialProvider(): CachedCredentialProvider {
    const given = this.#options.credentials;
    if (given && isProvider(given)) return cacheCredentials(given);
    return defaultCredentialProvider({
      env: this.#env,
      profile: this.#options.profile,
      homeDir: this.#options.homeDir,
      credentials: given,
      region: this.#options.region,
    });
  }

  [INSPECT_CUSTOM](_depth: number, options: InspectOptions, inspectFn: typeof inspect): string {
    const shown = { profile: this.profileName, region: this.#options.region ?? "(resolved on use)" };
    return `Session ${inspectFn(shown, options)}`;
  }
}

function isProvider(value: CredentialIdentity | CredentialProvider): value is CredentialProvider {
  return typeof (value as CredentialProvider).resolve === "function";
}
