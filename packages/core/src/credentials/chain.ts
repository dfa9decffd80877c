/**
 * A credential chain: providers tried in order, the first that produces credentials wins.
 *
 * The contract with each provider is the one botocore's `CredentialResolver` has with its
 * providers, made explicit in the error type:
 *
 *   - `CredentialsNotFound`: "not configured here". The chain records the provider's name
 *     and reason and moves on to the next one.
 *   - anything else: "configured, but broken" (a malformed profile, an STS error, a
 *     credential_process that exits 1). The chain stops there: silently falling through to,
 *     say, the instance role would hand the caller credentials for a different identity
 *     than the one they configured.
 *   - nothing found at all: `CredentialsProviderError`, listing every provider and reason.
 *
 * Errors that stop the chain must say which provider failed. Two kinds already do and pass
 * through unchanged, so callers can still match their class: a `CredentialsError` carries
 * its provider, a `ConfigError` names the profile and file. Anything else (a `TypeError`,
 * an `HttpRequestError` that only names a URL) is wrapped in a `CredentialsError` naming the provider,
 * with the original as `cause`. Cancellation is never wrapped: an aborted caller gets its
 * own abort reason back.
 *
 * The credentials keep the `source` their provider gave them, so a caller can always see
 * where the chain found them.
 */
import { ConfigError, CredentialsError, CredentialsNotFound, CredentialsProviderError } from "../errors/index.ts";
import type { ProviderAttempt } from "../errors/index.ts";
import type { Credentials } from "./credentials.ts";
import type { CredentialProvider, ResolveOptions } from "./provider.ts";

export interface ChainOptions {
  /** The chain's own name (shown when a chain is itself a link of another chain). */
  readonly name?: string | undefined;
}

export function chainProviders(
  providers: readonly CredentialProvider[],
  options: ChainOptions = {},
): CredentialProvider {
  const list = [...providers];
  return {
    name: options.name ?? `chain(${list.map((p) => p.name).join(", ")})`,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      const attempts: ProviderAttempt[] = [];
      for (const provider of list) {
        resolveOptions.signal?.throwIfAborted();
        try {
          return await provider.resolve(resolveOptions);
        } catch (error) {
          if (resolveOptions.signal?.aborted) throw resolveOptions.signal.reason;
          if (error instanceof CredentialsNotFound) {
            attempts.push({ provider: provider.name, reason: notFoundReason(error) });
            continue;
          }
          if (error instanceof CredentialsProviderError) {
            // A nested chain that found nothing is, to this chain, one more "not found".
            attempts.push(...error.attempts);
            continue;
          }
          throw stoppingError(provider, error);
        }
      }
      throw new CredentialsProviderError(attempts);
    },
  };
}

/** `CredentialsNotFound` messages start with the provider name; the attempt list shows it apart. */
function notFoundReason(error: CredentialsNotFound): string {
  const prefix = `${error.provider}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function stoppingError(provider: CredentialProvider, error: unknown): Error {
  if (error instanceof CredentialsError || error instanceof ConfigError) return error;
  const problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CredentialsError(provider.name, `failed: ${problem}`, { cause: error });
}
