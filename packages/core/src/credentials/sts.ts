/**
 * The two STS calls credential providers need, made by the core alone: a role provider
 * cannot wait for a generated STS package that itself needs credentials to exist.
 *
 *   AssumeRole                   signed (SigV4, service "sts") with the source credentials
 *   AssumeRoleWithWebIdentity    unsigned: the web identity token is the proof
 *
 * Both are awsQuery calls: a form-encoded POST of `Action=…&Version=2011-06-15&…` to the
 * STS endpoint, answered with XML. The answer is untrusted input, so it is read by the
 * SDK's own XML reader (protocols/xml/document.ts): a DOCTYPE gets the answer refused, so no
 * entity is ever expanded, and the five predefined entities and character references,
 * which STS does use in messages, are decoded. Elements match on local names and text is
 * trimmed; an answer that is not well-formed XML counts as no document at all.
 *
 * Where the call goes (`stsTarget`): an endpoint URL configured for service id "STS"
 * (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's services section…), else the
 * regional endpoint `https://sts.<region>.amazonaws.com`, with the region from the
 * environment or profile, or us-east-1 (the global endpoint's region) when none is set.
 *
 * What comes back is a `Credentials` with the expiration and the account id (the fifth
 * field of the assumed role's ARN). An error document becomes an `StsError` carrying STS's
 * code, message and request id. No message ever contains a secret key, session token or
 * web identity token: the secret key is never sent, STS's message is searched for the
 * token we did send (an endpoint that echoes it gets "<redacted>"), and transport errors
 * name only the URL.
 */
import { resolveEndpointUrl, resolveRegion } from "../config/index.ts";
import type { SectionValues, SharedConfig } from "../config/index.ts";
import { CredentialsError, ParseError, StsError } from "../errors/index.ts";
import { requestUrl } from "../http/http-request.ts";
import type { HttpRequest } from "../http/http-request.ts";
import { simpleRequest } from "../http/simple-request.ts";
import { childNamed, parseXml, type XmlElement } from "../protocols/xml/document.ts";
import { signRequest, uriEscape } from "../signing/index.ts";
import { Credentials, type CredentialIdentity } from "./credentials.ts";
import type { Env } from "./provider.ts";

export const STS_API_VERSION = "2011-06-15";
/** STS is usually quick; a minute would leave a request hanging on a dead endpoint. */
export const DEFAULT_STS_TIMEOUT_MS = 10_000;

/** Where an STS call goes and the region its signature is scoped to. */
export interface StsTarget {
  readonly endpoint: string;
  readonly region: string;
}

export interface StsCallOptions {
  readonly target: StsTarget;
  /** The provider making the call: named in errors. */
  readonly provider: string;
  /** `Credentials.source` of the result; the provider name by default. */
  readonly source?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The signing clock, milliseconds since the epoch. */
  readonly now?: (() => number) | undefined;
}

export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalId?: string | undefined;
  readonly durationSeconds?: number | undefined;
  /** The MFA device (`mfa_serial`); sent with `tokenCode`. */
  readonly serialNumber?: string | undefined;
  readonly tokenCode?: string | undefined;
  readonly policy?: string | undefined;
  readonly sourceIdentity?: string | undefined;
}

export interface AssumeRoleWithWebIdentityInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly webIdentityToken: string;
  readonly durationSeconds?: number | undefined;
  readonly providerId?: string | undefined;
  readonly policy?: string | undefined;
}

/** `sts:AssumeRole`, signed with `sourceCredentials`. */
export async function assumeRole(
  input: AssumeRoleInput,
  sourceCredentials: CredentialIdentity,
  options: StsCallOptions,
): Promise<Credentials> {
  const params: Array<[string, string | number | undefined]> = [
    ["RoleArn", input.roleArn],
    ["RoleSessionName", input.roleSessionName],
    ["DurationSeconds", input.durationSeconds],
    ["ExternalId", input.externalId],
    ["Policy", input.policy],
    ["SerialNumber", input.serialNumber],
    ["TokenCode", input.tokenCode],
    ["SourceIdentity", input.sourceIdentity],
  ];
  return call("AssumeRole", params, sourceCredentials, options);
}

/** `sts:AssumeRoleWithWebIdentity`, unsigned. */
export async function assumeRoleWithWebIdentity(
  input: AssumeRoleWithWebIdentityInput,
  options: StsCallOptions,
): Promise<Credentials> {
  const params: Array<[string, string | number | undefined]> = [
    ["RoleArn", input.roleArn],
    ["RoleSessionName", input.roleSessionName],
    ["WebIdentityToken", input.webIdentityToken],
    ["DurationSeconds", input.durationSeconds],
    ["ProviderId", input.providerId],
    ["Policy", input.policy],
  ];
  return call("AssumeRoleWithWebIdentity", params, undefined, options);
}

/** botocore names sessions `botocore-session-<unix seconds>`; ours say who made them. */
export function defaultRoleSessionName(nowMs: number): string {
  return `stratus-session-${Math.floor(nowMs / 1000)}`;
}

export interface StsTargetOptions {
  readonly env: Env;
  /** The loaded shared config (for the profile's `services` section). */
  readonly config: SharedConfig;
  /** The profile whose `region`, `endpoint_url` and `services` apply. */
  readonly profile?: SectionValues | undefined;
  /** An explicit region (the caller's), ahead of the environment and profile. */
  readonly region?: string | undefined;
}

/** The region and endpoint STS calls use, as described in the header. */
export function stsTarget(options: StsTargetOptions): StsTarget {
  // No region anywhere is normal for STS: the global endpoint's region applies.
  const region = resolveRegion({ region: options.region, env: options.env, profile: options.profile }) ?? "us-east-1";
  const configured = resolveEndpointUrl({
    serviceId: "STS",
    env: options.env,
    profile: options.profile,
    config: options.config,
  });
  return { region, endpoint: configured ?? `https://sts.${region}.${dnsSuffix(region)}` };
}

/** The two partitions whose STS endpoints a region name alone tells apart. */
function dnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

// ---- the exchange --------------------------------------------------------------------

async function call(
  action: string,
  params: ReadonlyArray<readonly [string, string | number | undefined]>,
  signWith: CredentialIdentity | undefined,
  options: StsCallOptions,
): Promise<Credentials> {
  const request = buildRequest(action, params, options.target, options.provider);
  const now = options.now ?? Date.now;
  const toSend = signWith
    ? signRequest(request, {
        credentials: signWith,
        region: options.target.region,
        service: "sts",
        signingDate: new Date(now()),
      }).request
    : request;
  const response = await simpleRequest({
    method: "POST",
    url: requestUrl(toSend),
    headers: toSend.headers,
    body: toSend.body,
    timeoutMs: options.timeoutMs ?? DEFAULT_STS_TIMEOUT_MS,
    signal: options.signal,
  }).catch((error: unknown) => {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new CredentialsError(options.provider, `STS ${action} request failed: ${(error as Error).message}`, {
      cause: error,
    });
  });
  const document = parseAnswer(response.body);
  if (response.statusCode < 200 || response.statusCode >= 300) {
    // What we sent that a misbehaving endpoint could echo back (the secret key is never sent).
    const sent = [signWith?.sessionToken, ...params.filter(([name]) => name === "WebIdentityToken").map(([, value]) => String(value))];
    throw errorFrom(action, response.statusCode, response.headers, document, options.provider, sent);
  }
  return credentialsFrom(action, document, options);
}

function buildRequest(
  action: string,
  params: ReadonlyArray<readonly [string, string | number | undefined]>,
  target: StsTarget,
  provider: string,
): HttpRequest {
  // Neither message quotes the endpoint: a URL may carry a password in its user-info part.
  let url: URL;
  try {
    url = new URL(target.endpoint);
  } catch {
    throw new CredentialsError(provider, "the STS endpoint is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CredentialsError(provider, `the STS endpoint must be an http:// or https:// URL, not ${url.protocol}`);
  }
  const fields: Array<[string, string]> = [["Action", action], ["Version", STS_API_VERSION]];
  for (const [name, value] of params) if (value !== undefined && value !== "") fields.push([name, String(value)]);
  return {
    method: "POST",
    protocol: url.protocol,
    // URL keeps an IPv6 literal's brackets; the request wants the bare address.
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname || "/",
    query: [],
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    // RFC 3986 encoding is a valid (strict) form of application/x-www-form-urlencoded.
    body: fields.map(([name, value]) => `${uriEscape(name)}=${uriEscape(value)}`).join("&"),
  };
}

// ---- reading the answer --------------------------------------------------------------

/** The answer's root element; undefined when the body is empty or not well-formed XML. */
function parseAnswer(body: string): XmlElement | undefined {
  if (!body.trim()) return undefined;
  try {
    return parseXml(body, "sts");
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

/** The trimmed text of the element at `path` (root first, local names), if it has no child elements. */
function textAt(root: XmlElement | undefined, ...path: string[]): string | undefined {
  const [rootName, ...rest] = path;
  let at: XmlElement | undefined = root?.localName === rootName ? root : undefined;
  for (const name of rest) at = at && childNamed(at, name);
  return at && at.children.length === 0 ? at.text.trim() : undefined;
}

function errorFrom(
  action: string,
  statusCode: number,
  headers: Readonly<Record<string, string>>,
  document: XmlElement | undefined,
  provider: string,
  secrets: ReadonlyArray<string | undefined>,
): Error {
  const code = textAt(document, "ErrorResponse", "Error", "Code");
  const requestId =
    textAt(document, "ErrorResponse", "RequestId") ??
    textAt(document, "ErrorResponse", "Error", "RequestId") ??
    headers["x-amzn-requestid"];
  if (code === undefined) {
    return new CredentialsError(
      provider,
      `STS ${action} answered HTTP ${statusCode} without an STS error document${requestId ? ` (request id ${requestId})` : ""}`,
    );
  }
  let message = textAt(document, "ErrorResponse", "Error", "Message") ?? "(no message)";
  for (const secret of secrets) if (secret) message = message.split(secret).join("<redacted>");
  return new StsError(provider, action, { code: code.slice(0, 100), message: message.slice(0, 1000), requestId, statusCode });
}

function credentialsFrom(action: string, document: XmlElement | undefined, options: StsCallOptions): Credentials {
  const result = [`${action}Response`, `${action}Result`];
  const field = (name: string): string | undefined => textAt(document, ...result, "Credentials", name);
  const missing = (what: string): CredentialsError =>
    new CredentialsError(options.provider, `STS ${action} answer has no ${what}`);
  const accessKeyId = field("AccessKeyId");
  if (!accessKeyId) throw missing("Credentials/AccessKeyId");
  const secretAccessKey = field("SecretAccessKey");
  if (!secretAccessKey) throw missing("Credentials/SecretAccessKey");
  const sessionToken = field("SessionToken");
  if (!sessionToken) throw missing("Credentials/SessionToken");
  const expirationText = field("Expiration");
  const expiration = expirationText ? new Date(expirationText) : undefined;
  if (!expiration || Number.isNaN(expiration.getTime())) throw missing("valid Credentials/Expiration");
  const roleArn = textAt(document, ...result, "AssumedRoleUser", "Arn");
  return new Credentials(
    { accessKeyId, secretAccessKey, sessionToken, expiration, accountId: accountIdOf(roleArn) },
    options.source ?? options.provider,
  );
}

/** arn:partition:service:region:ACCOUNT:resource → ACCOUNT, when it looks like one. */
export function accountIdOf(arn: string | undefined): string | undefined {
  const parts = arn?.split(":");
  if (!parts || parts.length < 6 || parts[0] !== "arn") return undefined;
  const account = parts[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
