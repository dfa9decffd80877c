/**
 * Random (version 4) UUIDs: invocation ids and idempotency tokens. Web Crypto's
 * `crypto.randomUUID` where the runtime offers it; a browser page served over plain http
 * (not localhost) is no "secure context" and has only `crypto.getRandomValues`, from which
 * the same kind of UUID is built (RFC 9562, 5.4).
 */

interface CryptoLike {
  randomUUID?(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

export function randomUuid(crypto: CryptoLike = globalThis.crypto): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // the RFC's variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
