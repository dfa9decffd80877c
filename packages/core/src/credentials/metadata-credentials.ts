/**
 * The JSON document that both the container credentials endpoint and EC2 instance metadata
 * answer with (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`, optional
 * `AccountId`), checked and turned into `Credentials` in one place. Messages name what is
 * wrong, never a value: the document holds the secret.
 */
import { CredentialsError } from "../errors/index.ts";
import { Credentials } from "./credentials.ts";

const REQUIRED = ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"] as const;

/** `subject` starts the error messages, e.g. `the credentials for role "web"`. */
export function credentialsFromMetadata(fields: Readonly<Record<string, unknown>>, provider: string, subject: string): Credentials {
  const missing = REQUIRED.filter((key) => typeof fields[key] !== "string" || fields[key] === "");
  if (missing.length) throw new CredentialsError(provider, `${subject} lack ${missing.join(", ")}`);
  const expiration = new Date(fields["Expiration"] as string);
  if (Number.isNaN(expiration.getTime())) {
    throw new CredentialsError(provider, `${subject} have an Expiration that is not a date`);
  }
  const accountId = fields["AccountId"];
  return new Credentials(
    {
      accessKeyId: fields["AccessKeyId"] as string,
      secretAccessKey: fields["SecretAccessKey"] as string,
      sessionToken: fields["Token"] as string,
      expiration,
      accountId: typeof accountId === "string" ? accountId : undefined,
    },
    provider,
  );
}
