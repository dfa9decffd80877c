/**
 * A client's resolved state: everything the pipeline needs that is the same for every call
 * of one client. It is built on the first call (reading the shared files once, through the
 * session) and then shared by every call:
 *
 *   ClientConfig + ServiceDefinition ──resolveRuntime──▶ ClientRuntime
 *     protocol      the definition's own protocol module (never a lookup by name)
 *     endpoint      region, configured URL, FIPS/dual-stack, client rule-set params, partitions
 *     compression   disableRequestCompression, minCompressionSizeBytes
 *     checksums     requestChecksumCalculation, responseChecksumValidation
 *     credentials   a cached provider: the client's own, else the session's
 *     retry         the strategy: its quota and rate limiter are shared by the client's calls
 *     http          the transport (one pool per client)
 *     clock         the clock offset learned from responses
 *     hooks         the service package's hooks, then the client's
 *
 * The transport and the clock are made by the client itself (service-client.ts), so that
 * `destroy()` can close the pool even when no call ever resolved a runtime.
 */
import { resolveChecksumSettings, type ChecksumSettings } from "../checksums/settings.ts";
import { resolveCompressionSettings, type CompressionSettings } from "../config/compression.ts";
import { cacheCredentials, type CachedCredentialProvider } from "../credentials/cache.ts";
import type { CredentialIdentity } from "../credentials/credentials.ts";
import type { CredentialProvider } from "../credentials/provider.ts";
import { fromStatic } from "../credentials/providers/static.ts";
import type { HttpHandler } from "../http/http-handler.ts";
import type { Protocol } from "../protocols/protocol.ts";
import { createRetryStrategy, type RetryStrategy } from "../retry/strategy.ts";
import { Session } from "../session/session.ts";
import type { ClockOffset } from "./clock.ts";
import type { ClientConfig, Logger } from "./config.ts";
import type { ServiceDefinition } from "./definition.ts";
import type { ServiceHooks } from "./hooks.ts";
import { defaultPartitions } from "./partitions.ts";
import { EndpointCache, type EndpointSettings } from "./steps/endpoint.ts";
import { httpLogSettings, type HttpLogSettings } from "./steps/log-exchange.ts";
import { userAgentString } from "./steps/user-agent.ts";
import { processEnv } from "../platform/index.ts";

export interface ClientRuntime {
  readonly definition: ServiceDefinition;
  readonly protocol: Protocol;
  readonly endpoint: EndpointSettings;
  readonly compression: CompressionSettings;
  readonly checksums: ChecksumSettings;
  readonly credentials: CachedCredentialProvider;
  readonly retry: RetryStrategy;
  readonly http: HttpHandler;
  readonly clock: ClockOffset;
  readonly hooks: readonly ServiceHooks[];
  readonly userAgent: string;
  readonly logger: Logger | undefined;
  /** `logHttp`, resolved (steps/log-exchange.ts); undefined when off. */
  readonly logHttp: HttpLogSettings | undefined;
}

export interface RuntimeParts {
  readonly http: HttpHandler;
  readonly clock: ClockOffset;
}

export async function resolveRuntime(definition: ServiceDefinition, config: ClientConfig, parts: RuntimeParts): Promise<ClientRuntime> {
  const { schema } = definition;
  const env = config.env ?? processEnv();
  const session = config.session ?? new Session({ profile: config.profile, region: config.region, env });
  const settings = await session.serviceSettings(schema.serviceId, {
    region: config.region,
    endpointUrl: config.endpoint === undefined ? undefined : String(config.endpoint),
  });
  const { values: profile } = await session.profile();
  return {
    definition,
    protocol: definition.protocol,
    endpoint: {
      service: schema,
      ruleSet: definition.endpointRuleSet,
      partitions: config.partitions ?? (await defaultPartitions()),
      region: settings.region,
      endpointUrl: settings.endpointUrl,
      useFips: config.useFipsEndpoint ?? settings.useFips,
      useDualStack: config.useDualstackEndpoint ?? settings.useDualStack,
      clientParams: config.endpointParams ?? {},
      cache: new EndpointCache(),
    },
    // A session passed in keeps its environment to itself; the client's `env` (else the
    // process's) is what these two settings are read from.
    compression: resolveCompressionSettings({
      env,
      profile,
      disableRequestCompression: config.disableRequestCompression,
      minCompressionSizeBytes: config.minCompressionSizeBytes,
    }),
    checksums: resolveChecksumSettings({
      env,
      profile,
      requestChecksumCalculation: config.requestChecksumCalculation,
      responseChecksumValidation: config.responseChecksumValidation,
    }),
    credentials: config.credentials ? ownCredentials(config.credentials) : session.credentialProvider(),
    retry:
      config.retryStrategy ??
      createRetryStrategy({
        mode: config.retryMode ?? settings.retry.mode,
        maxAttempts: config.maxAttempts ?? settings.retry.maxAttempts,
      }),
    http: parts.http,
    clock: parts.clock,
    hooks: [definition.hooks, config.hooks].filter((hooks): hooks is ServiceHooks => hooks !== undefined),
    userAgent: userAgentString(schema.serviceId),
    logger: config.logger,
    logHttp: httpLogSettings(config.logHttp),
  };
}

function ownCredentials(given: CredentialIdentity | CredentialProvider): CachedCredentialProvider {
  const provider = typeof (given as CredentialProvider).resolve === "function" ? (given as CredentialProvider) : fromStatic(given as CredentialIdentity);
  return cacheCredentials(provider);
}
