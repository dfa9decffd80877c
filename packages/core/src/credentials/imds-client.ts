/**
 * One conversation with the EC2 instance metadata service (IMDS), with botocore's
 * IMDSFetcher rules for sessions and fallbacks. A client is made per resolve, so its
 * session token lives exactly as long as the few GETs that need it.
 *
 * Session token (IMDSv2): `PUT /latest/api/token` with
 * `x-aws-ec2-metadata-token-ttl-seconds: 21600`, fetched before the first GET.
 *   - 200 with a body: the token, sent as `x-aws-ec2-metadata-token` on every GET.
 *   - 403, 404 or 405 (IMDSv2 unsupported or blocked): fall back to IMDSv1, no token.
 *   - 400: the request itself is wrong, which no fallback fixes: an error.
 *   - no answer in time: fall back at once, without more attempts. A PUT whose answer
 *     never arrives is what a container behind the default hop limit of 1 sees (the
 *     response packet dies on the extra hop) while GETs work, so waiting again is waste.
 *   - connection failure or any other status: try again, up to maxAttempts, then fall back.
 * Falling back is refused when IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED /
 * ec2_metadata_v1_disabled): that is an error naming the setting.
 *
 * GET: each attempt has its own deadline; connection failures, timeouts and 5xx are
 * retried up to maxAttempts. A 401 means the token expired or IMDS now wants one: the token
 * is fetched again once and the GET repeated (not counted as an attempt).
 *
 * Not reachable vs broken: if IMDS never answered anything during the conversation (not
 * on EC2, or metadata blocked), the client throws CredentialsNotFound so a credential chain
 * ends with its usual "no credentials" report, as botocore does. Once IMDS has answered,
 * later failures are CredentialsErrors.
 *
 * The token is a secret: it never appears in a message.
 */
import { CredentialsError, CredentialsNotFound, HttpRequestError } from "../errors/index.ts";
import { simpleRequest, type SimpleResponse } from "../http/simple-request.ts";
import { requestProblem } from "./response-snippet.ts";

const TOKEN_PATH = "/latest/api/token";
const TOKEN_TTL_SECONDS = "21600";

export interface ImdsClientOptions {
  /** Provider name used in errors. */
  readonly provider: string;
  /** e.g. http://169.254.169.254 ; paths are appended to its origin and path. */
  readonly endpoint: URL;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** Where IMDSv1 was disabled (a phrase for messages), or undefined if it is allowed. */
  readonly v1DisabledBy: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

type Outcome =
  | { readonly kind: "answer"; readonly res: SimpleResponse }
  | { readonly kind: "no-answer"; readonly timedOut: boolean; readonly problem: string; readonly error: unknown };

export class ImdsClient {
  readonly #options: ImdsClientOptions;
  /** undefined: not fetched yet; null: IMDSv1 (no token); string: the session token. */
  #token: string | null | undefined;
  #answered = false;

  constructor(options: ImdsClientOptions) {
    this.#options = options;
  }

  /** The final answer to a GET: a 200, a non-retryable status, or the last 5xx. */
  async get(path: string): Promise<SimpleResponse> {
    const { maxAttempts, provider } = this.#options;
    if (this.#token === undefined) this.#token = await this.#fetchToken();
    let retokened = false;
    let last: SimpleResponse | undefined;
    let problem = "";
    let error: unknown;
    let attempt = 0;
    while (attempt < maxAttempts) {
      attempt++;
      const headers: Record<string, string> = {};
      if (this.#token !== null) headers["x-aws-ec2-metadata-token"] = this.#token;
      const outcome = await this.#send("GET", path, headers);
      if (outcome.kind === "no-answer") {
        ({ problem, error } = outcome);
        continue;
      }
      const { res } = outcome;
      if (res.statusCode === 401 && !retokened) {
        retokened = true;
        attempt--;
        this.#token = await this.#fetchToken();
        continue;
      }
      if (res.statusCode >= 500) {
        last = res;
        problem = `HTTP ${res.statusCode}`;
        continue;
      }
      return res;
    }
    if (last) return last;
    const where = this.#url(path);
    const tries = `${maxAttempts} attempt${maxAttempts === 1 ? "" : "s"}`;
    if (!this.#answered) {
      throw new CredentialsNotFound(provider, `the instance metadata service at ${this.#options.endpoint.origin} did not answer (${problem}; ${tries})`);
    }
    throw new CredentialsError(provider, `no answer from ${where} after ${tries}: ${problem}`, { cause: error });
  }

  async #fetchToken(): Promise<string | null> {
    const { maxAttempts, provider, v1DisabledBy } = this.#options;
    let reason = "";
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.#send("PUT", TOKEN_PATH, { "x-aws-ec2-metadata-token-ttl-seconds": TOKEN_TTL_SECONDS });
      if (outcome.kind === "no-answer") {
        reason = outcome.problem;
        if (outcome.timedOut) break;
        continue;
      }
      const { statusCode, body } = outcome.res;
      if (statusCode === 200 && body !== "") return body;
      reason = `HTTP ${statusCode}`;
      if (statusCode === 400) {
        throw new CredentialsError(provider, `the instance metadata service refused the session token request (PUT ${TOKEN_PATH}): HTTP 400`);
      }
      if (statusCode === 403 || statusCode === 404 || statusCode === 405) break;
    }
    if (v1DisabledBy === undefined) return null;
    if (!this.#answered) {
      throw new CredentialsNotFound(provider, `the instance metadata service at ${this.#options.endpoint.origin} did not answer (${reason})`);
    }
    throw new CredentialsError(
      provider,
      `could not get an IMDSv2 session token (PUT ${TOKEN_PATH}: ${reason}) and IMDSv1 is disabled by ${v1DisabledBy}`,
    );
  }

  async #send(method: "GET" | "PUT", path: string, headers: Record<string, string>): Promise<Outcome> {
    const outer = this.#options.signal;
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      const res = await simpleRequest({ method, url: this.#url(path), headers, signal });
      this.#answered = true;
      return { kind: "answer", res };
    } catch (error) {
      if (outer?.aborted) throw outer.reason ?? error;
      if (timeout.aborted) {
        return { kind: "no-answer", timedOut: true, problem: `no answer within ${this.#options.timeoutMs} ms`, error };
      }
      if (error instanceof HttpRequestError) return { kind: "no-answer", timedOut: false, problem: requestProblem(error), error };
      throw error;
    }
  }

  #url(path: string): string {
    const { origin, pathname } = this.#options.endpoint;
    return `${origin}${pathname.replace(/\/+$/, "")}${path}`;
  }
}
