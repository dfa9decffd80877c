/**
 * What every credential provider is: a name (shown in chain errors and in
 * `Credentials.source`) and one async `resolve`. A provider that is simply not configured
 * throws `CredentialsNotFound`; one that is configured but fails throws anything else.
 */
import type { Credentials } from "./credentials.ts";

export interface ResolveOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface CredentialProvider {
  readonly name: string;
  resolve(options?: ResolveOptions): Promise<Credentials>;
}

/** The process environment, or a test's stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;
