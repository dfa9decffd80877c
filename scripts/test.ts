// Runs every test with node:test: the spec reporter for people, the area reporter for the
// per-area counts and the closing "N passed, N failed" line that CI reads.
// Usage: node scripts/test.ts [path filter...]   (filters keep files whose path contains one)
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");

function findTests(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const roots = [join(root, "test"), ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "test"))];
const files = roots
  .flatMap((dir) => { try { return findTests(dir, []); } catch { return []; } })
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));

if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}

const result = spawnSync(process.execPath, [
  "--test",
  "--test-concurrency=4",
  "--test-timeout=120000",
  "--test-reporter=spec", "--test-reporter-destination=stdout",
  "--test-reporter=./scripts/area-reporter.ts", "--test-reporter-destination=stdout",
  ...files,
], { cwd: root, stdio: "inherit", env: { ...process.env, STRATUS_TEST: "1" } });
process.exit(result.status ?? 1);
