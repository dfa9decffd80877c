/**
 * The IAM Identity Center (SSO) access token that `aws sso login` leaves in
 * `<home>/.aws/sso/cache/<sha1-hex>.json`, read and, for the sso-session form, refreshed
 * the way botocore's SSOTokenProvider does.
 *
 * Cache key: the SHA-1 (hex) of the sso-session name for the sso-session form, of the start
 * URL for the legacy form (a profile with sso_start_url and no sso_session). The file is
 * JSON with `accessToken` and `expiresAt`, and for refresh `refreshToken`, `clientId`,
 * `clientSecret` and `registrationExpiresAt` (plus `region`, `startUrl`).
 *
 * Refresh (sso-session form only; the legacy form has no refresh token and the CLI never
 * wrote one for it): when the token expires within 15 minutes by the injected clock, and the
 * cache has all four refresh fields, and the client registration has not expired, we call
 * SSO-OIDC CreateToken (`POST /token`, rest-json, body {grantType: "refresh_token",
 * clientId, clientSecret, refreshToken}) and write the new token back to the same file. The
 * write goes to a temporary file in the same folder that is then renamed over the old one,
 * so a CLI or another process reading concurrently sees the old file or the new one, never
 * half of one. As in botocore, a refresh token is kept only if CreateToken returned one, and
 * settings we do not know are carried over untouched. The file is written owner-only (0600)
 * as the CLI does. If the refresh fails for any reason, the cached token is used while it is
 * still valid (with a warning through the optional logger); an expired token is an error
 * telling the user to log in again, with the refresh failure in the message.
 *
 * None of the four secrets (access token, refresh token, client secret; the client id too,
 * for good measure) ever appears in a message: errors name the cache file, the profile and
 * the session, and quote OIDC's answer only through response-snippet.ts with the secrets
 * blotted out. JSON parse errors are not attached as causes because V8 quotes the text.
 */
import { CredentialsError, HttpRequestError, StratusError } from "../errors/index.ts";
import { simpleRequest } from "../http/simple-request.ts";
import { nodeBuiltin } from "../platform/index.ts";
import { describeFailedResponse, requestProblem } from "./response-snippet.ts";

/** botocore's advisory window: refresh a token that has less than this left. */
export const SSO_REFRESH_WINDOW_MS = 15 * 60_000;

/** An access token with the secret kept out of inspect/JSON output. */
export class SsoAccessToken {
  readonly #token: string;
  readonly expiresAt: Date;
  constructor(token: string, expiresAt: Date) {
    this.#token = token;
    this.expiresAt = expiresAt;
  }
  get token(): string {
    return this.#token;
  }
  toJSON(): Record<string, string> {
    return { token: "<redacted>", expiresAt: this.expiresAt.toISOString() };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SsoAccessToken { expiresAt: ${this.expiresAt.toISOString()} }`;
  }
}

export interface SsoTokenOptions {
  /** Provider name for errors, e.g. "sso:dev". */
  readonly provider: string;
  readonly profileName: string;
  readonly homeDir: string;
  readonly startUrl: string;
  readonly region: string;
  /** Present for the sso-session form, which alone can refresh. */
  readonly session?: { readonly name: string; readonly oidcEndpoint: string } | undefined;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: { warn(message: string): void } | undefined;
}

/** `<home>/.aws/sso/cache/<sha1-hex of key>.json` */
export function ssoTokenCachePath(homeDir: string, key: string): string {
  // Built-ins asked for here, not imported at the top: a Worker has no file cache to read,
  // and must still load this module.
  const crypto = nodeBuiltin("node:crypto");
  const path = nodeBuiltin("node:path");
  if (!crypto || !path) throw new CredentialsError("sso", "the SSO token cache needs node:crypto and node:path, which this runtime does not have");
  const hash = crypto.createHash("sha1").update(key, "utf8").digest("hex");
  return path.join(homeDir, ".aws", "sso", "cache", `${hash}.json`);
}

export async function loadSsoToken(options: SsoTokenOptions): Promise<SsoAccessToken> {
  const { provider, session } = options;
  const file = ssoTokenCachePath(options.homeDir, session ? session.name : options.startUrl);
  const login = loginHint(options);
  const owner = session ? `sso-session "${session.name}"` : `start URL ${options.startUrl}`;

  let text: string;
  try {
    const { readFile } = await import("node:fs/promises");
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const what = code === "ENOENT" ? "there is no cached SSO token" : `the cached SSO token cannot be read (${code ?? "error"})`;
    throw new CredentialsError(provider, `${what} for ${owner} at ${file}; ${login}`);
  }
  let cached: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new TypeError("not an object");
    cached = parsed as Record<string, unknown>;
  } catch {
    throw new CredentialsError(provider, `the cached SSO token at ${file} is not a JSON object; ${login}`);
  }
  const accessToken = cached["accessToken"];
  const expiresAtText = cached["expiresAt"];
  const missing = [
    ...(typeof accessToken === "string" && accessToken ? [] : ["accessToken"]),
    ...(typeof expiresAtText === "string" && expiresAtText ? [] : ["expiresAt"]),
  ];
  if (missing.length) {
    throw new CredentialsError(provider, `the cached SSO token at ${file} has no ${missing.join(" or ")}; ${login}`);
  }
  const expiresAt = parseTimestamp(expiresAtText as string);
  if (!expiresAt) throw new CredentialsError(provider, `the cached SSO token at ${file} has an expiresAt that is not a date; ${login}`);

  let token = new SsoAccessToken(accessToken as string, expiresAt);
  const now = options.now();
  let refreshProblem: string | undefined;
  if (session && expiresAt.getTime() - now < SSO_REFRESH_WINDOW_MS) {
    const outcome = await refresh(cached, session, options, file);
    if (outcome instanceof SsoAccessToken) token = outcome;
    else refreshProblem = outcome;
  }

  if (token.expiresAt.getTime() <= now) {
    const why = refreshProblem ? ` and could not be refreshed (${refreshProblem})` : "";
    throw new CredentialsError(provider, `the cached SSO token for ${owner} expired at ${token.expiresAt.toISOString()}${why}; ${login}`);
  }
  if (refreshProblem && options.logger) {
    options.logger.warn(
      `${provider}: refreshing the SSO token for ${owner} failed (${refreshProblem}); ` +
        `using the cached token, which expires at ${token.expiresAt.toISOString()}`,
    );
  }
  return token;
}

/** The new token, or why there is none (a phrase without secrets). */
async function refresh(
  cached: Record<string, unknown>,
  session: { readonly name: string; readonly oidcEndpoint: string },
  options: SsoTokenOptions,
  file: string,
): Promise<SsoAccessToken | string> {
  const keys = ["refreshToken", "clientId", "clientSecret", "registrationExpiresAt"] as const;
  const missing = keys.filter((key) => typeof cached[key] !== "string" || cached[key] === "");
  if (missing.length) return `the cache has no ${missing.join(", ")}`;
  const refreshToken = cached["refreshToken"] as string;
  const clientId = cached["clientId"] as string;
  const clientSecret = cached["clientSecret"] as string;
  const secrets = [refreshToken, clientSecret, clientId, cached["accessToken"] as string];
  const registrationExpiresAt = parseTimestamp(cached["registrationExpiresAt"] as string);
  if (!registrationExpiresAt) return "registrationExpiresAt is not a date";
  if (registrationExpiresAt.getTime() <= options.now()) {
    return `the client registration expired at ${registrationExpiresAt.toISOString()}`;
  }

  const url = `${session.oidcEndpoint.replace(/\/+$/, "")}/token`;
  let res;
  try {
    res = await simpleRequest({
      method: "POST",
      url,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grantType: "refresh_token", clientId, clientSecret, refreshToken }),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error; // aborted by the caller
    return `SSO-OIDC CreateToken at ${new URL(url).origin}: ${requestProblem(error)}`;
  }
  if (res.statusCode !== 200) return `SSO-OIDC CreateToken: ${describeFailedResponse(res, secrets)}`;
  let answer: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(res.body);
    answer = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return "SSO-OIDC CreateToken answered with a body that is not JSON";
  }
  const accessToken = answer["accessToken"];
  const expiresIn = answer["expiresIn"];
  if (typeof accessToken !== "string" || !accessToken || typeof expiresIn !== "number" || !(expiresIn > 0)) {
    return "SSO-OIDC CreateToken answered without accessToken or expiresIn";
  }

  const expiresAt = new Date(options.now() + expiresIn * 1000);
  const updated: Record<string, unknown> = {
    ...cached,
    startUrl: options.startUrl,
    region: options.region,
    accessToken,
    expiresAt: formatTimestamp(expiresAt),
  };
  const newRefreshToken = answer["refreshToken"];
  if (typeof newRefreshToken === "string" && newRefreshToken) updated["refreshToken"] = newRefreshToken;
  else delete updated["refreshToken"];
  try {
    await writeAtomically(file, `${JSON.stringify(updated, null, 2)}\n`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    options.logger?.warn(`${options.provider}: the refreshed SSO token could not be saved to ${file} (${code ?? "error"}); using it anyway`);
  }
  return new SsoAccessToken(accessToken, expiresAt);
}

async function writeAtomically(file: string, contents: string): Promise<void> {
  // Inside `try` so that bundlers for runtimes without files accept it; such a runtime
  // never reaches here (there is no token cache file to refresh).
  let randomBytes: typeof import("node:crypto").randomBytes;
  let fs: typeof import("node:fs/promises");
  try {
    ({ randomBytes } = await import("node:crypto"));
    fs = await import("node:fs/promises");
  } catch {
    throw new StratusError("this runtime cannot write files");
  }
  const { rename, rm, writeFile } = fs;
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, contents, { mode: 0o600, flag: "wx" });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

function loginHint(options: SsoTokenOptions): string {
  const profile = `run "aws sso login --profile ${options.profileName}"`;
  return options.session ? `${profile} (or "aws sso login --sso-session ${options.session.name}") to log in again` : `${profile} to log in again`;
}

/** ISO 8601; older CLIs wrote "2019-11-14T04:05:45UTC", which Date cannot read as is. */
function parseTimestamp(text: string): Date | undefined {
  const date = new Date(text.replace(/UTC$/, "Z"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** botocore's cache format: whole seconds, "Z". */
function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
