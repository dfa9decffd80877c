/**
 * Credentials from a container credentials endpoint: the ECS task agent, EKS Pod Identity,
 * Greengrass, or anything else that speaks the same tiny protocol (GET → JSON with
 * AccessKeyId, SecretAccessKey, Token, Expiration and optionally AccountId).
 *
 * Where to ask, as botocore's ContainerProvider decides it:
 * - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS): a path on the fixed agent address
 *   `http://169.254.170.2`. That base is deliberately not configurable from the
 *   environment (whoever controls the environment could then send the request, and its
 *   Authorization header, anywhere); only the `relativeUriBase` option, a test hook, moves
 *   it. We always put a "/" between base and path, so a path such as "@evil.example/x"
 *   cannot turn into a different host.
 * - else `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any https URL, but plain http only to a
 *   loopback address (127.0.0.0/8, ::1, localhost) or to the ECS / EKS agent addresses
 *   169.254.170.2, 169.254.170.23 and fd00:ec2::23, because the answer carries
 *   credentials and may be sent with an Authorization token. (botocore applies the host
 *   list to https too; the v3 JS SDK lets https go anywhere, as we do.)
 * - neither: `CredentialsNotFound`, so a chain moves on.
 *
 * The Authorization header comes from the file named by
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every resolve, because EKS
 * rotates it in place; it wins over the variable) or from
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The value is sent as-is, like botocore; one that
 * contains CR or LF is refused rather than trimmed, since it could not be a legal header.
 *
 * Each attempt has its own deadline (default 1 s). Connection failures, timeouts and 5xx
 * answers are retried (3 attempts by default, as botocore, with a pause in between);
 * a 4xx is final and reported with its status and a redacted snippet (see
 * response-snippet.ts), never the body itself.
 */
import { CredentialsError, CredentialsNotFound, HttpRequestError } from "../../errors/index.ts";
import { simpleRequest, type SimpleResponse } from "../../http/simple-request.ts";
import type { Credentials } from "../credentials.ts";
import type { CredentialProvider, Env, ResolveOptions } from "../provider.ts";
import { describeFailedResponse, requestProblem } from "../response-snippet.ts";
import { credentialsFromMetadata } from "../metadata-credentials.ts";
import { sleep } from "../../abort/index.ts";

const NAME = "container-endpoint";
const ECS_AGENT_BASE = "http://169.254.170.2";
const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_MAX_ATTEMPTS = 3;
/** botocore sleeps one second between attempts: the agent is usually just busy. */
const DEFAULT_RETRY_DELAY_MS = 1000;

/** Hosts plain http may reach besides loopback (WHATWG URL spelling: IPv6 in brackets). */
const HTTP_AGENT_HOSTS = new Set(["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"]);

export interface ContainerEndpointOptions {
  readonly env: Env;
  /** Deadline for each attempt, in milliseconds (default 1000). */
  readonly timeoutMs?: number;
  /** Attempts in all, including the first (default 3). */
  readonly maxAttempts?: number;
  /** Pause between attempts, in milliseconds (default 1000). */
  readonly retryDelayMs?: number;
  /**
   * Test hook: replaces `http://169.254.170.2` as the base that
   * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is resolved against. Never read from the
   * environment.
   */
  readonly relativeUriBase?: string;
}

export function fromContainerEndpoint(options: ContainerEndpointOptions): CredentialProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  return {
    name: NAME,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      const { env } = options;
      const url = endpointUrl(env, options.relativeUriBase ?? ECS_AGENT_BASE);
      const token = await authorizationToken(env);
      const headers: Record<string, string> = { accept: "application/json" };
      if (token !== undefined) headers["authorization"] = token;
      const res = await fetchWithRetries(url, headers, { timeoutMs, maxAttempts, retryDelayMs, signal: resolveOptions.signal });
      if (res.statusCode >= 500) {
        throw new CredentialsError(NAME, `${display(url)} still failing after ${attempts(maxAttempts)}: ${describeFailedResponse(res, [token])}`);
      }
      if (res.statusCode !== 200) {
        throw new CredentialsError(NAME, `${display(url)} refused the request: ${describeFailedResponse(res, [token])}`);
      }
      return parseCredentials(res.body, url);
    },
  };
}

function endpointUrl(env: Env, relativeBase: string): URL {
  const relative = env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"];
  if (relative) {
    const base = new URL(relativeBase);
    const url = new URL(`${base.origin}${relative.startsWith("/") ? "" : "/"}${relative}`);
    if (url.origin !== base.origin) {
      throw new CredentialsError(NAME, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path on the container agent");
    }
    return url;
  }
  const full = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"];
  if (!full) {
    throw new CredentialsNotFound(NAME, "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
  }
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    throw new CredentialsError(NAME, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL");
  }
  if (isAllowedFullUri(url)) return url;
  throw new CredentialsError(
    NAME,
    `AWS_CONTAINER_CREDENTIALS_FULL_URI points at ${url.protocol}//${url.host}: only https URLs, or http URLs to a ` +
      "loopback address (127.0.0.0/8, ::1, localhost) or to 169.254.170.2, 169.254.170.23 or fd00:ec2::23, are allowed",
  );
}

/** The rule for AWS_CONTAINER_CREDENTIALS_FULL_URI (exported for its tests). */
export function isAllowedFullUri(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (isLoopback(url.hostname) || HTTP_AGENT_HOSTS.has(url.hostname));
}

function isLoopback(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  // The URL parser has already normalised IPv4 forms such as "127.1" or "0x7f.1".
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

async function authorizationToken(env: Env): Promise<string | undefined> {
  const file = env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"];
  let token: string | undefined;
  let origin: string;
  if (file) {
    origin = `the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (${file})`;
    try {
      const { readFile } = await import("node:fs/promises");
      token = await readFile(file, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new CredentialsError(NAME, `cannot read ${origin}${code ? ` (${code})` : ""}`);
    }
  } else {
    origin = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"];
  }
  if (token !== undefined && /[\r\n]/.test(token)) {
    throw new CredentialsError(NAME, `the authorization token from ${origin} contains a line break (CR or LF), which is not a legal header value`);
  }
  return token === "" ? undefined : token;
}

interface RetryPolicy {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly signal: AbortSignal | undefined;
}

/** The first answer that is not worth retrying, or the last 5xx; throws if none came. */
async function fetchWithRetries(url: URL, headers: Record<string, string>, policy: RetryPolicy): Promise<SimpleResponse> {
  let lastProblem = "";
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (attempt > 1) await sleep(policy.retryDelayMs, policy.signal);
    try {
      const res = await simpleRequest({ method: "GET", url, headers, timeoutMs: policy.timeoutMs, signal: policy.signal });
      if (res.statusCode < 500 || attempt === policy.maxAttempts) return res;
      lastProblem = `HTTP ${res.statusCode}`;
    } catch (error) {
      if (!(error instanceof HttpRequestError)) throw error; // aborted by the caller
      lastError = error;
      lastProblem = requestProblem(error);
    }
  }
  throw new CredentialsError(
    NAME,
    `no answer from ${display(url)} after ${attempts(policy.maxAttempts)}: ${lastProblem}`,
    { cause: lastError },
  );
}

function parseCredentials(body: string, url: URL): Credentials {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // No `cause`: a JSON SyntaxError quotes the text, which may hold a secret.
    throw new CredentialsError(NAME, `${display(url)} answered with a body that is not JSON`);
  }
  const fields = data !== null && typeof data === "object" ? (data as Record<string, unknown>) : {};
  return credentialsFromMetadata(fields, NAME, `the credentials from ${display(url)}`);
}

function attempts(n: number): string {
  return `${n} attempt${n === 1 ? "" : "s"}`;
}

/** The URL without query or user info, which are not ours to print. */
function display(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

