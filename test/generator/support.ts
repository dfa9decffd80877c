/**
 * Shared by the generator tests: where things are, scratch directories, and a directory
 * diff that names the first differing line of each file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const MODELS = join(ROOT, "models");
export const PACKAGES = join(ROOT, "packages");
/** The botocore data directory, when this machine has it (tests that need it skip otherwise). */
export const SOURCE = process.env["STRATUS_MODELS"] ?? join(ROOT, "..", "shared", "models");
export const HAS_SOURCE = existsSync(join(SOURCE, "partitions.json"));

export function scratch(prefix: string): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), `stratus-${prefix}-`));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Files under dir, as relative paths, sorted. */
export function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, base));
    else out.push(relative(base, path));
  }
  return out;
}

/** Differences between the same relative paths under two roots, one line each ([] when equal). */
export function diffFiles(expectedRoot: string, actualRoot: string, paths: readonly string[]): string[] {
  const problems: string[] = [];
  for (const path of paths) {
    const expectedPath = join(expectedRoot, path);
    const actualPath = join(actualRoot, path);
    if (!existsSync(actualPath)) {
      problems.push(`${path}: missing`);
      continue;
    }
    if (!existsSync(expectedPath)) {
      problems.push(`${path}: not expected`);
      continue;
    }
    const expected = readFileSync(expectedPath, "utf8");
    const actual = readFileSync(actualPath, "utf8");
    if (expected === actual) continue;
    const a = expected.split("\n");
    const b = actual.split("\n");
    const line = a.findIndex((text, i) => text !== b[i]);
    const at = line === -1 ? a.length : line;
    problems.push(`${path}:${at + 1}: expected ${JSON.stringify(a[at]?.slice(0, 100))}, got ${JSON.stringify(b[at]?.slice(0, 100))}`);
  }
  return problems;
}

export function modelServices(): string[] {
  return readdirSync(MODELS)
    .filter((name) => name.endsWith(".json") && name !== "partitions.json")
    .map((name) => name.slice(0, -5))
    .sort();
}
