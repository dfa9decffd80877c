/**
 * A short, secret-free description of an HTTP answer a credential endpoint refused, for
 * error messages. The bodies of those answers are not ours to echo: a container agent, a
 * proxy or a misconfigured fake could put the very token we sent (or a credential) in
 * them. So we keep only what helps a person act: the status, an error code that looks like
 * an identifier (from `x-amzn-errortype`, `__type`, `code` or `Code`), and at most a short
 * piece of a JSON `message` with every known secret and anything token-shaped blotted out.
 * A body that is not JSON is never quoted at all. `requestProblem` does the same for a
 * request that got no answer.
 */
import type { HttpRequestError } from "../errors/index.ts";
import type { SimpleResponse } from "../http/simple-request.ts";

const MAX_MESSAGE_CHARS = 120;
/** An error code is an identifier such as "UnauthorizedException" or "AccessDenied". */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/**
 * Runs of 16+ base64/url-safe characters with a digit in them: what keys, tokens and JWTs
 * look like, while words such as "AssumeRoleUnauthorizedAccess" stay readable.
 */
const TOKEN_SHAPED = /[A-Za-z0-9+/=_-]{16,}/g;

export function describeFailedResponse(res: SimpleResponse, secrets: readonly (string | undefined)[] = []): string {
  const parts: string[] = [`HTTP ${res.statusCode}`];
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  const fields = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const code = errorCode(res.headers["x-amzn-errortype"]) ?? errorCode(fields["__type"]) ??
    errorCode(fields["code"]) ?? errorCode(fields["Code"]);
  if (code) parts.push(code);
  const message = fields["message"] ?? fields["Message"];
  if (typeof message === "string" && message.trim()) parts.push(`"${redact(message.trim(), secrets)}"`);
  return parts.join(" ");
}

function errorCode(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  // x-amzn-errortype may carry a suffix ("UnauthorizedException:http://...") and __type a
  // namespace ("com.amazon...#Code"): keep the bare name.
  const name = value.split(":")[0]!.split("#").pop()!;
  return ERROR_CODE.test(name) ? name : undefined;
}

function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("<redacted>");
  }
  out = out.replace(TOKEN_SHAPED, (run) => (/\d/.test(run) ? "<redacted>" : run)).replace(/[\r\n\t]+/g, " ");
  return out.length > MAX_MESSAGE_CHARS ? `${out.slice(0, MAX_MESSAGE_CHARS)}…` : out;
}

/**
 * What went wrong with a request that got no answer. HttpRequestError's message is
 * "<problem> (<url>)"; callers print the URL their own way (without its query).
 */
export function requestProblem(error: HttpRequestError): string {
  const suffix = ` (${error.url})`;
  return error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}
