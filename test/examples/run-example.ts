/**
 * Runs one of examples/*.ts as a child process with Node 24, as a reader would, with an
 * environment made from nothing: loopback endpoints and keys the test chooses, a region,
 * and an empty HOME (so no real ~/.aws is read and no instance metadata is asked).
 *
 * `waitFor` resolves when the output so far matches (or rejects when the process exits
 * without it): tests wait on what the example says, never on a clock.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export interface ExampleExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningExample {
  /** Resolves with stdout once it matches `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  kill(signal: NodeJS.Signals): void;
  readonly exit: Promise<ExampleExit>;
}

export function startExample(name: string, env: Readonly<Record<string, string>>, args: readonly string[] = []): RunningExample {
  const home = mkdtempSync(join(tmpdir(), "stratus-example-home-"));
  const child = spawn(process.execPath, [join(ROOT, "examples", name), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: home,
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers: Array<() => void> = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const check of [...watchers]) check();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<ExampleExit>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      rmSync(home, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    exit,
    kill: (signal) => child.kill(signal),
    waitFor: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stdout)) return;
          watchers.splice(watchers.indexOf(check), 1);
          resolve(stdout);
        };
        watchers.push(check);
        check();
        void exit.then(({ code, signal }) => {
          if (!pattern.test(stdout)) reject(new Error(`examples/${name} ended (code ${code}, signal ${signal}) without printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        });
      }),
  };
}

/** Runs the example to its end. */
export function runExample(name: string, env: Readonly<Record<string, string>>, args: readonly string[] = []): Promise<ExampleExit> {
  return startExample(name, env, args).exit;
}
