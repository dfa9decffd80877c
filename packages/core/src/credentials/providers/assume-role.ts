/**
 * Assume a role: get source credentials from another provider, then trade them for the
 * role's with a signed STS `AssumeRole` (botocore's `AssumeRoleCredentialFetcher`).
 *
 * Which source, and the settings, come from whoever builds it: the config-file provider
 * reads them from a profile (`role_arn`, `source_profile` / `credential_source`,
 * `external_id`, `role_session_name`, `duration_seconds`, `mfa_serial`), and code can build
 * one directly.
 *
 * - The source is resolved on every resolve, so a source that refreshes (another role,
 *   the instance role…) is never used past its expiry. The outer cache keeps the calls
 *   rare.
 * - A source that is simply not there (`CredentialsNotFound`, e.g. `credential_source =
 *   Environment` with no variables set) is an error here, not a reason for a chain to move
 *   on: the profile asked for this role, and another identity would be a surprise.
 * - The session name, when not given, is `stratus-session-<unix seconds>`, chosen on the
 *   first resolve and kept, as botocore keeps it per fetcher.
 * - MFA: botocore prompts on the terminal. A library must not, so the code comes from the
 *   caller's `mfaCodeProvider`, asked again on every refresh (botocore refuses to refresh
 *   MFA-backed roles at all). Without one, a role with `mfa_serial` is a clear error before
 *   any call is made.
 */
import { CredentialsError, CredentialsNotFound } from "../../errors/index.ts";
import type { Credentials } from "../credentials.ts";
import type { CredentialProvider, ResolveOptions } from "../provider.ts";
import { assumeRole, defaultRoleSessionName, type StsTarget } from "../sts.ts";

export interface MfaCodeRequest {
  /** The MFA device's serial number or ARN (`mfa_serial`). */
  readonly mfaSerial: string;
  readonly roleArn: string;
  /** The profile that configured the role, when there is one. */
  readonly profile?: string | undefined;
}

/** Returns the current one-time code of the MFA device (e.g. by asking the user). */
export type MfaCodeProvider = (request: MfaCodeRequest) => string | Promise<string>;

export interface AssumeRoleOptions {
  readonly roleArn: string;
  /** Where the credentials that call AssumeRole come from. */
  readonly source: CredentialProvider;
  readonly stsTarget: StsTarget;
  readonly roleSessionName?: string | undefined;
  readonly externalId?: string | undefined;
  readonly durationSeconds?: number | undefined;
  readonly mfaSerial?: string | undefined;
  readonly mfaCodeProvider?: MfaCodeProvider | undefined;
  /** The profile that configured this role (for the MFA request and messages). */
  readonly profile?: string | undefined;
  /** Provider name and `Credentials.source`; "assume-role" by default. */
  readonly name?: string | undefined;
  readonly timeoutMs?: number | undefined;
  /** Clock for signing and the default session name, milliseconds since the epoch. */
  readonly now?: (() => number) | undefined;
}

export function fromAssumeRole(options: AssumeRoleOptions): CredentialProvider {
  const name = options.name ?? "assume-role";
  const now = options.now ?? Date.now;
  let sessionName = options.roleSessionName;
  return {
    name,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      if (options.mfaSerial && !options.mfaCodeProvider) {
        const where = options.profile ? `profile "${options.profile}"` : "this role";
        throw new CredentialsError(
          name,
          `${where} sets mfa_serial ${options.mfaSerial}, so an MFA code is needed, but no mfaCodeProvider option was given to ask for one`,
        );
      }
      const sourceCredentials = await resolveSource(name, options.source, resolveOptions);
      const tokenCode = options.mfaSerial && options.mfaCodeProvider
        ? await mfaCode(name, options.mfaCodeProvider, { mfaSerial: options.mfaSerial, roleArn: options.roleArn, profile: options.profile })
        : undefined;
      sessionName ??= defaultRoleSessionName(now());
      return assumeRole(
        {
          roleArn: options.roleArn,
          roleSessionName: sessionName,
          externalId: options.externalId,
          durationSeconds: options.durationSeconds,
          serialNumber: options.mfaSerial,
          tokenCode,
        },
        sourceCredentials,
        {
          target: options.stsTarget,
          provider: name,
          timeoutMs: options.timeoutMs,
          signal: resolveOptions.signal,
          now,
        },
      );
    },
  };
}

async function resolveSource(name: string, source: CredentialProvider, options: ResolveOptions): Promise<Credentials> {
  try {
    return await source.resolve(options);
  } catch (error) {
    if (error instanceof CredentialsNotFound) {
      throw new CredentialsError(name, `no source credentials for the role: ${error.message}`);
    }
    throw error;
  }
}

async function mfaCode(name: string, ask: MfaCodeProvider, request: MfaCodeRequest): Promise<string> {
  const code = await ask(request);
  if (typeof code !== "string" || !code.trim()) {
    throw new CredentialsError(name, `the mfaCodeProvider gave no code for ${request.mfaSerial}`);
  }
  return code.trim();
}
