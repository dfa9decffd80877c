/**
 * Packing and installing the published form, shared by the packaging suites
 * (pack-install.test.ts, newcomer.test.ts):
 *
 *   packPackages     scripts/build.ts writes the packages' dist/, then one `pnpm pack` run
 *                    makes the tarballs (publishConfig applied, `workspace:*` → version);
 *                    one suite at a time, since a build replaces dist/ whole
 *   scratchProject   an empty project in the OS temp dir, so module resolution never walks
 *                    up into the repo's node_modules
 *   npmInstall       plain `npm install <tarballs>` there; their own dependencies come from
 *                    the registry, or npm's cache when it is warm
 *   childEnv         Node 24 first on the PATH, and none of the npm_* settings a parent
 *                    `npm test` passes down, except how to reach the registry
 *   stepTimer        how long each slow step took, for one diagnostic line at the end
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { build } from "../../scripts/build.ts";

export const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "node_modules", ".bin");
export const NODE = join(BIN, "node");
const PNPM = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { packageManager: string }).packageManager;

export function childEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cache|userconfig|.*proxy|strict_ssl|cafile|ca)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) || keep.test(key)) env[key] = value;
  env["PATH"] = `${BIN}${delimiter}${process.env["PATH"] ?? ""}`;
  env["npm_config_update_notifier"] = "false";
  return env;
}

/** A fresh folder in the OS temp dir (checked to be outside the repo); remove it when done. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  assert.ok(relative(ROOT, dir).startsWith(".."), `${dir} must be outside the repo`);
  return dir;
}

/**
 * Builds `packages/<name>` for each name and packs them into `destination`; returns each
 * tarball's path by package folder name ("core" → …/stratus-core-0.1.0.tgz).
 */
export async function packPackages<Name extends string>(names: readonly Name[], destination: string): Promise<Record<Name, string>> {
  await withPackLock(async () => {
    build(names);
    const filters = names.flatMap((name) => ["--filter", `@stratus/${name}`]);
    // One pnpm run packs them all (each pnpm start-up through npx costs a second or two).
    await run("npx", ["--yes", PNPM, ...filters, "pack", "--pack-destination", destination], { cwd: ROOT, env: childEnv() });
  });
  const files = readdirSync(destination);
  const tarballs = {} as Record<Name, string>;
  for (const name of names) {
    const file = files.find((f) => f.startsWith(`stratus-${name}-`) && f.endsWith(".tgz"));
    assert.ok(file, `pnpm pack made no tarball for @stratus/${name} in ${destination}`);
    tarballs[name] = join(destination, file);
  }
  return tarballs;
}

/** `dir` with a package.json (an ES module project, as `npm init` + "type": "module" gives). */
export function scratchProject(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }, null, 2));
  return dir;
}

/** `timed(label, work)` runs a step and notes its duration; `summary()` lists them ("npm install 5123 ms, …"). */
export function stepTimer(): { timed: <T>(label: string, work: () => Promise<T> | T) => Promise<T>; summary: () => string } {
  const timings: string[] = [];
  return {
    async timed(label, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        timings.push(`${label} ${Math.round(performance.now() - started)} ms`);
      }
    },
    summary: () => timings.join(", "),
  };
}

/** `npm install <tarballs…>` in `project`, as a user installs downloaded packages. */
export async function npmInstall(project: string, tarballs: readonly string[]): Promise<void> {
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], { cwd: project, env: childEnv() });
}

/**
 * Holds `.stratus-tmp/pack.lock` while `work` runs: a build deletes and rewrites dist/, so
 * two suites packing at once (the runner runs files in parallel) could pack a half-written
 * one. A lock left by a process that died is taken over.
 */
async function withPackLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(ROOT, ".stratus-tmp", "pack.lock");
  mkdirSync(join(ROOT, ".stratus-tmp"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    return true; // just made, its pid not yet written
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
