/**
 * The credentials API: the value (`Credentials`), the provider contract, each provider,
 * the chain, the cache, and the default chain that ties them together in boto3's order
 * (see default-chain.ts for the order and the rules between links; a browser or Worker
 * build gets default-chain.edge.ts through the package's `#default-credential-chain`).
 *
 * Internal helpers (the IMDS client, response snippets, the profile planner) stay in
 * their files.
 */
export { Credentials, type CredentialIdentity } from "./credentials.ts";
export type { CredentialProvider, Env, ResolveOptions } from "./provider.ts";

export {
  ADVISORY_REFRESH_MS,
  cacheCredentials,
  MANDATORY_REFRESH_MS,
  refreshNeed,
  type CacheOptions,
  type CachedCredentialProvider,
  type RefreshNeed,
  type RefreshWindows,
} from "./cache.ts";
export { chainProviders, type ChainOptions } from "./chain.ts";
export { defaultCredentialChain, defaultCredentialProvider, type DefaultCredentialOptions } from "#default-credential-chain";
export {
  accountIdOf,
  assumeRole,
  assumeRoleWithWebIdentity,
  defaultRoleSessionName,
  DEFAULT_STS_TIMEOUT_MS,
  STS_API_VERSION,
  stsTarget,
  type AssumeRoleInput,
  type AssumeRoleWithWebIdentityInput,
  type StsCallOptions,
  type StsTarget,
  type StsTargetOptions,
} from "./sts.ts";

export { fromStatic, type StaticOptions } from "./providers/static.ts";
export { fromEnvironment, type EnvironmentOptions } from "./providers/environment.ts";
export { fromWebIdentity, type WebIdentityOptions } from "./providers/web-identity.ts";
export { fromCredentialsFile, type ProfileProviderOptions } from "./providers/credentials-file.ts";
export { fromConfigFile, type ConfigFileOptions, type CredentialSourceName } from "./providers/config-file.ts";
export {
  fromAssumeRole,
  type AssumeRoleOptions,
  type MfaCodeProvider,
  type MfaCodeRequest,
} from "./providers/assume-role.ts";
export { fromProcess, type ProcessOptions } from "./providers/process.ts";
export { shellSplit } from "../config/shell-words.ts";
export { fromContainerEndpoint, type ContainerEndpointOptions } from "./providers/container.ts";
export { fromInstanceMetadata, type InstanceMetadataOptions } from "./providers/imds.ts";
export { fromSso, type SsoOptions } from "./providers/sso.ts";
