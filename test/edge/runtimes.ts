/**
 * The edge runtimes the edge suites run, installed from npm as root devDependencies (bun,
 * deno, workerd), found and started here. Each npm package is a launcher; the real binary
 * is in a platform package beside it (@oven/bun-linux-x64, @deno/linux-x64-glibc,
 * @cloudflare/workerd-linux-64 …), which is what the suites spawn: no Node wrapper in
 * between, and no reliance on the install scripts pnpm does not run.
 *
 * A runtime that cannot be found or started is a test failure carrying the exact error,
 * never a skip.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..");

export type RuntimeName = "bun" | "deno" | "workerd";

/** package → binary inside it, per platform (process.platform-process.arch). */
const BINARIES: Readonly<Record<RuntimeName, Readonly<Record<string, readonly [string, string]>>>> = {
  bun: {
    "linux-x64": ["@oven/bun-linux-x64", "bin/bun"],
    "linux-arm64": ["@oven/bun-linux-aarch64", "bin/bun"],
    "darwin-x64": ["@oven/bun-darwin-x64", "bin/bun"],
    "darwin-arm64": ["@oven/bun-darwin-aarch64", "bin/bun"],
  },
  deno: {
    "linux-x64": ["@deno/linux-x64-glibc", "deno"],
    "linux-arm64": ["@deno/linux-arm64-glibc", "deno"],
    "darwin-x64": ["@deno/darwin-x64", "deno"],
    "darwin-arm64": ["@deno/darwin-arm64", "deno"],
  },
  workerd: {
    "linux-x64": ["@cloudflare/workerd-linux-64", "bin/workerd"],
    "linux-arm64": ["@cloudflare/workerd-linux-arm64", "bin/workerd"],
    "darwin-x64": ["@cloudflare/workerd-darwin-64", "bin/workerd"],
    "darwin-arm64": ["@cloudflare/workerd-darwin-arm64", "bin/workerd"],
  },
};

/** The runtime's binary; throws, saying exactly what is missing, when there is none. */
export function runtimeBinary(name: RuntimeName): string {
  const platform = `${process.platform}-${process.arch}`;
  const entry = BINARIES[name][platform];
  if (!entry) throw new Error(`no ${name} binary is known for ${platform} (known: ${Object.keys(BINARIES[name]).join(", ")})`);
  const [pkg, file] = entry;
  const root = createRequire(join(REPO, "package.json"));
  let launcher: string;
  try {
    launcher = root.resolve(`${name}/package.json`);
  } catch (error) {
    throw new Error(`the ${name} npm package is not installed (a root devDependency; run the install): ${(error as Error).message}`);
  }
  let binary: string;
  try {
    binary = join(dirname(createRequire(launcher).resolve(`${pkg}/package.json`)), file);
  } catch (error) {
    throw new Error(`${name} is installed but its binary package ${pkg} is not: ${(error as Error).message}`);
  }
  if (!existsSync(binary)) throw new Error(`${pkg} has no ${file}`);
  return binary;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs a binary to its end, with a deadline after which it is killed. Asynchronous on
 * purpose: the suites' servers (s3rver) run in this process and must keep answering.
 */
export function run(binary: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd ?? REPO, env: options.env ?? childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${binary} could not be started: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/**
 * A small environment for a runtime: no AWS_* variables from the developer's shell, no
 * colours, no update checks or telemetry (this machine has no network beyond loopback).
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "USER"];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DO_NOT_TRACK: "1", ...extra };
}

/** What a failed run said, for an assertion message. */
export function describeRun(what: string, result: RunResult): string {
  const status = result.signal ? `killed by ${result.signal} (deadline)` : `exit code ${result.code}`;
  return `${what}: ${status} after ${result.ms} ms\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`;
}

function tail(text: string, max = 6_000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/** Each report a runtime printed after the marker (s3-main.ts and worker.ts print one). */
export function reports<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("STRATUS_EDGE_REPORT "))
    .map((line) => JSON.parse(line.slice("STRATUS_EDGE_REPORT ".length)) as T);
}

/** The entry Bun and Deno run the core subset from (see the file). */
export const CORE_SUBSET = "test/edge/fixtures/core_subset_test.ts";

/** Tests the subset's output must name: one per kind of suite in it, so a file that dropped out shows. */
export const SUBSET_MARKERS: readonly string[] = [
  "sigv4 suite case get-vanilla",
  "the default transport: undici on Node.js, fetch in Bun and Deno",
  "HMAC-SHA256: string and byte keys, keys longer than a block, empty data",
  "bytes(), text(), json() and iteration give the same bytes; a body is read once",
];

/** A one-line summary of a run's timing, printed by the suites (never asserted). */
export function timing(label: string, ms: number): void {
  console.log(`# edge: ${label}: ${ms} ms`);
}
