/**
 * Caching and refresh: wraps any provider so that every caller shares one set of
 * credentials and temporary credentials are replaced before they stop working.
 *
 * The policy is botocore's (`RefreshableCredentials`), split in two windows measured back
 * from the expiration:
 *
 *   remaining > advisory (15 min)      use the cached credentials, nothing to do
 *   mandatory < remaining <= advisory  refresh; if that fails, keep the cached ones, which
 *                                      still work for at least 10 minutes
 *   remaining <= mandatory (10 min)    refresh, and a failure is the caller's error
 *
 * Long-term credentials (no expiration) are resolved once and kept.
 *
 * Single flight: a refresh is one promise that every concurrent `resolve()` awaits, so a
 * hundred requests arriving at expiry make one upstream call, not a hundred. Where botocore
 * lets advisory callers skip the lock and go on with the old keys, here every caller waits
 * for the shared refresh (bounded by the provider's own timeout): it costs one round trip,
 * and in exchange no refresh is ever left running unobserved after its callers are gone.
 *
 * A caller's abort signal only abandons that caller's wait; the shared refresh keeps going
 * for the others (it has its own deadline in the provider).
 *
 * The clock is injected (`now`) and the window decision is a pure function
 * (`refreshNeed`), so the policy is tested without sleeping.
 */
import { CredentialsError } from "../errors/index.ts";
import type { Credentials } from "./credentials.ts";
import type { CredentialProvider, ResolveOptions } from "./provider.ts";
import { abandonable } from "../abort/index.ts";

/** botocore's `_DEFAULT_ADVISORY_REFRESH_TIMEOUT`. */
export const ADVISORY_REFRESH_MS = 15 * 60_000;
/** botocore's `_DEFAULT_MANDATORY_REFRESH_TIMEOUT`. */
export const MANDATORY_REFRESH_MS = 10 * 60_000;

export interface RefreshWindows {
  /** Refresh when less than this is left, but keep the old credentials if it fails. */
  readonly advisoryMs: number;
  /** Refresh when less than this is left, and fail the caller if the refresh fails. */
  readonly mandatoryMs: number;
}

export type RefreshNeed = "none" | "advisory" | "mandatory";

/** The whole policy: what to do with credentials that have `remainingMs` left. */
export function refreshNeed(remainingMs: number, windows: RefreshWindows): RefreshNeed {
  if (remainingMs > windows.advisoryMs) return "none";
  if (remainingMs > windows.mandatoryMs) return "advisory";
  return "mandatory";
}

export interface CacheOptions {
  /** Milliseconds since the epoch; `Date.now` unless a test drives the clock. */
  readonly now?: (() => number) | undefined;
  readonly advisoryRefreshMs?: number | undefined;
  readonly mandatoryRefreshMs?: number | undefined;
}

export interface CachedCredentialProvider extends CredentialProvider {
  /**
   * Forgets the cached credentials (e.g. after a service rejected them as expired). With
   * `rejected`, only when those are still the cached ones: when many calls are refused the
   * same expired token at once, the first forgets it and the rest find it already replaced,
   * so all of them share one refresh instead of each throwing away the last one's result.
   */
  invalidate(rejected?: Credentials): void;
}

export function cacheCredentials(provider: CredentialProvider, options: CacheOptions = {}): CachedCredentialProvider {
  return new CredentialCache(provider, options);
}

class CredentialCache implements CachedCredentialProvider {
  readonly name: string;
  readonly #provider: CredentialProvider;
  readonly #now: () => number;
  readonly #windows: RefreshWindows;
  #current: Credentials | undefined;
  #inFlight: Promise<Credentials> | undefined;

  constructor(provider: CredentialProvider, options: CacheOptions) {
    this.name = provider.name;
    this.#provider = provider;
    this.#now = options.now ?? Date.now;
    const advisoryMs = options.advisoryRefreshMs ?? ADVISORY_REFRESH_MS;
    const mandatoryMs = options.mandatoryRefreshMs ?? MANDATORY_REFRESH_MS;
    if (!(mandatoryMs >= 0 && advisoryMs >= mandatoryMs)) {
      throw new RangeError(`refresh windows need 0 <= mandatory (${mandatoryMs}) <= advisory (${advisoryMs})`);
    }
    this.#windows = { advisoryMs, mandatoryMs };
  }

  async resolve(options: ResolveOptions = {}): Promise<Credentials> {
    options.signal?.throwIfAborted();
    const cached = this.#current;
    if (!cached) return this.#join(options.signal);
    const need = refreshNeed(cached.remainingMs(this.#now()), this.#windows);
    if (need === "none") return cached;
    if (need === "mandatory") return this.#join(options.signal);
    try {
      return await this.#join(options.signal);
    } catch (error) {
      // Advisory window: the cached credentials still have more than the mandatory margin
      // left, so a failed refresh is not the caller's problem yet. A caller that gave up
      // (its own signal) still gets its abort, not stale keys it no longer wants.
      if (options.signal?.aborted) throw error;
      return cached;
    }
  }

  invalidate(rejected?: Credentials): void {
    if (rejected !== undefined && rejected !== this.#current) return;
    this.#current = undefined;
  }

  /** Starts the refresh unless one is running, then waits for it (or for the caller's abort). */
  #join(signal: AbortSignal | undefined): Promise<Credentials> {
    this.#inFlight ??= this.#refresh();
    return signal ? abandonable(this.#inFlight, signal) : this.#inFlight;
  }

  async #refresh(): Promise<Credentials> {
    try {
      const fresh = await this.#provider.resolve({});
      // botocore raises when a refresh hands back credentials that are already expired:
      // caching them would only make every later call fail at the service instead.
      if (fresh.remainingMs(this.#now()) <= 0) {
        throw new CredentialsError(
          this.#provider.name,
          `returned credentials that expired at ${fresh.expiration?.toISOString()}`,
        );
      }
      this.#current = fresh;
      return fresh;
    } finally {
      this.#inFlight = undefined;
    }
  }
}

