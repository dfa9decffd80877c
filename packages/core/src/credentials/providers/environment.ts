/**
 * Credentials from environment variables, as botocore's `EnvProvider` reads them:
 *
 *   AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY   both, or it is a configuration error
 *   AWS_SESSION_TOKEN (or legacy AWS_SECURITY_TOKEN)
 *   AWS_CREDENTIAL_EXPIRATION                   ISO 8601; makes the cache re-read the
 *                                               variables before that time
 *   AWS_ACCOUNT_ID
 *
 * An empty variable counts as unset (a shell `export AWS_ACCESS_KEY_ID=` is a common way to
 * "unset" one). Neither key set means "not configured" and the chain moves on; exactly one
 * set is a mistake worth stopping for, and the error names the missing variable.
 *
 * The environment is always passed in (`env`), never read from `process.env` here, so tests
 * and embedders decide what this provider sees.
 */
import { CredentialsError, CredentialsNotFound } from "../../errors/index.ts";
import { Credentials } from "../credentials.ts";
import type { CredentialProvider, Env } from "../provider.ts";

export interface EnvironmentOptions {
  readonly env: Env;
}

const NAME = "environment";

export function fromEnvironment(options: EnvironmentOptions): CredentialProvider {
  return {
    name: NAME,
    resolve: async () => readEnvironment(options.env),
  };
}

function readEnvironment(env: Env): Credentials {
  const value = (name: string): string | undefined => env[name] || undefined;
  const accessKeyId = value("AWS_ACCESS_KEY_ID");
  const secretAccessKey = value("AWS_SECRET_ACCESS_KEY");
  if (!accessKeyId && !secretAccessKey) {
    throw new CredentialsNotFound(NAME, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!accessKeyId) throw new CredentialsError(NAME, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  if (!secretAccessKey) throw new CredentialsError(NAME, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  return new Credentials(
    {
      accessKeyId,
      secretAccessKey,
      sessionToken: value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN"),
      expiration: parseExpiration(value("AWS_CREDENTIAL_EXPIRATION")),
      accountId: value("AWS_ACCOUNT_ID"),
    },
    NAME,
  );
}

function parseExpiration(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new CredentialsError(NAME, `AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 date: ${JSON.stringify(text)}`);
  }
  return date;
}
