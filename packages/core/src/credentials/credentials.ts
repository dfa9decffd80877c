/**
 * The credentials value. The secret and the session token live in private fields, so they
 * never show in `util.inspect`, `console.log`, `JSON.stringify` or an error's message:
 * only code that asks for them by name gets them (the signer does).
 */
import type { InspectOptions, inspect } from "node:util";

/** `util.inspect.custom`, without importing node:util (a Worker may have none). */
const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");

export interface CredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  /** When these stop working; absent for long-term keys. */
  readonly expiration?: Date | undefined;
  readonly accountId?: string | undefined;
}

export class Credentials implements CredentialIdentity {
  readonly accessKeyId: string;
  readonly #secretAccessKey: string;
  readonly #sessionToken: string | undefined;
  readonly expiration: Date | undefined;
  readonly accountId: string | undefined;
  /** The provider that produced them, e.g. "environment" or "profile:dev (assume-role)". */
  readonly source: string;

  constructor(identity: CredentialIdentity, source: string) {
    this.accessKeyId = identity.accessKeyId;
    this.#secretAccessKey = identity.secretAccessKey;
    this.#sessionToken = identity.sessionToken || undefined;
    this.expiration = identity.expiration;
    this.accountId = identity.accountId || undefined;
    this.source = source;
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  get sessionToken(): string | undefined {
    return this.#sessionToken;
  }

  /** Milliseconds until expiry at `now`, or Infinity for credentials that do not expire. */
  remainingMs(now: number = Date.now()): number {
    return this.expiration ? this.expiration.getTime() - now : Infinity;
  }

  toJSON(): Record<string, unknown> {
    return {
      accessKeyId: this.accessKeyId,
      secretAccessKey: "<redacted>",
      ...(this.#sessionToken ? { sessionToken: "<redacted>" } : {}),
      ...(this.expiration ? { expiration: this.expiration.toISOString() } : {}),
      ...(this.accountId ? { accountId: this.accountId } : {}),
      source: this.source,
    };
  }

  toString(): string {
    return `Credentials(${this.accessKeyId} from ${this.source})`;
  }

  [INSPECT_CUSTOM](_depth: number, options: InspectOptions, inspectFn: typeof inspect): string {
    return `Credentials ${inspectFn(this.toJSON(), options)}`;
  }
}
