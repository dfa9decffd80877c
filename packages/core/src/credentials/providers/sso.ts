/**
 * Role credentials from IAM Identity Center (SSO), botocore's SSOProvider +
 * SSOCredentialFetcher: a cached access token (sso-token.ts) is exchanged for the
 * credentials of one role in one account through the SSO portal's GetRoleCredentials.
 *
 * Two profile shapes, as botocore:
 *   - sso-session: `sso_session = name` + `sso_account_id` + `sso_role_name`; the
 *     `[sso-session name]` section gives `sso_start_url`, `sso_region` (and
 *     `sso_registration_scopes`, which only `aws sso login` needs). A profile may repeat a
 *     session value but must not contradict it. The token is refreshable.
 *   - legacy: `sso_start_url`, `sso_region`, `sso_account_id`, `sso_role_name` all in the
 *     profile. The token is not refreshed.
 * A profile with neither sso_account_id nor sso_role_name is not an SSO credential profile
 * (it may hold an sso_session only for token-based services): CredentialsNotFound. Otherwise
 * every missing key is listed in one CredentialsError.
 *
 * Endpoints: the configured endpoint for service id "SSO" (AWS_ENDPOINT_URL_SSO, …) else
 * `https://portal.sso.<sso_region>.amazonaws.com`; for the token refresh, "SSO OIDC"
 * (AWS_ENDPOINT_URL_SSO_OIDC, …) else `https://oidc.<sso_region>.amazonaws.com`. China
 * regions use amazonaws.com.cn; other partitions need a configured endpoint (we carry no
 * endpoint rule set here).
 *
 * GetRoleCredentials is a rest-json GET of `/federation/credentials?account_id=…&role_name=…`
 * with the token in `x-amz-sso_bearer_token`, unsigned. 401 (UnauthorizedException: token
 * expired or revoked) and 403 are reported with what to do: log in again, or check the
 * account and role. The access token never appears in a message.
 */
import { isValidRegion, resolveEndpointUrl, type SectionValues, type SharedConfig } from "../../config/index.ts";
import { CredentialsError, CredentialsNotFound, HttpRequestError } from "../../errors/index.ts";
import { simpleRequest, type SimpleResponse } from "../../http/simple-request.ts";
import { Credentials } from "../credentials.ts";
import type { CredentialProvider, Env, ResolveOptions } from "../provider.ts";
import { describeFailedResponse, requestProblem } from "../response-snippet.ts";
import { loadSsoToken } from "../sso-token.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const SESSION_KEYS = ["sso_start_url", "sso_region"] as const;

export interface SsoOptions {
  readonly profileName: string;
  readonly profile: SectionValues;
  readonly config: SharedConfig;
  readonly env: Env;
  readonly homeDir: string;
  /** Clock for token expiry and refresh decisions. */
  readonly now?: () => number;
  /** Deadline for each HTTP call (CreateToken, GetRoleCredentials); default 10 s. */
  readonly timeoutMs?: number;
  /** Receives a warning when a token refresh fails but the cached token is still usable. */
  readonly logger?: { warn(message: string): void } | undefined;
}

interface SsoSettings {
  readonly startUrl: string;
  readonly region: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string | undefined;
}

export function fromSso(options: SsoOptions): CredentialProvider {
  const name = `sso:${options.profileName}`;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      const settings = ssoSettings(name, options);
      const endpoint = (serviceId: string, host: string): string =>
        resolveEndpointUrl({ serviceId, env: options.env, profile: options.profile, config: options.config }) ??
        `https://${host}.${settings.region}.${dnsSuffix(settings.region)}`;

      const token = await loadSsoToken({
        provider: name,
        profileName: options.profileName,
        homeDir: options.homeDir,
        startUrl: settings.startUrl,
        region: settings.region,
        session: settings.sessionName === undefined ? undefined : { name: settings.sessionName, oidcEndpoint: endpoint("SSO OIDC", "oidc") },
        now,
        timeoutMs,
        signal: resolveOptions.signal,
        logger: options.logger,
      });

      const portal = endpoint("SSO", "portal.sso");
      const query = `account_id=${encodeURIComponent(settings.accountId)}&role_name=${encodeURIComponent(settings.roleName)}`;
      const url = `${portal.replace(/\/+$/, "")}/federation/credentials?${query}`;
      let res: SimpleResponse;
      try {
        res = await simpleRequest({
          method: "GET",
          url,
          headers: { "x-amz-sso_bearer_token": token.token, accept: "application/json" },
          timeoutMs,
          signal: resolveOptions.signal,
        });
      } catch (error) {
        if (!(error instanceof HttpRequestError)) throw error; // aborted by the caller
        throw new CredentialsError(name, `SSO GetRoleCredentials at ${new URL(url).origin}: ${requestProblem(error)}`, { cause: error });
      }
      const login = `run "aws sso login --profile ${options.profileName}"`;
      const role = `role "${settings.roleName}" in account ${settings.accountId}`;
      if (res.statusCode === 401) {
        throw new CredentialsError(
          name,
          `the SSO portal did not accept the cached access token (${describeFailedResponse(res, [token.token])}): ` +
            `the SSO session has expired or was revoked; ${login} to log in again`,
        );
      }
      if (res.statusCode === 403) {
        throw new CredentialsError(
          name,
          `the SSO portal refused credentials for ${role} (${describeFailedResponse(res, [token.token])}); ` +
            `check sso_account_id and sso_role_name, or ${login} to log in again`,
        );
      }
      if (res.statusCode !== 200) {
        throw new CredentialsError(name, `SSO GetRoleCredentials for ${role} failed: ${describeFailedResponse(res, [token.token])}`);
      }
      return parseRoleCredentials(name, res.body, settings.accountId);
    },
  };
}

function ssoSettings(name: string, options: SsoOptions): SsoSettings {
  const { profile, profileName, config } = options;
  const accountId = text(profile, "sso_account_id");
  const roleName = text(profile, "sso_role_name");
  if (accountId === undefined && roleName === undefined) {
    throw new CredentialsNotFound(name, `profile "${profileName}" has neither sso_account_id nor sso_role_name`);
  }
  const sessionName = text(profile, "sso_session");
  const values: Record<string, string | undefined> = {
    sso_start_url: text(profile, "sso_start_url"),
    sso_region: text(profile, "sso_region"),
    sso_account_id: accountId,
    sso_role_name: roleName,
  };
  if (sessionName !== undefined) {
    const section = config.ssoSessions.get(sessionName);
    if (!section) {
      throw new CredentialsError(
        name,
        `profile "${profileName}" has sso_session = ${sessionName}, but ${config.configFile} has no [sso-session ${sessionName}] section`,
      );
    }
    for (const key of SESSION_KEYS) {
      const fromSession = text(section, key);
      if (fromSession === undefined) continue; // botocore then keeps the profile's value
      const fromProfile = values[key];
      if (fromProfile !== undefined && fromProfile !== fromSession) {
        throw new CredentialsError(
          name,
          `${key} is "${fromProfile}" in profile "${profileName}" but "${fromSession}" in [sso-session ${sessionName}]; they must agree`,
        );
      }
      values[key] = fromSession;
    }
  }
  const missing = Object.keys(values).filter((key) => values[key] === undefined);
  if (missing.length) {
    const where = sessionName !== undefined && missing.some((key) => (SESSION_KEYS as readonly string[]).includes(key))
      ? ` (sso_start_url and sso_region belong in [sso-session ${sessionName}])`
      : "";
    throw new CredentialsError(name, `profile "${profileName}" is configured for SSO but is missing ${missing.join(", ")}${where}`);
  }
  const region = values["sso_region"]!;
  if (!isValidRegion(region)) {
    throw new CredentialsError(name, `sso_region ${JSON.stringify(region)} is not a region name (only a-z, 0-9 and "-")`);
  }
  return { startUrl: values["sso_start_url"]!, region, accountId: accountId!, roleName: roleName!, sessionName };
}

/** A single, non-empty string setting; nested blocks do not count. */
function text(section: SectionValues, key: string): string | undefined {
  if (!Object.hasOwn(section, key)) return undefined;
  const value = section[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function dnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

function parseRoleCredentials(name: string, body: string, accountId: string): Credentials {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // No `cause`: a JSON SyntaxError quotes the text, which may hold a secret.
    throw new CredentialsError(name, "SSO GetRoleCredentials answered with a body that is not JSON");
  }
  const outer = data !== null && typeof data === "object" ? (data as Record<string, unknown>) : {};
  const inner = outer["roleCredentials"];
  const fields = inner !== null && typeof inner === "object" ? (inner as Record<string, unknown>) : {};
  const missing = [
    ...(["accessKeyId", "secretAccessKey", "sessionToken"] as const).filter((key) => typeof fields[key] !== "string" || fields[key] === ""),
    ...(typeof fields["expiration"] === "number" && Number.isFinite(fields["expiration"]) ? [] : ["expiration"]),
  ];
  if (missing.length) {
    throw new CredentialsError(name, `SSO GetRoleCredentials answered without roleCredentials.${missing.join(", roleCredentials.")}`);
  }
  return new Credentials(
    {
      accessKeyId: fields["accessKeyId"] as string,
      secretAccessKey: fields["secretAccessKey"] as string,
      sessionToken: fields["sessionToken"] as string,
      expiration: new Date(fields["expiration"] as number),
      accountId,
    },
    name,
  );
}
