/**
 * Credentials of the IAM role attached to an EC2 instance, from the instance metadata
 * service (botocore's InstanceMetadataProvider + InstanceMetadataFetcher). The HTTP side
 * (session tokens, IMDSv1 fallback, attempts, 401 re-token, "not reachable" vs "broken")
 * is imds-client.ts; this file is the configuration and the credential flow.
 *
 * Settings, each from the environment first and then the profile:
 *   - AWS_EC2_METADATA_DISABLED=true (environment only, as botocore): CredentialsNotFound.
 *   - endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint, else by
 *     AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode:
 *     IPv4 (default) http://169.254.169.254, IPv6 http://[fd00:ec2::254]. A mode other than
 *     ipv4/ipv6 (any case) is an error even when an endpoint is also set, as botocore.
 *   - AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled: no fallback to IMDSv1.
 *   - timeout per request: the timeoutMs option, else AWS_METADATA_SERVICE_TIMEOUT /
 *     metadata_service_timeout in seconds, else 1 s.
 *   - attempts per request: the maxAttempts option, else AWS_METADATA_SERVICE_NUM_ATTEMPTS
 *     / metadata_service_num_attempts, else 1.
 *
 * Flow: `GET /latest/meta-data/iam/security-credentials/` gives the role name (first
 * line), then `GET …/<role>` gives JSON with Code, AccessKeyId, SecretAccessKey, Token and
 * Expiration. We use this classic path rather than the newer `security-credentials-extended`
 * one: the extended path only adds AccountId, and using it properly means probing for it
 * and falling back on every instance that lacks it, which is more requests and more ways
 * to fail for a field nothing here needs. No role, or a Code other than "Success" (IMDS
 * says so when EC2 is not a trusted entity of the role, for example) is a CredentialsError.
 *
 * Static stability: during an IMDS outage, EC2 keeps serving the last credentials it had,
 * which may already be past their Expiration although AWS still honours them for a while.
 * Rather than fail every call (and have the caching wrapper refresh on every call), when the
 * credentials returned are already expired we move their expiration to now + 5 to 10
 * minutes (random, so a fleet does not come back to IMDS in step) and warn through the
 * optional logger (no key material in the warning). This is the v3 JS SDK's rule; botocore
 * extends earlier, whenever expiry is within 12 to 20 minutes, because it has no separate
 * refresh wrapper.
 */
import { configValue, type SectionValues } from "../../config/index.ts";
import { CredentialsError, CredentialsNotFound } from "../../errors/index.ts";
import { Credentials } from "../credentials.ts";
import { ImdsClient } from "../imds-client.ts";
import type { CredentialProvider, Env, ResolveOptions } from "../provider.ts";
import { describeFailedResponse } from "../response-snippet.ts";
import { credentialsFromMetadata } from "../metadata-credentials.ts";

const NAME = "instance-metadata";
const IPV4_ENDPOINT = "http://169.254.169.254";
const IPV6_ENDPOINT = "http://[fd00:ec2::254]";
const ROLE_PATH = "/latest/meta-data/iam/security-credentials/";
const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_ATTEMPTS = 1;
const EXTENSION_BASE_MS = 5 * 60_000;
const EXTENSION_JITTER_MS = 5 * 60_000;

export interface InstanceMetadataOptions {
  readonly env: Env;
  readonly profile?: SectionValues | undefined;
  /** Deadline for each request, in milliseconds; wins over the environment and profile. */
  readonly timeoutMs?: number;
  /** Attempts per request; wins over the environment and profile. */
  readonly maxAttempts?: number;
  /** Clock for the static-stability check. */
  readonly now?: () => number;
  /** In [0, 1): picks the static-stability extension (tests pin it). */
  readonly random?: () => number;
  /** Receives the static-stability warning; silent when absent. */
  readonly logger?: { warn(message: string): void } | undefined;
}

export function fromInstanceMetadata(options: InstanceMetadataOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  return {
    name: NAME,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      if (options.env["AWS_EC2_METADATA_DISABLED"]?.toLowerCase() === "true") {
        throw new CredentialsNotFound(NAME, "disabled by AWS_EC2_METADATA_DISABLED");
      }
      const client = new ImdsClient({ ...resolveImdsSettings(options), provider: NAME, signal: resolveOptions.signal });

      const listing = await client.get(ROLE_PATH);
      if (listing.statusCode === 404) {
        throw new CredentialsError(NAME, "no IAM role is attached to this instance (no instance profile)");
      }
      if (listing.statusCode !== 200) {
        throw new CredentialsError(NAME, `listing the instance's IAM role failed: ${describeFailedResponse(listing)}`);
      }
      const role = listing.body.split("\n")[0]!.trim();
      if (!role) throw new CredentialsError(NAME, "no IAM role is attached to this instance (empty role list)");

      const answer = await client.get(ROLE_PATH + encodeURIComponent(role));
      if (answer.statusCode !== 200) {
        throw new CredentialsError(NAME, `fetching credentials for role "${role}" failed: ${describeFailedResponse(answer)}`);
      }
      const credentials = parseCredentials(answer.body, role);
      return withStaticStability(credentials, now(), random, options.logger);
    },
  };
}

export interface ImdsSettings {
  readonly endpoint: URL;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly v1DisabledBy: string | undefined;
}

/** The settings a resolve uses (exported for tests: the default endpoints cannot be called). */
export function resolveImdsSettings(options: InstanceMetadataOptions): ImdsSettings {
  const lookup = (envVar: string, configKey: string): { value: string; source: string } | undefined => {
    const value = configValue({ env: options.env, profile: options.profile }, { envVar, configKey });
    if (value === undefined) return undefined;
    return { value, source: options.env[envVar] ? envVar : `${configKey} in the profile` };
  };

  const mode = lookup("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
  const lowerMode = mode?.value.toLowerCase() ?? "ipv4";
  if (lowerMode !== "ipv4" && lowerMode !== "ipv6") {
    throw new CredentialsError(NAME, `${mode!.source} is ${JSON.stringify(mode!.value)}; expected "IPv4" or "IPv6"`);
  }
  const custom = lookup("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint");
  let endpoint: URL;
  if (custom) {
    try {
      endpoint = new URL(custom.value);
    } catch {
      throw new CredentialsError(NAME, `${custom.source} is not a valid URL`);
    }
    if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
      throw new CredentialsError(NAME, `${custom.source} must be an http:// or https:// URL`);
    }
  } else {
    endpoint = new URL(lowerMode === "ipv6" ? IPV6_ENDPOINT : IPV4_ENDPOINT);
  }

  let timeoutMs = options.timeoutMs;
  if (timeoutMs === undefined) {
    const timeout = lookup("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout");
    if (timeout) {
      const seconds = Number(timeout.value);
      if (!(seconds > 0) || !Number.isFinite(seconds)) {
        throw new CredentialsError(NAME, `${timeout.source} must be a positive number of seconds, not ${JSON.stringify(timeout.value)}`);
      }
      timeoutMs = seconds * 1000;
    }
  }

  let maxAttempts = options.maxAttempts;
  if (maxAttempts === undefined) {
    const attempts = lookup("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts");
    if (attempts) {
      maxAttempts = Number(attempts.value);
      if (!/^\d+$/.test(attempts.value) || maxAttempts < 1) {
        throw new CredentialsError(NAME, `${attempts.source} must be a whole number of at least 1, not ${JSON.stringify(attempts.value)}`);
      }
    }
  }

  const v1 = lookup("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled");
  return {
    endpoint,
    timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxAttempts: Math.max(1, Math.floor(maxAttempts ?? DEFAULT_ATTEMPTS)),
    v1DisabledBy: v1?.value.toLowerCase() === "true" ? v1.source : undefined,
  };
}

function parseCredentials(body: string, role: string): Credentials {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // No `cause`: a JSON SyntaxError quotes the text, which may hold a secret.
    throw new CredentialsError(NAME, `the credentials for role "${role}" are not JSON`);
  }
  const fields = data !== null && typeof data === "object" ? (data as Record<string, unknown>) : {};
  const code = fields["Code"];
  if (code !== undefined && code !== "Success") {
    const detail = describeFailedResponse({ statusCode: 200, headers: {}, body }).replace(/^HTTP 200 ?/, "");
    throw new CredentialsError(NAME, `IMDS could not provide credentials for role "${role}": ${detail || "Code is not Success"}`);
  }
  return credentialsFromMetadata(fields, NAME, `the credentials for role "${role}"`);
}

function withStaticStability(
  credentials: Credentials,
  now: number,
  random: () => number,
  logger: { warn(message: string): void } | undefined,
): Credentials {
  const expiration = credentials.expiration;
  if (!expiration || expiration.getTime() > now) return credentials;
  const extended = new Date(now + EXTENSION_BASE_MS + Math.floor(random() * EXTENSION_JITTER_MS));
  logger?.warn(
    `${NAME}: the credentials IMDS returned expired at ${expiration.toISOString()}; using them until ` +
      `${extended.toISOString()} (static stability during a metadata service issue) and asking IMDS again then`,
  );
  return new Credentials(
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: extended,
      accountId: credentials.accountId,
    },
    NAME,
  );
}
