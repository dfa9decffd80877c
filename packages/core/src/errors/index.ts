/**
 * Errors the core raises on its own (as opposed to errors a service returns, which later
 * arrive as `ServiceError`s). Every class here is a `StratusError`, so callers can tell an
 * SDK-side problem from anything else with one `instanceof`.
 *
 * Rule for every message built here: it may name files, profiles, providers, keys and
 * variable names, never a secret access key or a session token.
 */

export class StratusError extends Error {
  override name = "StratusError";
}

/** A shared config or credentials file (or a value in one) is unusable. */
export class ConfigError extends StratusError {
  override name = "ConfigError";
}

/** A config or credentials file cannot be parsed: names the file and the 1-based line. */
export class ConfigFileError extends ConfigError {
  override name = "ConfigFileError";
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.file = file;
    this.line = line;
  }
}

/** The profile asked for (explicitly or through AWS_PROFILE) is in neither file. */
export class ProfileNotFoundError extends ConfigError {
  override name = "ProfileNotFoundError";
  readonly profile: string;
  constructor(profile: string, where: readonly string[]) {
    super(`profile "${profile}" was not found in ${where.length ? where.join(" or ") : "any shared file"}`);
    this.profile = profile;
  }
}

/** `source_profile` links that come back to a profile already on the path. */
export class ProfileCycleError extends ConfigError {
  override name = "ProfileCycleError";
  readonly chain: readonly string[];
  constructor(chain: readonly string[]) {
    super(`profiles refer to each other in a cycle: ${chain.join(" -> ")}`);
    this.chain = chain;
  }
}

/** No region from the client options, the environment or the profile. */
export class NoRegionError extends ConfigError {
  override name = "NoRegionError";
  constructor(tried: readonly string[]) {
    super(`no region is configured; looked at ${tried.join(", ")}. Pass { region } or set AWS_REGION.`);
  }
}

/** One provider in a credential chain and why it gave nothing. */
export interface ProviderAttempt {
  readonly provider: string;
  readonly reason: string;
}

/**
 * No provider in the chain produced credentials. The message lists every provider that was
 * tried, in order, with the reason each one gave.
 */
export class CredentialsProviderError extends StratusError {
  override name = "CredentialsProviderError";
  readonly attempts: readonly ProviderAttempt[];
  constructor(attempts: readonly ProviderAttempt[]) {
    super(
      "no credentials were found; tried:\n" +
        attempts.map((a, i) => `  ${i + 1}. ${a.provider}: ${a.reason}`).join("\n"),
    );
    this.attempts = attempts;
  }
}

/**
 * Thrown by a single provider that has nothing to give because it is not configured here
 * (no variables set, no such profile keys…). A chain records the reason and moves on; any
 * other error from a provider stops the chain, as botocore does for a provider that is
 * configured but broken.
 */
export class CredentialsNotFound extends StratusError {
  override name = "CredentialsNotFound";
  readonly provider: string;
  constructor(provider: string, reason: string) {
    super(`${provider}: ${reason}`);
    this.provider = provider;
  }
}

/** A provider is configured but failed (bad file, endpoint error, expired token…). */
export class CredentialsError extends StratusError {
  override name = "CredentialsError";
  readonly provider: string;
  constructor(provider: string, problem: string, options?: { cause?: unknown }) {
    super(`${provider}: ${problem}`, options);
    this.provider = provider;
  }
}

/** A loopback or remote HTTP exchange made by the core itself failed before an answer. */
export class HttpRequestError extends StratusError {
  override name = "HttpRequestError";
  readonly url: string;
  constructor(url: string, problem: string, options?: { cause?: unknown }) {
    super(`${problem} (${url})`, options);
    this.url = url;
  }
}

/**
 * STS answered an `AssumeRole*` call made by a credential provider with an error document.
 * The code, message and request id are STS's own words (they never contain the caller's
 * secret: the secret is not sent, only a signature made with it).
 */
export class StsError extends CredentialsError {
  override name = "StsError";
  /** e.g. "AccessDenied", "ExpiredTokenException", "InvalidIdentityToken". */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly statusCode: number;
  constructor(
    provider: string,
    action: string,
    details: { code: string; message: string; requestId?: string | undefined; statusCode: number },
  ) {
    const id = details.requestId ? `, request id ${details.requestId}` : "";
    super(provider, `STS ${action} failed: ${details.code}: ${details.message} (HTTP ${details.statusCode}${id})`);
    this.code = details.code;
    this.requestId = details.requestId;
    this.statusCode = details.statusCode;
  }
}

/**
 * A response body (or header) that does not parse as the protocol says it must. Parsers
 * throw only this (or a service error): never a raw SyntaxError, never a hang.
 */
export class ParseError extends StratusError {
  override name = "ParseError";
  readonly protocol: string;
  constructor(protocol: string, problem: string, options?: { cause?: unknown }) {
    super(`${protocol}: ${problem}`, options);
    this.protocol = protocol;
  }
}

// ---- errors of a service call that never got (or never finished) an answer -----------
//
// The pipeline throws these out of `ServiceClient.send`, each carrying `$metadata` like a
// `ServiceError` does (`attempts` counts what was sent; `httpStatusCode` is absent). The
// HTTP handler creates them without metadata; the pipeline fills it in as the error
// leaves the call, so `$metadata` is writable here, once, by the core.

/** What every error of a call carries; mirrors `ResponseMetadata` in service-error.ts. */
export interface CallMetadata {
  readonly httpStatusCode?: number | undefined;
  readonly requestId?: string | undefined;
  readonly extendedRequestId?: string | undefined;
  readonly attempts: number;
  readonly totalRetryDelay: number;
}

const NO_ATTEMPTS: CallMetadata = Object.freeze({ attempts: 0, totalRetryDelay: 0 });

/**
 * The caller's `AbortSignal` fired. `reason` is the signal's own reason (what was passed
 * to `controller.abort(reason)`, or the platform's default "AbortError" DOMException), so
 * the caller can tell its own aborts apart.
 */
export class AbortError extends StratusError {
  override name = "AbortError";
  readonly reason: unknown;
  $metadata: CallMetadata = NO_ATTEMPTS;
  constructor(reason: unknown, options?: { cause?: unknown }) {
    const why = reason instanceof Error ? reason.message : reason === undefined ? "" : String(reason);
    super(why ? `the call was aborted: ${why}` : "the call was aborted", options);
    this.reason = reason;
  }
}

/**
 * Which time limit ran out:
 *   "connect"  opening the TCP/TLS connection (`http.connectTimeout`)
 *   "request"  waiting for the response headers of one attempt (`http.requestTimeout`)
 *   "idle"     waiting for the next chunk of a response body (`http.idleTimeout`)
 *   "call"     the whole call, every attempt and backoff included (the call's `timeout`)
 * The first three are failures of one attempt and are retried like a dropped connection;
 * "call" is the caller's deadline and ends the call.
 */
export type TimeoutKind = "connect" | "request" | "idle" | "call";

export class TimeoutError extends StratusError {
  override name = "TimeoutError";
  readonly timeout: TimeoutKind;
  /** The limit that ran out, in milliseconds. */
  readonly ms: number | undefined;
  $metadata: CallMetadata = NO_ATTEMPTS;
  constructor(timeout: TimeoutKind, ms: number | undefined, options?: { cause?: unknown }) {
    const limit = ms === undefined ? "its limit" : `${ms} ms`;
    super(`${TIMEOUT_WORDS[timeout]} did not finish within ${limit} (${timeout} timeout)`, options);
    this.timeout = timeout;
    this.ms = ms;
  }
  /** Whether a new attempt may succeed: true for the per-attempt limits, false for the call's deadline. */
  get isConnectionError(): boolean {
    return this.timeout !== "call";
  }
}

const TIMEOUT_WORDS: Readonly<Record<TimeoutKind, string>> = {
  connect: "connecting",
  request: "waiting for the response headers",
  idle: "reading the response body",
  call: "the call",
};

/**
 * The connection failed before a complete answer arrived: refused, reset, DNS failure, TLS
 * failure, closed mid-body. `isConnectionError` is what the retry classifier reads (a
 * "connection" failure: retried with backoff, costing more of the retry quota).
 */
export class NetworkError extends StratusError {
  override name = "NetworkError";
  /** The system or undici error code, e.g. "ECONNREFUSED", "UND_ERR_SOCKET". */
  readonly code: string | undefined;
  readonly isConnectionError = true;
  $metadata: CallMetadata = NO_ATTEMPTS;
  constructor(problem: string, code: string | undefined, options?: { cause?: unknown }) {
    super(code ? `${problem} (${code})` : problem, options);
    this.code = code;
  }
}

/** One thing wrong with a call's input; `path` names it the way the caller wrote it. */
export interface ValidationProblem {
  /** e.g. "input.Item.name.S", "input.Tags[2].Key". */
  readonly path: string;
  /** e.g. "required member is missing", "expected a string, got number". */
  readonly message: string;
}

/**
 * The input does not fit the operation's model. Every problem found is listed at once (as
 * botocore's ParamValidationError does), and nothing was sent.
 */
export class ValidationError extends StratusError {
  override name = "ValidationError";
  readonly operation: string;
  readonly problems: readonly ValidationProblem[];
  readonly $metadata: CallMetadata = NO_ATTEMPTS;
  constructor(operation: string, problems: readonly ValidationProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`invalid input for ${operation} (${count}):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    this.operation = operation;
    this.problems = problems;
  }
}
