/**
 * Explicit credentials: keys the caller passed in code (botocore's "explicit" method). The
 * first link of the default chain, so keys handed to a client always win over anything the
 * environment or the shared files say.
 *
 * The keys are checked once, when the provider is made: a half-filled identity is a bug in
 * the caller's code, better reported where it was written than on the first request.
 */
import { CredentialsError } from "../../errors/index.ts";
import { Credentials, type CredentialIdentity } from "../credentials.ts";
import type { CredentialProvider } from "../provider.ts";

export interface StaticOptions {
  /** Provider name and `Credentials.source`; "explicit" by default. */
  readonly name?: string | undefined;
}

export function fromStatic(identity: CredentialIdentity, options: StaticOptions = {}): CredentialProvider {
  const name = options.name ?? "explicit";
  if (!identity.accessKeyId) throw new CredentialsError(name, "accessKeyId is missing (secretAccessKey alone is not enough)");
  if (!identity.secretAccessKey) throw new CredentialsError(name, `secretAccessKey is missing for access key ${identity.accessKeyId}`);
  // Copied into a `Credentials` of our own: the caller's object may be a plain literal
  // whose secret would show in `inspect`, and may be mutated later.
  const credentials = new Credentials(
    {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      sessionToken: identity.sessionToken,
      expiration: identity.expiration,
      accountId: identity.accountId,
    },
    name,
  );
  return {
    name,
    resolve: async () => credentials,
  };
}
