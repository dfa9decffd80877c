/**
 * `credential_process`: run a helper program and read credentials from its stdout, as
 * botocore's `ProcessProvider` does.
 *
 * The command line is split the way Python's `shlex.split` (botocore's
 * `compat_shell_split`) splits it (whitespace, '…' and "…" quoting, backslash escapes)
 * and the program is spawned directly, never through a shell, so `$(…)`, `;`, `|` or
 * globs in a profile are passed to the program as text instead of being run.
 *
 * The helper must print `{"Version": 1, "AccessKeyId", "SecretAccessKey",
 * "SessionToken"?, "Expiration"?, "AccountId"?}`. Its stdout is the secret itself, so it
 * never reaches an error message: not on a non-zero exit (the error quotes stderr, which
 * is where a helper explains itself), and not on malformed JSON (V8's `SyntaxError`
 * quotes the input, so it is neither repeated nor kept as `cause`). For the same reason
 * errors name the program, never its arguments, which may hold a password.
 *
 * The child gets the provider's `env` (not the real `process.env` behind the caller's
 * back), stdin closed, and a deadline after which it is killed.
 */
import { shellSplit } from "../../config/shell-words.ts";
import { CredentialsError } from "../../errors/index.ts";
import { Credentials } from "../credentials.ts";
import type { CredentialProvider, Env, ResolveOptions } from "../provider.ts";

export interface ProcessOptions {
  /** The `credential_process` value, exactly as written in the profile. */
  readonly command: string;
  readonly env: Env;
  /** Provider name and `Credentials.source`; "credential-process" by default. */
  readonly name?: string | undefined;
  /** Used when the helper's JSON has no AccountId (the profile's `aws_account_id`). */
  readonly accountId?: string | undefined;
  /** Kill the helper after this long; 60 s by default. */
  readonly timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** A credentials document is a few kilobytes; more than this is a misbehaving helper. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** How much of stderr an error message quotes. */
const MAX_STDERR_CHARS = 2000;

export function fromProcess(options: ProcessOptions): CredentialProvider {
  const name = options.name ?? "credential-process";
  return {
    name,
    async resolve(resolveOptions: ResolveOptions = {}): Promise<Credentials> {
      let argv: string[];
      try {
        argv = shellSplit(options.command);
      } catch (error) {
        throw new CredentialsError(name, `credential_process cannot be parsed: ${(error as Error).message}`);
      }
      const [program, ...args] = argv;
      if (program === undefined) throw new CredentialsError(name, "credential_process is empty");
      const output = await run(name, program, args, options, resolveOptions.signal);
      return parseOutput(name, output, options.accountId);
    },
  };
}

interface ProcessOutput {
  readonly stdout: string;
}

async function run(
  name: string,
  program: string,
  args: readonly string[],
  options: ProcessOptions,
  signal: AbortSignal | undefined,
): Promise<ProcessOutput> {
  signal?.throwIfAborted();
  // Imported here, not at the top, and inside `try`: a Worker or a browser has no child
  // processes and must still load (and bundle) the credential chain this provider is part of.
  let spawn: typeof import("node:child_process").spawn;
  let basename: typeof import("node:path").basename;
  try {
    ({ spawn } = await import("node:child_process"));
    ({ basename } = await import("node:path"));
  } catch {
    throw new CredentialsError("credential_process", "this runtime cannot start processes");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shown = basename(program);
  return new Promise<ProcessOutput>((resolve, reject) => {
    const child = spawn(program, args, {
      env: { ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      shell: false,
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    // A failure settles at once: the helper is killed and its pipes closed, so a grandchild
    // that inherited them cannot keep the caller waiting for "close".
    const fail = (error: unknown): void => {
      if (!finish()) return;
      child.kill("SIGKILL");
      child.stdout.destroy();
      child.stderr.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(new CredentialsError(name, `credential_process ${shown} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    // Cancellation comes back as the caller's own abort reason, unwrapped.
    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        fail(new CredentialsError(name, `credential_process ${shown} printed more than ${MAX_OUTPUT_BYTES} bytes`));
      } else {
        stdout.push(chunk);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= MAX_OUTPUT_BYTES) stderr.push(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      fail(new CredentialsError(name, `credential_process ${shown} could not be started (${error.code ?? error.message})`));
    });
    child.on("close", (code, killedBy) => {
      if (!finish()) return;
      if (code !== 0) {
        const text = Buffer.concat(stderr).toString("utf8").trim();
        const quoted = text.length > MAX_STDERR_CHARS ? `${text.slice(0, MAX_STDERR_CHARS)}…` : text;
        const status = code === null ? `was killed by ${killedBy}` : `exited with status ${code}`;
        return reject(new CredentialsError(name, `credential_process ${shown} ${status}${quoted ? `: ${quoted}` : " (nothing on stderr)"}`));
      }
      resolve({ stdout: Buffer.concat(stdout).toString("utf8") });
    });
  });
}

function parseOutput(name: string, output: ProcessOutput, fallbackAccountId: string | undefined): Credentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.stdout);
  } catch {
    // Deliberately not the SyntaxError's message: it quotes stdout, i.e. the secret.
    throw new CredentialsError(name, "credential_process output is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CredentialsError(name, "credential_process output is not a JSON object");
  }
  const doc = parsed as Record<string, unknown>;
  if (doc.Version !== 1) {
    const version = typeof doc.Version === "number" || typeof doc.Version === "string" ? JSON.stringify(doc.Version) : "missing";
    throw new CredentialsError(name, `credential_process output has unsupported Version ${version}; supported versions: 1`);
  }
  const text = (key: string, required: boolean): string | undefined => {
    const value = doc[key];
    if (value === undefined || value === null || value === "") {
      if (required) throw new CredentialsError(name, `credential_process output has no ${key}`);
      return undefined;
    }
    if (typeof value !== "string") throw new CredentialsError(name, `credential_process output's ${key} is not a string`);
    return value;
  };
  const accessKeyId = text("AccessKeyId", true)!;
  const secretAccessKey = text("SecretAccessKey", true)!;
  const sessionToken = text("SessionToken", false);
  const expirationText = text("Expiration", false);
  let expiration: Date | undefined;
  if (expirationText !== undefined) {
    expiration = new Date(expirationText);
    if (Number.isNaN(expiration.getTime())) {
      throw new CredentialsError(name, "credential_process output's Expiration is not an ISO 8601 date");
    }
  }
  return new Credentials(
    { accessKeyId, secretAccessKey, sessionToken, expiration, accountId: text("AccountId", false) ?? fallbackAccountId },
    name,
  );
}
