/**
 * Configured endpoints ("service-specific endpoints" in the AWS SDK reference) and the two
 * endpoint variant flags.
 *
 * The endpoint URL order is botocore's ConfiguredEndpointProvider behind the explicit
 * option: option → AWS_ENDPOINT_URL_<SERVICE> → AWS_ENDPOINT_URL → the profile's
 * `services = name` section, block `<service>`, key `endpoint_url` → the profile's own
 * `endpoint_url`. `ignore_configured_endpoint_urls` (env first, then profile) switches off
 * everything but the option. As in botocore, the `services` name is only looked up when the
 * lookup gets that far, so a dangling name is an error only if nothing before it answered.
 *
 * Service ids are turned into names the botocore way: "Secrets Manager" becomes
 * SECRETS_MANAGER in the variable and `secrets_manager` in the file; hyphens become
 * underscores in both (botocore hyphenizes the id before replacing), so "sso-oidc" and
 * "SSO OIDC" land on the same names.
 *
 * Every URL found is checked (absolute http or https, with a host right after "//", no
 * spaces, control characters or backslashes that WHATWG URL would quietly repair) and
 * returned as written but for spaces around it, so a path or trailing slash the user wrote
 * is kept. Messages never echo an unparsable URL: it may carry a password in its user-info
 * part.
 */
import type { Env } from "../credentials/provider.ts";
import { ConfigError } from "../errors/index.ts";
import { describeSetting } from "./origin.ts";
import { blockFromProfile, fromEnv, fromEnvOrProfile, fromProfile, parseBoolean, type Found } from "./settings.ts";
import type { SectionValues, SharedConfig } from "./shared-config.ts";

export interface EndpointUrlOptions {
  readonly endpointUrl?: string | undefined;
  /** The model's serviceId, e.g. "S3", "Secrets Manager". */
  readonly serviceId: string;
  readonly env: Env;
  readonly profile?: SectionValues | undefined;
  /** Where the profile's `services = name` is looked up. */
  readonly config: SharedConfig;
}

export interface EndpointFlags {
  readonly useFips: boolean;
  readonly useDualStack: boolean;
}

/** "Secrets Manager" → "AWS_ENDPOINT_URL_SECRETS_MANAGER" */
export function serviceEndpointEnvVar(serviceId: string): string {
  return `AWS_ENDPOINT_URL_${serviceId.replace(/[ -]/g, "_").toUpperCase()}`;
}

/** "Secrets Manager" → "secrets_manager", the block name inside a `[services x]` section. */
export function serviceConfigKey(serviceId: string): string {
  return serviceId.replace(/[ -]/g, "_").toLowerCase();
}

export function resolveEndpointUrl(options: EndpointUrlOptions): string | undefined {
  if (options.endpointUrl) return checkedUrl({ value: options.endpointUrl, source: "the endpointUrl option" });
  if (ignoresConfiguredEndpoints(options)) return undefined;
  const found =
    fromEnv(options.env, serviceEndpointEnvVar(options.serviceId)) ??
    fromEnv(options.env, "AWS_ENDPOINT_URL") ??
    fromServicesSection(options) ??
    fromProfile(options.profile, "endpoint_url");
  return found ? checkedUrl(found) : undefined;
}

/** `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint` and `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`. */
export function resolveEndpointFlags(options: { env: Env; profile?: SectionValues | undefined }): EndpointFlags {
  const flag = (envVar: string, configKey: string): boolean => {
    const found = fromEnvOrProfile(options, { envVar, configKey });
    return found ? parseBoolean(found) : false;
  };
  return {
    useFips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
    useDualStack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
  };
}

function ignoresConfiguredEndpoints(options: EndpointUrlOptions): boolean {
  const found = fromEnvOrProfile(options, {
    envVar: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    configKey: "ignore_configured_endpoint_urls",
  });
  return found ? parseBoolean(found) : false;
}

function fromServicesSection(options: EndpointUrlOptions): Found<string> | undefined {
  const name = fromProfile(options.profile, "services");
  if (!name) return undefined;
  const section = options.config.services.get(name.value);
  if (!section) {
    throw new ConfigError(
      `${name.source} refers to services "${name.value}", but ${options.config.configFile} has no [services ${name.value}] section`,
    );
  }
  const key = serviceConfigKey(options.serviceId);
  const block = blockFromProfile(section, key);
  if (!block || !Object.hasOwn(block.value, "endpoint_url")) return undefined;
  const url = block.value["endpoint_url"];
  return url ? { value: url, source: describeSetting(block.value, "endpoint_url", `the "${key}" block of services "${name.value}"`) } : undefined;
}

function checkedUrl(found: Found<string>): string {
  // Spaces around the URL (a line break at the end of a variable) are not part of it.
  const value = found.value.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${found.source} is not a valid URL; expected an absolute http:// or https:// URL`);
  }
  // WHATWG parsing accepts "http:host" for special schemes; insist on the "//" people mean.
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !/^https?:\/\//i.test(value)) {
    const scheme = url.protocol === "http:" || url.protocol === "https:" ? "" : ` (it uses "${url.protocol}")`;
    throw new ConfigError(`${found.source} must be an absolute URL starting with http:// or https://${scheme}`);
  }
  // WHATWG parsing also repairs "http:///host", backslashes, and spaces or control
  // characters (dropped or trimmed). The URL goes to the endpoint rules as written, and
  // their parseURL does not repair: a rule that tries it and fails would then fall back to
  // the AWS endpoint, ignoring this one. So the written form must already be clean.
  if (!/^https?:\/\/[^/?#\\]/i.test(value) || /[\x00-\x20\x7f\\]/.test(value)) {
    throw new ConfigError(`${found.source} must name a host right after the "//" and hold no spaces, control characters or backslashes`);
  }
  return value;
}
