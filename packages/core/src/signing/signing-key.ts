/**
 * The derived signing key: HMAC chained over date, region, service and "aws4_request",
 * starting from "AWS4" + the secret. It changes only once a day per region and service, so
 * it is cached; a busy client then pays one HMAC per request instead of five.
 *
 * The cache is small and bounded (least recently used entry out first) and is keyed by a
 * SHA-256 digest of the secret rather than the secret itself, so a heap dump of the map
 * shows no secret. Neither keys nor secrets are ever logged or put in a message.
 */
import { hashes } from "./hash.ts";

const MAX_ENTRIES = 50;
const cache = new Map<string, Uint8Array>();

export function hmac(key: string | Uint8Array, data: string): Uint8Array {
  return hashes.hmacSha256(key, data);
}

/** The same HMAC as lower-case hex: the form a signature is written in. */
export function hmacHex(key: string | Uint8Array, data: string): string {
  return hashes.hmacSha256Hex(key, data);
}

/**
 * The digest of the last secret seen, so that a busy client hashes its secret once rather
 * than once per request. It holds the very string the caller's credentials already hold
 * (no copy), and only the latest one.
 */
let lastSecret: string | undefined;
let lastSecretDigest = "";

/** The key the last request was signed with, and its cache key. */
let lastCacheKey = "";
let lastKey: Uint8Array | undefined;

function secretDigestOf(secretAccessKey: string): string {
  if (secretAccessKey !== lastSecret) {
    lastSecretDigest = hashes.sha256Hex(secretAccessKey);
    lastSecret = secretAccessKey;
  }
  return lastSecretDigest;
}

/** The signing key for `date` (YYYYMMDD), from the cache when it is there. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
  const secretDigest = secretDigestOf(secretAccessKey);
  const cacheKey = `${secretDigest}\n${date}\n${region}\n${service}`;
  // The most common case by far: the same key as the request before.
  if (cacheKey === lastCacheKey && lastKey !== undefined) return lastKey;
  let key = cache.get(cacheKey);
  if (key) {
    // Re-insert so Map order doubles as recency order.
    cache.delete(cacheKey);
    cache.set(cacheKey, key);
  } else {
    key = deriveSigningKey(secretAccessKey, date, region, service);
    cache.set(cacheKey, key);
    if (cache.size > MAX_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  }
  lastCacheKey = cacheKey;
  lastKey = key;
  return key;
}

/** The uncached derivation, straight from the spec. */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
  const dateKey = hmac(`AWS4${secretAccessKey}`, date);
  const regionKey = hmac(dateKey, region);
  const serviceKey = hmac(regionKey, service);
  return hmac(serviceKey, "aws4_request");
}

/** How many keys are cached, and how many at most; for tests and diagnostics. */
export function signingKeyCacheStats(): { size: number; maxSize: number } {
  return { size: cache.size, maxSize: MAX_ENTRIES };
}

/** Forgets every cached key (e.g. after credentials were revoked, or between tests). */
export function clearSigningKeyCache(): void {
  cache.clear();
  lastCacheKey = "";
  lastKey = undefined;
  lastSecret = undefined;
  lastSecretDigest = "";
}
