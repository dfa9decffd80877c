/**
 * Configuration resolved the way boto3 does: the shared config and credentials files, and
 * the per-setting resolvers that put caller options, the environment and the profile in
 * botocore's order. The INI reader and the section-name splitter stay internal; what they
 * accept is documented in parse-ini.ts and section-names.ts.
 */
export {
  loadSharedConfig,
  resolveHomeDir,
  sharedConfigPaths,
  type SectionValues,
  type SharedConfig,
} from "./shared-config.ts";
export { requireProfile, selectProfile, type SelectedProfile } from "./profile.ts";
export {
  configValue,
  isValidRegion,
  requireRegion,
  resolveProfileName,
  resolveRegion,
  type RegionOptions,
} from "./resolve.ts";
export { resolveRetryConfig, type RetryConfig, type RetryMode } from "./retry.ts";
export {
  DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
  MAX_MIN_COMPRESSION_SIZE_BYTES,
  checkMinCompressionSize,
  resolveCompressionSettings,
  type CompressionOptions,
  type CompressionSettings,
} from "./compression.ts";
export {
  resolveEndpointFlags,
  resolveEndpointUrl,
  serviceConfigKey,
  serviceEndpointEnvVar,
  type EndpointFlags,
  type EndpointUrlOptions,
} from "./endpoint.ts";
export { describeSetting } from "./origin.ts";
